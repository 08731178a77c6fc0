import { hmac } from '@noble/hashes/hmac.js';
import { md5 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, toHex, utf8 } from './canonical';
import { completeBundle } from './bundle';
import { runConformanceV2 } from './v2/conformance';
import { DrawInputError } from './errors';
import { assertArray, assertBool, assertInt, assertKeys, assertObject, assertString, describe } from './ids';
import { assertNumbersValue, numbersKeyString } from './randomness';

/** Conformance modes of sr-draw/v1 §7 and sr-draw/v2 §7 (SPEC §I.7, §II.7). */
export const CONFORMANCE_MODES = [
  'rfc3797',
  'rivest',
  'vrs',
  'sr-draw-v1',
  'sr-draw-v2',
  'drand',
  'lottery',
  'shuffle',
] as const;
/** One of {@link CONFORMANCE_MODES}. */
export type ConformanceMode = (typeof CONFORMANCE_MODES)[number];

function bigFromBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

/** One selection step of RFC 3797 §4, for checking against the RFC's worked table. */
export interface Rfc3797Step {
  /** 1-based step number. */
  index: number;
  /** Uppercase hex MD5(P ‖ key ‖ P), as printed in the RFC. */
  md5: string;
  /** Number of entries still in the pool. */
  divisor: number;
  /** 1-based position of the chosen entry in the published pool. */
  selected: number;
  name: string;
}

/** Input of mode `rfc3797`. */
export interface Rfc3797Input {
  pool: string[];
  sources: number[][];
  count: number;
}

/** RFC 3797 selection with every intermediate step (key string, MD5 rows, picks). */
export function rfc3797Steps(input: Rfc3797Input): { keyString: string; steps: Rfc3797Step[] } {
  const keyString = input.sources.map(numbersKeyString).join('');
  const key = utf8(keyString);
  const remaining = input.pool.map((name, i) => ({ name, position: i + 1 }));
  const msg = new Uint8Array(key.length + 4);
  msg.set(key, 2);
  const steps: Rfc3797Step[] = [];
  for (let p = 0; p < input.count; p++) {
    msg[0] = msg[key.length + 2] = p >>> 8;
    msg[1] = msg[key.length + 3] = p & 0xff;
    const digest = md5(msg);
    const divisor = remaining.length;
    const r = Number(bigFromBytes(digest) % BigInt(divisor));
    const [chosen] = remaining.splice(r, 1);
    steps.push({
      index: p + 1,
      md5: toHex(digest).toUpperCase(),
      divisor,
      selected: chosen!.position,
      name: chosen!.name,
    });
  }
  return { keyString, steps };
}

/** Mode `rfc3797`: `{pool, sources, count}` → `{keyString, selected}` (names in selection order). */
export function rfc3797(input: unknown): { keyString: string; selected: string[] } {
  assertObject(input, 'input');
  assertKeys(input, 'input', ['pool', 'sources', 'count']);
  assertArray(input.pool, 'input.pool');
  input.pool.forEach((n, i) => assertString(n, `input.pool[${i}]`));
  if (input.pool.length > 65535)
    throw new DrawInputError('input.pool', `RFC 3797 allows at most 65535 entries, got ${input.pool.length}`);
  assertArray(input.sources, 'input.sources');
  if (input.sources.length === 0)
    throw new DrawInputError('input.sources', 'at least one source is required');
  input.sources.forEach((s, i) => assertNumbersValue(s, `input.sources[${i}]`));
  assertInt(input.count, 'input.count', 0, input.pool.length);
  const { keyString, steps } = rfc3797Steps(input as unknown as Rfc3797Input);
  return { keyString, selected: steps.map((s) => s.name) };
}

/** Mode `rivest`: Rivest's consistent sampler, `{seed,a,b,n,withReplacement,skip}` → `{sample}`. */
export function rivest(input: unknown): { sample: number[] } {
  assertObject(input, 'input');
  assertKeys(input, 'input', ['seed', 'a', 'b', 'n', 'withReplacement', 'skip']);
  assertString(input.seed, 'input.seed', false);
  assertInt(input.a, 'input.a', Number.MIN_SAFE_INTEGER);
  assertInt(input.b, 'input.b', input.a);
  assertBool(input.withReplacement, 'input.withReplacement');
  const span = BigInt(input.b) - BigInt(input.a) + 1n;
  const maxN = input.withReplacement
    ? Number.MAX_SAFE_INTEGER
    : Number(span < 1_000_000n ? span : 1_000_000n);
  assertInt(input.n, 'input.n', 0, Math.min(maxN, 1_000_000));
  assertInt(input.skip, 'input.skip', 0, input.n);
  const picks: number[] = [];
  const seen = new Set<number>();
  for (let counter = 1; picks.length < input.n; counter++) {
    const digest = sha256(utf8(`${input.seed},${counter}`));
    const pick = Number(BigInt(input.a) + (bigFromBytes(digest) % span));
    if (!input.withReplacement) {
      if (seen.has(pick)) continue;
      seen.add(pick);
    }
    picks.push(pick);
  }
  return { sample: picks.slice(input.skip) };
}

/** One labelled position of mode `vrs`. */
export interface VrsPosition {
  label: string;
  position: string;
}

/** VRS (draft-thomson-elegy-vrs): `PRK = HMAC-SHA256(otp, UTF-8(randomness))`, hex. */
export function vrsPrk(otpHex: string, randomness: string): string {
  return toHex(hmac(sha256, fromHex(otpHex, 'input.otp'), utf8(randomness)));
}

/** VRS one-time code `H^i`: `H^0 = UTF-8(secret)`, `H^i = SHA-256(H^(i-1))`, hex. */
export function vrsOneTimeCode(secret: string, i: number): string {
  let h = utf8(secret);
  for (let k = 0; k < i; k++) h = sha256(h);
  return toHex(h);
}

/** Mode `vrs`: `{otp, randomness, labels}` → `{order}` sorted by position `HMAC-SHA256(PRK, UTF-8(label) ‖ 0x01)`. */
export function vrs(input: unknown): { order: VrsPosition[] } {
  assertObject(input, 'input');
  assertKeys(input, 'input', ['otp', 'randomness', 'labels']);
  assertString(input.otp, 'input.otp');
  assertString(input.randomness, 'input.randomness', false);
  assertArray(input.labels, 'input.labels');
  const labels = input.labels;
  labels.forEach((l, i) => assertString(l, `input.labels[${i}]`));
  if (new Set(labels).size !== labels.length)
    throw new DrawInputError('input.labels', 'labels must be distinct');
  const prk = fromHex(vrsPrk(input.otp, input.randomness), 'prk');
  const order = (labels as string[]).map((label) => {
    const l = utf8(label);
    const msg = new Uint8Array(l.length + 1);
    msg.set(l);
    msg[l.length] = 0x01;
    return { label, position: toHex(hmac(sha256, prk, msg)) };
  });
  order.sort((x, y) => (x.position < y.position ? -1 : x.position > y.position ? 1 : 0));
  return { order };
}

/**
 * Runs a conformance mode (§7) on one parsed JSON input. Throws a DrawInputError (with
 * the field path) for bad input.
 */
export function runConformance(mode: string, input: unknown): unknown {
  switch (mode) {
    case 'rfc3797':
      return rfc3797(input);
    case 'rivest':
      return rivest(input);
    case 'vrs':
      return vrs(input);
    case 'sr-draw-v1':
      return completeBundle(input);
    case 'sr-draw-v2':
    case 'drand':
    case 'lottery':
    case 'shuffle':
      return runConformanceV2(mode, input);
    default:
      throw new DrawInputError(
        'mode',
        `unknown conformance mode ${describe(mode)} (expected one of ${CONFORMANCE_MODES.join(', ')})`,
      );
  }
}
