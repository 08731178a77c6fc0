import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical';

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
