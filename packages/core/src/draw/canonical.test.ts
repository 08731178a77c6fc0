import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonical,
  sha256Canonical,
  sha256hex,
  toHex,
  useTextSha256,
  utf8,
  type TextSha256,
} from './canonical';
import { enc, keyMessage } from './keys';
import { isDrawId } from './ids';
import { numbersKeyString } from './randomness';
import { nobleHasher, packIds } from './hash';
import { hmac } from '@noble/hashes/hmac.js';
import { nodeCryptoHasher, nodeTextSha256 } from './node';
import { frameDigestV2 } from './v2/rows';
import type { FrameRowV2 } from './v2/types';
import { wordsToHex } from './canonical';

const onlySafeIntegers = (v: unknown): boolean =>
  typeof v === 'number'
    ? Number.isSafeInteger(v) && !Object.is(v, -0)
    : Array.isArray(v)
      ? v.every(onlySafeIntegers)
      : v !== null && typeof v === 'object'
        ? Object.values(v).every(onlySafeIntegers)
        : true;

describe('canonical (JCS subset)', () => {
  it('sorts keys by UTF-16 code units, drops whitespace, escapes like JSON.stringify', () => {
    expect(canonical({ b: 1, a: [true, null, 'x'], A: { z: -3, y: '' } })).toBe(
      '{"A":{"y":"","z":-3},"a":[true,null,"x"],"b":1}',
    );
    expect(canonical({ '': 1, '0': 2, '10': 3, '9': 4 })).toBe('{"":1,"0":2,"10":3,"9":4}');
    expect(canonical({ '\u00e9': 1, e: 2, '\ud83d\ude00': 3, '\uff41': 4 })).toBe(
      '{"e":2,"é":1,"😀":3,"ａ":4}',
    );
    expect(canonical('line\n"quote"\u0001\u2028')).toBe(JSON.stringify('line\n"quote"\u0001\u2028'));
    // Objects in a row sort their keys once per shape; other shapes and orders still sort their own.
    expect(canonical([{ b: 1, a: 2 }, { b: 3, a: 4 }, { a: 5, b: 6 }, { b: 7, a: 8, c: 9 }, { b: 0 }])).toBe(
      '[{"a":2,"b":1},{"a":4,"b":3},{"a":5,"b":6},{"a":8,"b":7,"c":9},{"b":0}]',
    );
    expect(canonical(-0)).toBe('0');
    expect(canonical(2 ** 53 - 1)).toBe('9007199254740991');
  });

  it('rejects floats, unsafe integers and non-JSON values with the path', () => {
    expect(() => canonical({ a: [1, 1.5] })).toThrow(
      /^\$\.a\[1\]: only integers with \|n\| < 2\^53 are allowed, got 1.5/,
    );
    expect(() => canonical(2 ** 53)).toThrow(/only integers/);
    expect(() => canonical(Number.NaN)).toThrow(/only integers/);
    expect(() => canonical({ a: undefined })).toThrow(/^\$\.a: undefined values cannot be canonicalised/);
    expect(() => canonical(10n)).toThrow(/bigint/);
    expect(() => canonical(new Date(0))).toThrow(/plain objects/);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => canonical([1, , 2])).toThrow(/holes/);
  });

  it('equals JSON.stringify with sorted keys on integer JSON, and streams the same digest', () => {
    // Oracle: JSON.stringify on every leaf and array, keys sorted by hand (a JS object cannot
    // hold integer-like keys in sorted order, so sorting via Object.fromEntries would be wrong).
    const oracle = (x: unknown): string =>
      Array.isArray(x)
        ? `[${x.map(oracle).join(',')}]`
        : x !== null && typeof x === 'object'
          ? `{${Object.keys(x)
              .sort()
              .map((k) => `${JSON.stringify(k)}:${oracle((x as Record<string, unknown>)[k])}`)
              .join(',')}}`
          : JSON.stringify(x);
    fc.assert(
      fc.property(fc.jsonValue().filter(onlySafeIntegers), (v) => {
        expect(canonical(v)).toBe(oracle(v));
      }),
    );
    const big = Array.from({ length: 20000 }, (_, i) => [`unit-${i}`, 's', i + 1, i % 2, 'é']);
    expect(toHex(sha256Canonical(big))).toBe(toHex(sha256(utf8(canonical(big)))));
    expect(sha256hex('abc')).toBe(toHex(sha256(utf8('"abc"'))));
  });

  it('gives the same digests with noble SHA-256 and with node:crypto (installed by @spotcheck/core/node)', () => {
    const noble = (): TextSha256 => {
      const h = sha256.create();
      return { update: (t) => h.update(utf8(t)), digest: () => h.digest() };
    };
    // Past 64 kB (chunked), non-ASCII and astral text, escapes, and the row fast paths of v1 and v2.
    const values: unknown[] = [
      Array.from({ length: 9000 }, (_, i) => ({ unit: `U${i}`, name: `单位${i} 😀`, n: i, ok: i % 2 === 0 })),
      ['line\n"quote"\u0001\u2028', '\ud83d'],
    ];
    const frame: FrameRowV2[] = Array.from({ length: 5000 }, (_, i) => [
      `U${i}`,
      's',
      1,
      0,
      '',
      i % 2 === 0 ? 0 : 1,
    ]);
    const digests = () => [...values.map(sha256hex), frameDigestV2(frame)];
    useTextSha256(noble);
    const withNoble = digests();
    useTextSha256(nodeTextSha256);
    expect(digests()).toEqual(withNoble);
    expect(withNoble[2]).toBe(toHex(sha256(utf8(canonical(frame)))));
  });
});

describe('encodings', () => {
  it('identifiers', () => {
    for (const ok of ['91120116MA05JK2T1X', 'a', 'credit-a', 'x.y:z_w-1', 'A'.repeat(64)])
      expect(isDrawId(ok)).toBe(true);
    for (const bad of ['', '-a', '.a', 'a b', 'é', 'A'.repeat(65), 'a/b']) expect(isDrawId(bad)).toBe(false);
  });

  it('numbers key string of RFC 3797', () => {
    expect(numbersKeyString([2, 5, 12, 8, 10])).toBe('2.5.8.10.12./');
    expect(numbersKeyString([0, 100])).toBe('0.100./');
  });

  it('enc() frames each part with its uint32be byte length', () => {
    expect(toHex(enc('sr-draw/v1', 'order', 'U1'))).toBe(
      `0000000a${toHex(utf8('sr-draw/v1'))}00000005${toHex(utf8('order'))}00000002${toHex(utf8('U1'))}`,
    );
    expect(toHex(keyMessage('a'))).toBe('000000016101');
  });

  it('batch key expanders equal HMAC-SHA256(PRK, enc(…) ‖ 0x01) for every message length', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.array(fc.stringMatching(/^[A-Za-z0-9]{1,64}$/), { minLength: 1, maxLength: 8 }),
        fc.array(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/), { minLength: 1, maxLength: 5 }),
        (prk, prefixParts, ids) => {
          const prefix = enc(...prefixParts);
          for (const hasher of [nobleHasher, nodeCryptoHasher]) {
            const out = new Uint32Array(ids.length * 8);
            hasher.expander(prk).expand(prefix, packIds(ids), null, ids.length, out, 0);
            ids.forEach((id, i) =>
              expect(wordsToHex(out, i * 8)).toBe(toHex(hmac(sha256, prk, keyMessage(...prefixParts, id)))),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('row digests', () => {
  it('frameDigest and inspectorsDigest equal sha256hex of the rows', async () => {
    const { frameDigest, inspectorsDigest } = await import('./rows');
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/),
            fc.stringMatching(/^[a-z]{1,5}$/),
            fc.integer({ min: 1, max: 2 ** 53 - 1 }),
            fc.constantFrom(0 as const, 1 as const),
            fc.constantFrom('', 'trade', 'x.y'),
          ),
          { maxLength: 10_000 },
        ),
        fc.array(
          fc.tuple(
            fc.stringMatching(/^[A-Z][0-9]{1,4}$/),
            fc.nat(9),
            fc.array(fc.constantFrom('a', 'b')),
            fc.array(fc.stringMatching(/^U[0-9]{1,3}$/)),
          ),
          { maxLength: 20 },
        ),
        (frame, inspectors) => {
          expect(frameDigest(frame)).toBe(sha256hex(frame));
          expect(inspectorsDigest(inspectors)).toBe(sha256hex(inspectors));
        },
      ),
      { numRuns: 60 },
    );
    // Strings that would need escaping take the generic path.
    const odd: [string, string, number, 0 | 1, string][] = [['a"b', 's', 1, 0, '']];
    expect(frameDigest(odd)).toBe(sha256hex(odd));
  });
});
