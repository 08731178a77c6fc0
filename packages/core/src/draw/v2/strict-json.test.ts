import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrictJson } from './strict-json';

describe('strict JSON parsing', () => {
  it('reads what JSON.parse reads for integer-only JSON', () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v')),
        fc.dictionary(fc.string(), tie('v')),
      ),
    })).v;
    fc.assert(
      fc.property(value, fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined);
        expect(parseStrictJson(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('rejects duplicate keys at any depth, naming the key and where', () => {
    expect(() => parseStrictJson('{"a":1,"a":2}')).toThrow(/duplicate key "a" at line 1, column 8/);
    expect(() => parseStrictJson('{"x":[{"b":1,\n"b":1}]}')).toThrow(/duplicate key "b" at line 2, column 1/);
    // Escapes are decoded before comparing: "\u0061" is "a".
    expect(() => parseStrictJson('{"a":1,"\\u0061":2}')).toThrow(/duplicate key "a"/);
  });

  it('rejects non-integers, -0, trailing text and bad syntax', () => {
    for (const bad of [
      '1.5',
      '1e3',
      '-0',
      '{"a":1} x',
      "{'a':1}",
      '[1,]',
      '{"a":01}',
      '"\t"',
      '9007199254740993',
    ])
      expect(() => parseStrictJson(bad), bad).toThrow();
  });

  it('keeps "__proto__" as an ordinary key', () => {
    const v = parseStrictJson('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
