import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonMemberBytes } from './json-member';

const utf8 = (s: string) => new TextEncoder().encode(s);
const member = (text: string, path: string[]) => {
  const bytes = jsonMemberBytes(utf8(text), path);
  return bytes === null ? null : (JSON.parse(new TextDecoder().decode(bytes)) as unknown);
};

describe('jsonMemberBytes', () => {
  it('finds a member through objects as JSON.parse reads it, whatever the strings around it hold', () => {
    const text = `{"id" : "a\\"}{[", "title" : "第1次 \\\\", "n" : -1.5e3, "t" : true, "content" : {"roster": [["91", "名 \\"}]"]], "bundle": {"frame": [[1, null]], "x": "]"}}}`;
    expect(member(text, ['content', 'bundle'])).toEqual({ frame: [[1, null]], x: ']' });
    expect(member(text, ['content', 'roster'])).toEqual([['91', '名 "}]']]);
    expect(member(text, ['n'])).toBe(-1500);
    expect(member(text, ['t'])).toBe(true);
    expect(member(text, [])).toEqual(JSON.parse(text));
    // Missing, or reached through something not an object: null.
    expect(member(text, ['content', 'none'])).toBeNull();
    expect(member(text, ['title', 'x'])).toBeNull();
    expect(member('[{"a": 1}]', ['a'])).toBeNull();
    // An escaped key, an empty object, the last of two members of one name (as JSON.parse).
    expect(member('{"b\\u0075ndle": 1}', ['bundle'])).toBe(1);
    expect(member('{}', ['a'])).toBeNull();
    expect(member('{"a": 1, "a": 2}', ['a'])).toBe(2);
  });

  it('agrees with JSON.parse on any JSON object, spaced as PostgreSQL or not at all', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 }),
        fc.boolean(),
        (value, spaced) => {
          const text = spaced ? JSON.stringify(value, null, 1) : JSON.stringify(value);
          for (const key of [...Object.keys(value), 'absent']) {
            const found = jsonMemberBytes(utf8(text), [key]);
            if (!(key in value)) expect(found).toBeNull();
            else
              expect(JSON.parse(new TextDecoder().decode(found!))).toEqual(
                JSON.parse(JSON.stringify(value[key])),
              );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not run past a text cut short', () => {
    expect(() => jsonMemberBytes(utf8('{"a": "b'), ['a'])).toThrow(/string/);
    expect(() => jsonMemberBytes(utf8('{"a": [1, 2'), ['a'])).toThrow(/object or array/);
  });
});
