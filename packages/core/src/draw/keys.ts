import { utf8 } from './canonical';

/** `enc(p1,…,pn) = ‖ uint32be(len(UTF-8(pi))) ‖ UTF-8(pi)` (sr-draw/v1 §3). */
export function enc(...parts: string[]): Uint8Array {
  const encoded = parts.map(utf8);
  const out = new Uint8Array(encoded.reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of encoded) {
    view.setUint32(at, p.length);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}

/** The message of `K(parts…)`: `enc(parts…) ‖ 0x01` (HKDF-Expand with L = 32). */
export function keyMessage(...parts: string[]): Uint8Array {
  const e = enc(...parts);
  const out = new Uint8Array(e.length + 1);
  out.set(e);
  out[e.length] = 0x01;
  return out;
}

/** Domain tag of every sr-draw/v1 key. */
export const KEY_TAG = 'sr-draw/v1';

/** Prefix of select keys in a stratum: `enc(tag,"select",stratumId)` (tag `sr-draw/v1` unless given); the unitId follows. */
export function selectPrefix(stratumId: string, tag: string = KEY_TAG): Uint8Array {
  return enc(tag, 'select', stratumId);
}

/** Prefix of order keys: `enc(tag,"order")` (tag `sr-draw/v1` unless given); the unitId follows. */
export function orderPrefix(tag: string = KEY_TAG): Uint8Array {
  return enc(tag, 'order');
}

/** Prefix of assign keys for a unit: `enc("sr-draw/v1","assign",unitId)`; the inspectorId follows. */
export function assignPrefix(unitId: string): Uint8Array {
  return enc(KEY_TAG, 'assign', unitId);
}

/** Public key derivation of one draw, e.g. to compute a shard's keys elsewhere or to explain a result. */
export interface DrawKeys {
  /** Lowercase hex PRK = HMAC-SHA256(commitmentDigest, UTF-8(R)). */
  readonly prk: string;
  /** Select keys (hex) of units in a stratum. */
  select(stratumId: string, unitIds: readonly string[]): string[];
  /** Order keys (hex) of units. */
  order(unitIds: readonly string[]): string[];
  /** Assign keys (hex) of inspectors for a unit. */
  assign(unitId: string, inspectorIds: readonly string[]): string[];
}
