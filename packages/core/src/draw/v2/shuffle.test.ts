import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../canonical';
import { KeyedStream, keyedShuffle, LazyShuffle, shuffleIds } from './shuffle';
import { referenceShuffle } from './testing/reference';

const key = (i: number) => sha256(new TextEncoder().encode(`key ${i}`));

describe('keyed shuffle', () => {
  it('equals a naive BigInt implementation of the spec, lazily and in full', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(70), (k, n) => {
        const expected = referenceShuffle(toHex(k), n);
        expect(Array.from(keyedShuffle(k, n))).toEqual(expected);
        const lazy = new LazyShuffle(k, n);
        const firsts = Array.from({ length: Math.min(n, 5) }, () => lazy.next());
        expect(firsts).toEqual(expected.slice(0, firsts.length));
      }),
    );
  });

  it('gives every walk of a reused shuffle the fresh shuffle of its key, whatever walks came before', () => {
    // The engine resets one shuffle per selected unit; a walk that stopped early must leave nothing
    // behind for the next unit, whether the next list is shorter, longer or the same length.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(40), fc.nat(40)), {
          minLength: 1,
          maxLength: 12,
        }),
        (walks) => {
          const reused = new LazyShuffle(new Uint8Array(32), 8);
          for (const [k, n, steps] of walks) {
            reused.reset(k, n);
            const expected = referenceShuffle(toHex(k), n);
            const taken = Array.from({ length: Math.min(n, steps) }, () => reused.next());
            expect(taken).toEqual(expected.slice(0, taken.length));
            expect(reused.remaining).toBe(n - taken.length);
          }
        },
      ),
    );
  });

  it('computes the rejection limit in 64-bit arithmetic (r close to 2^32)', () => {
    // With r = 2^32 − 1 the limit is 2^32 − 1: only the word 0xffffffff is rejected.
    const w0 = new KeyedStream(key(1)).next();
    expect(w0).not.toBe(0xffff_ffff);
    expect(new KeyedStream(key(1)).pick(0xffff_ffff)).toBe(w0 % 0xffff_ffff);
    const big = 2 ** 31 + 1; // limit 2^32 − (2^32 mod r) = 2^32 − (2^31 − 1)
    const t = new KeyedStream(key(2));
    const u = new KeyedStream(key(2));
    let w = u.next();
    while (w >= 2 ** 32 - (2 ** 32 % big)) w = u.next();
    expect(t.pick(big)).toBe(w % big);
  });

  it('puts every item at every position equally often over 10^5 keys (χ² on positions)', () => {
    const n = 6;
    const K = 100_000;
    const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < K; i++) {
      const order = keyedShuffle(key(i), n);
      for (let t = 0; t < n; t++) counts[order[t]!]![t]!++;
    }
    // Pearson's statistic over the n×n table; each item's row has n − 1 free cells: (n − 1)² = 25
    // degrees of freedom; 52.62 is the 0.999 quantile of χ²(25).
    const e = K / n;
    const chi = counts.flat().reduce((a, o) => a + (o - e) ** 2 / e, 0);
    expect(chi).toBeLessThan(52.62);
    // And it has the power to see a biased shuffle.
    const skew = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < K; i++) {
      const c = Array.from({ length: n }, (_, x) => x);
      const s = new KeyedStream(key(i));
      for (let t = 0; t < n; t++) {
        const j = t + (s.next() % (n - t > 1 ? n - t - 1 : 1)); // a classic off-by-one shuffle bug
        [c[t], c[j]] = [c[j]!, c[t]!];
      }
      for (let t = 0; t < n; t++) skew[c[t]!]![t]!++;
    }
    const biased = skew.flat().reduce((a, o) => a + (o - e) ** 2 / e, 0);
    expect(biased).toBeGreaterThan(10 * 52.62);
  });

  it('conformance: ids must be sorted and unique, the key 64 lowercase hex digits', () => {
    const k = toHex(key(3));
    expect(shuffleIds(k, ['a', 'b', 'c', 'd']).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(shuffleIds(k, [])).toEqual([]);
    expect(() => shuffleIds(k, ['b', 'a'])).toThrow(/sorted/);
    expect(() => shuffleIds(k, ['a', 'a'])).toThrow(/duplicate/);
    expect(() => shuffleIds(k.toUpperCase(), ['a'])).toThrow(/lowercase/);
  });
});
