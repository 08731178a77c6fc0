import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { compressBlock, compressRounds, expandSchedule, loadBlock, SHA256_IV } from './sha256-block';

/**
 * Identifiers packed into one byte buffer (ASCII, already validated): id `i` is
 * `bytes[start[i] .. start[i + 1])`. Avoids one typed array per row in hot loops.
 */
export interface PackedIds {
  readonly bytes: Uint8Array;
  readonly start: Uint32Array;
  readonly count: number;
}

/** Packs validated ASCII identifiers into a {@link PackedIds}; `idAt(i)` yields id `i` of `count`. */
export function packIds(ids: readonly string[]): PackedIds;
export function packIds(count: number, idAt: (i: number) => string): PackedIds;
export function packIds(a: readonly string[] | number, b?: (i: number) => string): PackedIds {
  const count = typeof a === 'number' ? a : a.length;
  const idAt = typeof a === 'number' ? b! : (i: number) => a[i]!;
  // Ids are validated ASCII, so characters and bytes coincide: written straight into one growing
  // buffer, with no intermediate array or joined string (less garbage for the collector).
  const start = new Uint32Array(count + 1);
  let bytes = new Uint8Array(Math.max(64, count * 20));
  let total = 0;
  for (let i = 0; i < count; i++) {
    const id = idAt(i);
    const len = id.length;
    if (total + len > bytes.length) {
      const bigger = new Uint8Array(Math.max(2 * bytes.length, total + len));
      bigger.set(bytes.subarray(0, total));
      bytes = bigger;
    }
    start[i] = total;
    for (let c = 0; c < len; c++) {
      const ch = id.charCodeAt(c);
      if (ch > 0x7f) throw new Error('packIds: identifiers must be ASCII');
      bytes[total + c] = ch;
    }
    total += len;
  }
  start[count] = total;
  return { bytes: bytes.subarray(0, total), start, count };
}

/**
 * Computes sr-draw/v1 keys in batches for one PRK: key j is
 * `HMAC-SHA256(PRK, prefix ‖ uint32be(len(id)) ‖ id ‖ 0x01)` with `id = ids[index[j]]`
 * (or `ids[j]` when `index` is null), i.e. `K(…parts, id)` when `prefix = enc(…parts)`.
 */
export interface KeyExpander {
  /** Writes the 32-byte keys as 8 big-endian words each into `out`, starting at word `8 * outOffset`. */
  expand(
    prefix: Uint8Array,
    ids: PackedIds,
    index: ArrayLike<number> | null,
    count: number,
    out: Uint32Array,
    outOffset: number,
  ): void;
}

/** The hashing backend of a draw; the default is pure JavaScript (@noble/hashes) and runs in browsers. */
export interface DrawHasher {
  /** Short name, reported by benchmarks. */
  readonly name: string;
  /** SHA-256 of bytes. */
  sha256(data: Uint8Array): Uint8Array;
  /** HMAC-SHA256(key, data). */
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** A batch key expander bound to `prk`. */
  expander(prk: Uint8Array): KeyExpander;
}

/** Builds the two 64-byte HMAC pad blocks of a key (RFC 2104). */
export function hmacPads(key: Uint8Array, hashKey: (k: Uint8Array) => Uint8Array): [Uint8Array, Uint8Array] {
  const k = key.length > 64 ? hashKey(key) : key;
  const ipad = new Uint8Array(64).fill(0x36);
  const opad = new Uint8Array(64).fill(0x5c);
  for (let i = 0; i < k.length; i++) {
    ipad[i]! ^= k[i]!;
    opad[i]! ^= k[i]!;
  }
  return [ipad, opad];
}

/**
 * HMAC-SHA256 with the key's pad blocks compressed once: each key then costs the message blocks
 * plus one outer block, with no allocation. A message block made only of padding and the length
 * (the second block of a 56–119-byte message) is the same for every id of that length, so its
 * expanded schedule is computed once and reused.
 */
class MidstateExpander implements KeyExpander {
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly state = new Int32Array(8);
  private readonly w = new Int32Array(64);
  /** Expanded schedules of padding-only blocks, by (message length, block index). */
  private readonly padSchedules = new Map<number, Int32Array>();
  private msg = new Uint8Array(256);

  constructor(prk: Uint8Array) {
    const [ipad, opad] = hmacPads(prk, sha256);
    this.inner.set(SHA256_IV);
    loadBlock(ipad, 0, this.w);
    compressBlock(this.inner, this.w);
    this.outer.set(SHA256_IV);
    loadBlock(opad, 0, this.w);
    compressBlock(this.outer, this.w);
  }

  /** The expanded schedule of block `b` of a message of `mlen` bytes (HMAC inner, 64-byte key block first) when that block holds no message byte. */
  private padSchedule(msg: Uint8Array, mlen: number, b: number): Int32Array {
    const key = mlen * 16 + b;
    let w = this.padSchedules.get(key);
    if (!w) {
      w = new Int32Array(64);
      loadBlock(msg, b * 64, w);
      expandSchedule(w);
      this.padSchedules.set(key, w);
    }
    return w;
  }

  expand(
    prefix: Uint8Array,
    ids: PackedIds,
    index: ArrayLike<number> | null,
    count: number,
    out: Uint32Array,
    outOffset: number,
  ): void {
    const need = prefix.length + 4 + 64 + 1 + 72;
    if (this.msg.length < need) this.msg = new Uint8Array(need * 2);
    const msg = this.msg;
    const { bytes, start } = ids;
    const { w, state, inner, outer } = this;
    msg.set(prefix, 0);
    const p = prefix.length;
    for (let j = 0; j < count; j++) {
      const id = index === null ? j : index[j]!;
      const s = start[id]!;
      const len = start[id + 1]! - s;
      msg[p] = len >>> 24;
      msg[p + 1] = (len >>> 16) & 0xff;
      msg[p + 2] = (len >>> 8) & 0xff;
      msg[p + 3] = len & 0xff;
      let at = p + 4;
      for (let c = 0; c < len; c++) msg[at++] = bytes[s + c]!;
      msg[at++] = 0x01;
      const mlen = at;
      msg[at++] = 0x80;
      const blocks = (mlen + 9 + 63) >>> 6;
      const end = blocks * 64;
      msg.fill(0, at, end - 4);
      const bits = (mlen + 64) * 8;
      msg[end - 4] = bits >>> 24;
      msg[end - 3] = (bits >>> 16) & 0xff;
      msg[end - 2] = (bits >>> 8) & 0xff;
      msg[end - 1] = bits & 0xff;
      // Blocks holding message bytes (or the 0x80 marker) are hashed; later ones are padding only.
      const full = (mlen + 1 + 63) >>> 6;
      state.set(inner);
      for (let b = 0; b < blocks; b++) {
        if (b < full) {
          loadBlock(msg, b * 64, w);
          compressBlock(state, w);
        } else compressRounds(state, this.padSchedule(msg, mlen, b));
      }
      for (let i = 0; i < 8; i++) w[i] = state[i]!;
      w[8] = 0x80000000 | 0;
      w[9] = 0;
      w[10] = 0;
      w[11] = 0;
      w[12] = 0;
      w[13] = 0;
      w[14] = 0;
      w[15] = (64 + 32) * 8;
      state.set(outer);
      compressBlock(state, w);
      const o = (outOffset + j) * 8;
      for (let i = 0; i < 8; i++) out[o + i] = state[i]!;
    }
  }
}

/** The default backend: @noble/hashes, pure JavaScript, usable in browsers and Node. */
export const nobleHasher: DrawHasher = {
  name: 'noble',
  sha256: (data) => sha256(data),
  hmacSha256: (key, data) => hmac(sha256, key, data),
  expander: (prk) => new MidstateExpander(prk),
};
