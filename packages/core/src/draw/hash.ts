import { hmac } from '@noble/hashes/hmac.js';
import { _SHA256, sha256 } from '@noble/hashes/sha2.js';

const asciiEncoder = new TextEncoder();

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
  // One pass to collect the ids and offsets, then one native UTF-8 encode of their concatenation
  // (ids are validated ASCII, so characters and bytes coincide); this also flattens rope strings once.
  const parts = new Array<string>(count);
  const start = new Uint32Array(count + 1);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const id = idAt(i);
    parts[i] = id;
    start[i] = total;
    total += id.length;
  }
  start[count] = total;
  const bytes = new Uint8Array(total);
  const { written } = asciiEncoder.encodeInto(parts.join(''), bytes);
  if (written !== total) throw new Error('packIds: identifiers must be ASCII');
  return { bytes, start, count };
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

/** noble's SHA-256 compression function, driven block by block from a saved midstate. */
class Sha256Engine extends _SHA256 {
  /** Loads 8 state words. */
  load(s: Int32Array): void {
    this.set(s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!, s[6]!, s[7]!);
  }
  /** Saves the 8 state words. */
  save(s: Int32Array): void {
    s[0] = this.A;
    s[1] = this.B;
    s[2] = this.C;
    s[3] = this.D;
    s[4] = this.E;
    s[5] = this.F;
    s[6] = this.G;
    s[7] = this.H;
  }
  /** Compresses the 64-byte block at `offset`. */
  block(view: DataView, offset: number): void {
    this.process(view, offset);
  }
  /** Writes the state big-endian into `view` at `offset` (32 bytes). */
  writeTo(view: DataView, offset: number): void {
    view.setInt32(offset, this.A);
    view.setInt32(offset + 4, this.B);
    view.setInt32(offset + 8, this.C);
    view.setInt32(offset + 12, this.D);
    view.setInt32(offset + 16, this.E);
    view.setInt32(offset + 20, this.F);
    view.setInt32(offset + 24, this.G);
    view.setInt32(offset + 28, this.H);
  }
  /** Writes the state as 8 unsigned words into `out` at `offset`. */
  wordsTo(out: Uint32Array, offset: number): void {
    out[offset] = this.A;
    out[offset + 1] = this.B;
    out[offset + 2] = this.C;
    out[offset + 3] = this.D;
    out[offset + 4] = this.E;
    out[offset + 5] = this.F;
    out[offset + 6] = this.G;
    out[offset + 7] = this.H;
  }
}

/**
 * HMAC-SHA256 with the key's pad blocks compressed once: each key then costs the
 * message blocks plus one outer block, with no allocation.
 */
class MidstateExpander implements KeyExpander {
  private readonly engine = new Sha256Engine();
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private msg = new Uint8Array(256);
  private msgView = new DataView(this.msg.buffer);
  private readonly outerBlock = new Uint8Array(64);
  private readonly outerView = new DataView(this.outerBlock.buffer);

  constructor(prk: Uint8Array) {
    const [ipad, opad] = hmacPads(prk, sha256);
    const e = this.engine;
    e.load(
      new Int32Array([
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
      ]),
    );
    const initial = new Int32Array(8);
    e.save(initial);
    e.block(new DataView(ipad.buffer), 0);
    e.save(this.inner);
    e.load(initial);
    e.block(new DataView(opad.buffer), 0);
    e.save(this.outer);
    this.outerBlock[32] = 0x80;
    this.outerView.setUint32(60, (64 + 32) * 8);
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
    if (this.msg.length < need) {
      this.msg = new Uint8Array(need * 2);
      this.msgView = new DataView(this.msg.buffer);
    }
    const msg = this.msg;
    const view = this.msgView;
    const { bytes, start } = ids;
    const e = this.engine;
    msg.set(prefix, 0);
    const p = prefix.length;
    for (let j = 0; j < count; j++) {
      const id = index === null ? j : index[j]!;
      const s = start[id]!;
      const len = start[id + 1]! - s;
      view.setUint32(p, len);
      let at = p + 4;
      for (let c = 0; c < len; c++) msg[at++] = bytes[s + c]!;
      msg[at++] = 0x01;
      const mlen = at;
      msg[at++] = 0x80;
      const blocks = (mlen + 9 + 63) >>> 6;
      const end = blocks * 64;
      msg.fill(0, at, end - 4);
      view.setUint32(end - 4, (mlen + 64) * 8);
      e.load(this.inner);
      for (let b = 0; b < blocks; b++) e.block(view, b * 64);
      e.writeTo(this.outerView, 0);
      e.load(this.outer);
      e.block(this.outerView, 0);
      e.wordsTo(out, (outOffset + j) * 8);
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
