import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonical } from './draw/canonical';
import { canonicalJson, digestOf } from './json';

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined members and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null, e: undefined }], z: undefined })).toBe(
      '{"a":[{"c":null,"d":2}],"b":1}',
    );
    expect(canonicalJson([undefined, 'x'])).toBe('[null,"x"]');
  });

  it('writes dates as ISO strings and bigints as digits; refuses non-finite numbers', () => {
    expect(canonicalJson({ at: new Date('2027-01-04T09:00:00Z'), n: 12n })).toBe(
      '{"at":"2027-01-04T09:00:00.000Z","n":12}',
    );
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/cannot canonicalise NaN/);
  });

  it('gives the same bytes as sr-draw/v1 canonical for plain data', () => {
    const value = {
      plan: { id: 'p-1', period: '2027-Q1' },
      strata: [{ id: 's', quota: 3 }],
      ok: true,
      中: '文',
    };
    expect(canonicalJson(value)).toBe(canonical(value));
  });

  it('digests the UTF-8 bytes with SHA-256', () => {
    const value = { 名称: '天津', n: 1 };
    expect(digestOf(value)).toBe(createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex'));
  });
});
