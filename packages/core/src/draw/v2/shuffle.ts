/**
 * The keyed shuffle of SPEC §II.5: a Fisher–Yates shuffle driven by the word stream
 * `SHA-256(k ‖ uint32be(0)) ‖ SHA-256(k ‖ uint32be(1)) ‖ …` with rejection sampling.
 */
import { fromHex } from '../canonical';
import { compressBlock, SHA256_IV } from '../sha256-block';
import { DrawInputError } from '../errors';
import { assertArray, assertDrawId, describe } from '../ids';

const TWO32 = 0x1_0000_0000;

/** Successive uint32be words of `SHA-256(k ‖ uint32be(0)) ‖ SHA-256(k ‖ uint32be(1)) ‖ …`. */
export class KeyedStream {
  /** The current 8-word digest. */
  private readonly digest = new Int32Array(8);
  /** The one 36-byte message block `k ‖ uint32be(counter)`, padded, as words (schedule room for 64). */
  private readonly w = new Int32Array(64);
  private readonly keyWords = new Int32Array(8);
  private readonly block = new Uint8Array(36);
  private readonly view = new DataView(this.block.buffer);
  private counter = 0;
  private at = 8;

  /** `key` is 32 bytes; `hash` (SHA-256 of bytes) replaces the built-in compression, e.g. to cross-check a backend. */
  constructor(
    key: Uint8Array,
    private readonly hash?: (data: Uint8Array) => Uint8Array,
  ) {
    this.reset(key);
  }

  /** Restarts the stream for another 32-byte key (no allocation). */
  reset(key: Uint8Array): void {
    if (key.length !== 32) throw new DrawInputError('key', `a shuffle key is 32 bytes, got ${key.length}`);
    this.block.set(key, 0);
    for (let i = 0; i < 8; i++)
      this.keyWords[i] =
        (key[4 * i]! << 24) | (key[4 * i + 1]! << 16) | (key[4 * i + 2]! << 8) | key[4 * i + 3]!;
    this.counter = 0;
    this.at = 8;
  }

  private refill(): void {
    if (this.hash) {
      this.view.setUint32(32, this.counter++);
      const d = this.hash(this.block);
      const v = new DataView(d.buffer, d.byteOffset, 32);
      for (let i = 0; i < 8; i++) this.digest[i] = v.getInt32(4 * i);
      return;
    }
    // One block: 32 key bytes, the counter, 0x80, zeros, and the bit length 288.
    const w = this.w;
    w.set(this.keyWords, 0);
    w[8] = this.counter++ | 0;
    w[9] = 0x80000000 | 0;
    for (let i = 10; i < 15; i++) w[i] = 0;
    w[15] = 36 * 8;
    this.digest.set(SHA256_IV);
    compressBlock(this.digest, w);
  }

  /** The next word of the stream. */
  next(): number {
    if (this.at === 8) {
      this.refill();
      this.at = 0;
    }
    return this.digest[this.at++]! >>> 0;
  }

  /** `pick(r)`: the next word `w` below `2^32 − (2^32 mod r)` (limit computed exactly), reduced mod r. */
  pick(r: number): number {
    const limit = TWO32 - (TWO32 % r);
    for (;;) {
      const w = this.next();
      if (w < limit) return w % r;
    }
  }
}

/**
 * A shuffle of `0 … n−1` computed lazily, position by position: `next()` returns the item at
 * position t = 0, 1, … (the same as the full shuffle's `C[t]`).
 *
 * The permutation is kept sparse: an entry holds a value only when a swap wrote it in the current
 * generation, and reads `i` otherwise. A reset is therefore O(1) whatever `n` is, and a walk of t
 * steps costs O(t): a city-wide team draw walks a few of 10^4 inspectors for each of 10^5 units.
 */
export class LazyShuffle {
  private readonly stream: KeyedStream;
  private values: Int32Array;
  private stamps: Uint32Array;
  private generation = 1;
  private n: number;
  private t = 0;

  constructor(key: Uint8Array, n: number, hash?: (data: Uint8Array) => Uint8Array) {
    this.stream = new KeyedStream(key, hash);
    this.values = new Int32Array(n);
    this.stamps = new Uint32Array(n);
    this.n = n;
  }

  /** Restarts for another key and list length (reusing the stream and, when large enough, the buffers). */
  reset(key: Uint8Array, n: number): void {
    this.stream.reset(key);
    if (this.values.length < n) {
      this.values = new Int32Array(n);
      this.stamps = new Uint32Array(n);
      this.generation = 0;
    }
    // Generation 0 never marks an entry; when the counter wraps, clear the stamps instead.
    if (++this.generation === 0x1_0000_0000) {
      this.stamps.fill(0);
      this.generation = 1;
    }
    this.n = n;
    this.t = 0;
  }

  /** Items not yet returned. */
  get remaining(): number {
    return this.n - this.t;
  }

  private at(i: number): number {
    return this.stamps[i] === this.generation ? this.values[i]! : i;
  }

  /** The item at the next position; call at most n times. */
  next(): number {
    const t = this.t++;
    const j = t + this.stream.pick(this.n - t);
    const x = this.at(j);
    // Position t is never read again; only position j needs the value that was at t.
    this.values[j] = this.at(t);
    this.stamps[j] = this.generation;
    return x;
  }
}

/** The full keyed shuffle of `0 … n−1` (SPEC §II.5). */
export function keyedShuffle(key: Uint8Array, n: number): Int32Array {
  const s = new LazyShuffle(key, n);
  const out = new Int32Array(n);
  for (let t = 0; t < n; t++) out[t] = s.next();
  return out;
}

/** Conformance mode `shuffle`: `{key, ids}` (ids sorted, unique) → the ids in shuffle order. */
export function shuffleIds(keyHex: unknown, ids: unknown): string[] {
  if (typeof keyHex !== 'string' || !/^[0-9a-f]{64}$/.test(keyHex))
    throw new DrawInputError('input.key', `expected 64 lowercase hex digits, got ${describe(keyHex)}`);
  assertArray(ids, 'input.ids');
  for (let i = 0; i < ids.length; i++) {
    assertDrawId(ids[i], `input.ids[${i}]`, 'id');
    if (i > 0 && !((ids[i - 1] as string) < (ids[i] as string)))
      throw new DrawInputError(
        `input.ids[${i}]`,
        ids[i - 1] === ids[i] ? `duplicate id ${describe(ids[i])}` : 'ids must be sorted ascending',
      );
  }
  const order = keyedShuffle(fromHex(keyHex, 'input.key'), ids.length);
  return Array.from(order, (i) => ids[i] as string);
}
