/**
 * Randomness sources of sr-draw/v2 (SPEC §II.2): drand rounds verified offline (BLS12-381 with
 * @noble/curves) and lottery results checked against the game table.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, sha256hex, toHex } from '../canonical';
import { DrawInputError } from '../errors';
import { describe } from '../ids';
import {
  DRAND_SCHEME,
  LOTTERY_GAME_IDS,
  type DrandChainInfo,
  type DrandSource,
  type LotteryGame,
  type LotteryGameId,
  type SourceSpecV2,
} from './types';

/** RFC 9380 domain separation tag of drand's G1 ("unchained, RFC 9380") scheme. */
export const DRAND_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';

/** A drand chain pinned by the spec, named by drand's own chain hash. */
export interface PinnedDrandChain extends DrandChainInfo {
  name: string;
  hash: string;
}

/** The chains pinned by SPEC §II.2 (League of Entropy quicknet). */
export const PINNED_DRAND_CHAINS: Readonly<Record<string, PinnedDrandChain>> = {
  '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971': {
    name: 'quicknet',
    hash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
    publicKey:
      '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
    genesis: 1692803367,
    period: 3,
    scheme: DRAND_SCHEME,
  },
};

/** The chain hash of an unpinned chain: `sha256hex(info)` (canonical JSON). */
export function drandChainHash(info: DrandChainInfo): string {
  return sha256hex(info);
}

/** A chain's parameters and whether the spec pins it. */
export interface ResolvedChain {
  info: DrandChainInfo;
  pinned: boolean;
  name: string;
}

/**
 * The parameters of a drand source's chain: a pinned chain by its hash (no `info` allowed), or an
 * unpinned one by its `info` whose `sha256hex` must equal `chain`. Throws a DrawInputError otherwise.
 */
export function resolveDrandChain(
  source: Pick<DrandSource, 'chain' | 'info'>,
  path = 'source',
): ResolvedChain {
  const pinned = PINNED_DRAND_CHAINS[source.chain];
  if (pinned) {
    if (source.info !== undefined)
      throw new DrawInputError(`${path}.info`, `chain ${pinned.name} is pinned: "info" is not allowed on it`);
    const { publicKey, genesis, period, scheme } = pinned;
    return { info: { publicKey, genesis, period, scheme }, pinned: true, name: pinned.name };
  }
  if (source.info === undefined)
    throw new DrawInputError(
      `${path}.chain`,
      `unknown drand chain ${describe(source.chain)}: an unpinned chain needs "info" with chain = sha256hex(info)`,
    );
  const hash = drandChainHash(source.info);
  if (hash !== source.chain)
    throw new DrawInputError(`${path}.chain`, `unpinned chain must equal sha256hex(info) = ${hash}`);
  return { info: source.info, pinned: false, name: 'unpinned beacon' };
}

/** Unix seconds of a round: `genesis + (round − 1)·period`. */
export function drandRoundTime(info: Pick<DrandChainInfo, 'genesis' | 'period'>, round: number): number {
  return info.genesis + (round - 1) * info.period;
}

/** The message drand signs for a round: `SHA-256(uint64be(round))`. */
export function drandMessage(round: number): Uint8Array {
  const m = new Uint8Array(8);
  new DataView(m.buffer).setBigUint64(0, BigInt(round));
  return sha256(m);
}

/** drand's randomness of a round: lowercase hex SHA-256 of the signature bytes. */
export function drandRandomness(signatureHex: string): string {
  return toHex(sha256(fromHex(signatureHex, 'signature')));
}

const SIG_HEX = /^[0-9a-f]{96}$/;

const verified = new Map<string, { valid: boolean; reason?: string }>();

/**
 * Verifies a drand round's signature: 96 lowercase hex digits encoding a canonical compressed G1
 * point in the prime-order subgroup (not infinity, x < p), valid for `SHA-256(uint64be(round))`
 * under the RFC 9380 DST and the chain's G2 public key. Never throws.
 */
export function verifyDrandSignature(
  publicKeyHex: string,
  round: number,
  signatureHex: string,
): { valid: boolean; reason?: string } {
  // A pairing costs ~0.5 s in JavaScript; the outcome is a pure function of the three inputs.
  const memo = `${publicKeyHex}:${round}:${signatureHex}`;
  const known = verified.get(memo);
  if (known) return known;
  const outcome = verifyDrandUncached(publicKeyHex, round, signatureHex);
  if (verified.size >= 256) verified.delete(verified.keys().next().value!);
  verified.set(memo, outcome);
  return outcome;
}

function verifyDrandUncached(
  publicKeyHex: string,
  round: number,
  signatureHex: string,
): { valid: boolean; reason?: string } {
  if (typeof signatureHex !== 'string' || !SIG_HEX.test(signatureHex))
    return { valid: false, reason: 'signature must be 96 lowercase hex digits' };
  const sigs = bls12_381.shortSignatures;
  let point;
  try {
    point = sigs.Signature.fromHex(signatureHex);
  } catch (err) {
    return { valid: false, reason: `not a compressed G1 point: ${(err as Error).message}` };
  }
  if (point.is0()) return { valid: false, reason: 'signature is the point at infinity' };
  if (!point.isTorsionFree()) return { valid: false, reason: 'signature is not in the G1 subgroup' };
  if (sigs.Signature.toHex(point) !== signatureHex)
    return { valid: false, reason: 'signature is not the canonical encoding of its point' };
  try {
    const ok = sigs.verify(
      point,
      sigs.hash(drandMessage(round), DRAND_DST),
      fromHex(publicKeyHex, 'publicKey'),
    );
    return ok ? { valid: true } : { valid: false, reason: `signature does not verify for round ${round}` };
  } catch (err) {
    return { valid: false, reason: `cannot verify: ${(err as Error).message}` };
  }
}

/** The games of SPEC §II.2 (groups separated by `;` in the spec's table). */
export const LOTTERY_GAMES: Readonly<Record<LotteryGameId, LotteryGame>> = {
  'cwl-ssq': {
    id: 'cwl-ssq',
    operator: 'cwl',
    nameZh: '双色球',
    groups: [
      { count: 6, min: 1, max: 33, distinctAscending: true },
      { count: 1, min: 1, max: 16, distinctAscending: true },
    ],
    entropyCentibits: 2408,
  },
  'cwl-kl8': {
    id: 'cwl-kl8',
    operator: 'cwl',
    nameZh: '快乐8',
    groups: [{ count: 20, min: 1, max: 80, distinctAscending: true }],
    entropyCentibits: 6162,
  },
  'cwl-3d': {
    id: 'cwl-3d',
    operator: 'cwl',
    nameZh: '福彩3D',
    groups: [{ count: 3, min: 0, max: 9, distinctAscending: false }],
    entropyCentibits: 997,
  },
  'sl-dlt': {
    id: 'sl-dlt',
    operator: 'sl',
    nameZh: '大乐透',
    groups: [
      { count: 5, min: 1, max: 35, distinctAscending: true },
      { count: 2, min: 1, max: 12, distinctAscending: true },
    ],
    entropyCentibits: 2435,
  },
  'sl-pl3': {
    id: 'sl-pl3',
    operator: 'sl',
    nameZh: '排列3',
    groups: [{ count: 3, min: 0, max: 9, distinctAscending: false }],
    entropyCentibits: 997,
  },
  'sl-pl5': {
    id: 'sl-pl5',
    operator: 'sl',
    nameZh: '排列5',
    groups: [{ count: 5, min: 0, max: 9, distinctAscending: false }],
    entropyCentibits: 1661,
  },
};

/** True for a game id of the table. */
export function isLotteryGame(game: unknown): game is LotteryGameId {
  return typeof game === 'string' && (LOTTERY_GAME_IDS as readonly string[]).includes(game);
}

/** The first problem with a lottery value for a game (never normalised), or null when it is well formed. */
export function lotteryValueProblem(game: LotteryGameId, value: unknown): string | null {
  const spec = LOTTERY_GAMES[game];
  if (!Array.isArray(value))
    return `expected ${spec.groups.length} group(s) of integers, got ${describe(value)}`;
  if (value.length !== spec.groups.length)
    return `${game} has ${spec.groups.length} group(s), got ${value.length}`;
  for (let g = 0; g < spec.groups.length; g++) {
    const group = value[g] as unknown;
    const rule = spec.groups[g]!;
    if (!Array.isArray(group)) return `group ${g + 1}: expected an array of integers, got ${describe(group)}`;
    if (group.length !== rule.count)
      return `group ${g + 1}: expected ${rule.count} numbers, got ${group.length}`;
    for (let k = 0; k < group.length; k++) {
      const x = group[k] as unknown;
      if (typeof x !== 'number' || !Number.isSafeInteger(x))
        return `group ${g + 1}, number ${k + 1}: expected an integer, got ${describe(x)}`;
      if (x < rule.min || x > rule.max)
        return `group ${g + 1}, number ${k + 1}: ${x} is outside ${rule.min}–${rule.max}`;
      if (rule.distinctAscending && k > 0 && !((group[k - 1] as number) < x))
        return (group[k - 1] as number) === x
          ? `group ${g + 1}: ${x} repeats`
          : `group ${g + 1}: numbers must be ascending, ${group[k - 1] as number} comes before ${x}`;
    }
  }
  return null;
}

/** Contribution of a lottery value to R: numbers each followed by `.`, groups joined by `:`, then `/`. */
export function lotteryContribution(value: readonly (readonly number[])[]): string {
  return `${value.map((g) => g.map((x) => `${x}.`).join('')).join(':')}/`;
}

/** Conformance mode `lottery`: `{game, value}` → `{string}`; throws naming the first problem. */
export function lotteryString(game: unknown, value: unknown): string {
  if (!isLotteryGame(game))
    throw new DrawInputError(
      'input.game',
      `unknown game ${describe(game)} (expected one of ${LOTTERY_GAME_IDS.join(', ')})`,
    );
  const problem = lotteryValueProblem(game, value);
  if (problem) throw new DrawInputError('input.value', problem);
  return lotteryContribution(value as number[][]);
}

const DAY = 86_400;

/** Unix seconds of 00:00 UTC+8 on a `YYYY-MM-DD` date. */
export function startOfDateUtc8(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 1000 - 8 * 3600;
}

/** The UTC+8 calendar date (`YYYY-MM-DD`) of an instant given in Unix seconds. */
export function dateUtc8(seconds: number): string {
  return new Date((seconds + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

/** Unix seconds of an instant `YYYY-MM-DDTHH:MM:SSZ`. */
export function instantSeconds(instant: string): number {
  return Date.parse(instant) / 1000;
}

/** `YYYY-MM-DDTHH:MM:SSZ` of Unix seconds. */
export function instantOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * A source's time in Unix seconds (SPEC §II.9.3): a drand round's time; a lottery's end of
 * `drawDate` (24:00 UTC+8). The drand chain must resolve (pinned, or unpinned with `info`).
 */
export function sourceTime(source: SourceSpecV2): number {
  if (source.kind === 'drand') return drandRoundTime(resolveDrandChain(source).info, source.round);
  return startOfDateUtc8(source.drawDate) + DAY;
}

/** A source's identity: (chain, round) or (game, issue). Two sources with one identity are the same source. */
export function sourceIdentity(source: SourceSpecV2): string {
  return source.kind === 'drand'
    ? `drand:${source.chain}:${source.round}`
    : `lottery:${source.game}:${source.issue}`;
}

/**
 * The string R of SPEC §II.2 from the values: drand → `drandRandomness(signature)` then `/`;
 * lottery → {@link lotteryContribution}. Checks value formats only (signatures are checked by the verifier).
 */
export function randomnessStringV2(
  sources: readonly SourceSpecV2[],
  values: unknown,
  path = 'randomness.values',
): string {
  if (!Array.isArray(values))
    throw new DrawInputError(path, `expected an array with one value per source, got ${describe(values)}`);
  if (values.length !== sources.length)
    throw new DrawInputError(
      path,
      `expected ${sources.length} values (one per source), got ${values.length}`,
    );
  let r = '';
  sources.forEach((s, i) => {
    const v = values[i] as unknown;
    if (s.kind === 'drand') {
      if (typeof v !== 'string' || !SIG_HEX.test(v))
        throw new DrawInputError(
          `${path}[${i}]`,
          `a drand value is the round's signature, 96 lowercase hex digits; got ${describe(v)}`,
        );
      r += `${drandRandomness(v)}/`;
    } else {
      const problem = lotteryValueProblem(s.game, v);
      if (problem) throw new DrawInputError(`${path}[${i}]`, `${s.game} issue ${s.issue}: ${problem}`);
      r += lotteryContribution(v as number[][]);
    }
  });
  return r;
}

/** A regular expression matching the contribution of a source to R (for `previous.randomness`, SPEC §II.8.5). */
function contributionPattern(source: SourceSpecV2): string {
  if (source.kind === 'drand') return '([0-9a-f]{64})/';
  const groups = LOTTERY_GAMES[source.game].groups.map((g) => `((?:(?:0|[1-9][0-9]*)\\.){${g.count}})`);
  return `${groups.join(':')}/`;
}

/**
 * Whether `r` has the shape of the R string of `sources` (and each lottery part is a valid value of
 * its game): the problem, or null.
 */
export function randomnessShapeProblem(sources: readonly SourceSpecV2[], r: string): string | null {
  const m = new RegExp(`^${sources.map(contributionPattern).join('')}$`).exec(r);
  if (!m) return 'does not have the shape of the previous sources’ contributions';
  let at = 1;
  for (const s of sources) {
    if (s.kind === 'drand') {
      at++;
      continue;
    }
    const groups = LOTTERY_GAMES[s.game].groups.map(() =>
      m[at++]!.split('.')
        .slice(0, -1)
        .map((x) => Number(x)),
    );
    const problem = lotteryValueProblem(s.game, groups);
    if (problem) return `${s.game} issue ${s.issue}: ${problem}`;
  }
  return null;
}
