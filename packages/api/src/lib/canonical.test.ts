import { describe, expect, it } from 'vitest';
import { digestOf as coreDigestOf } from '@spotcheck/core';
import { canonicalJson, digestOf } from './canonical';

describe('canonicalJson', () => {
  it('sorts keys, drops undefined members and writes dates as ISO strings', () => {
    expect(
      canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, d: new Date('2027-01-04T09:00:00Z') }),
    ).toBe('{"a":[true,null,"x"],"b":1,"d":"2027-01-04T09:00:00.000Z"}');
  });

  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/canonicalise/);
  });
});

describe('digestOf', () => {
  it("is core's digest, byte for byte, lone surrogates included", () => {
    for (const v of [
      { b: 1, a: ['天津', null, true] },
      [['91120116MA05K2T3X1', 'ratio-sample', 12345, 0, '', 1]],
      { s: 'a\ud800b', t: '\udc00' },
      'x',
    ])
      expect(digestOf(v)).toBe(coreDigestOf(v));
  });
});
