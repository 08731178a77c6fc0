import { createHash } from 'node:crypto';
import fc from 'fast-check';
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

  it('writes plain data as the node-by-node definition does (the JSON.stringify shortcut changes no byte)', () => {
    // The definition, one string per node (what canonicalJson did before its shortcut).
    const reference = (value: unknown): string => {
      if (value === null || value === undefined) return 'null';
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (typeof value === 'bigint') return value.toString();
      if (typeof value !== 'object') return JSON.stringify(value);
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`).join(',')}}`;
    };
    const sortedKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortedKeys)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]),
            )
          : v;
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (v, sort) => {
        const value = sort ? sortedKeys(v) : v;
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
    // Holes, undefined, dates, numeric-looking keys and unsorted keys take the general path.
    const odd = [
      new Array<number>(3).fill(1, 0, 1),
      [undefined],
      { b: 1, a: 2 },
      { 10: 'x', 9: 'y' },
      { at: new Date(0) },
      [{ x: 1n }],
    ];
    for (const v of odd) expect(canonicalJson(v)).toBe(reference(v));
  });
});
