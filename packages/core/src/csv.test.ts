import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvDocument, csvField, neutraliseFormula, restoreFormulaText } from './csv';

describe('CSV fields', () => {
  it('writes text a spreadsheet would run as a quoted text cell, tab and CR first included', () => {
    expect(csvField('=HYPERLINK("http://evil.example","点我")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""点我"")"`,
    );
    expect(['+1', '@SUM(A1:A2)', '\t=1', '\r=1', '-1+1', '-5'].map(csvField)).toEqual([
      `"'+1"`,
      `"'@SUM(A1:A2)"`,
      `"'\t=1"`,
      `"'\r=1"`,
      `"'-1+1"`,
      `"'-5"`,
    ]);
  });

  it('writes plain text as it is and quotes a comma, quote or line break', () => {
    expect(['滨海化工有限公司', 'a,b', 'say "hi"', 'a\nb', '1-2', "it's"].map(csvField)).toEqual([
      '滨海化工有限公司',
      '"a,b"',
      '"say ""hi"""',
      '"a\nb"',
      '1-2',
      "it's",
    ]);
  });

  it('keeps the numbers the platform writes as numbers, negative ones included', () => {
    expect([-3, 0, 12.5, -7n, true, null, undefined].map(csvField)).toEqual([
      '-3',
      '0',
      '12.5',
      '-7',
      'true',
      '',
      '',
    ]);
    // Not a number a spreadsheet would read back: written as text.
    expect(csvField(-Infinity)).toBe(`"'-Infinity"`);
  });

  it('joins a list with semicolons and neutralises the joined text', () => {
    expect(csvField(['a', 'b'])).toBe('a;b');
    expect(csvField([-1, 2])).toBe(`"'-1;2"`);
  });

  it('gives back exactly the text it neutralised, apostrophes before a formula included', () => {
    expect(neutraliseFormula("'=1")).toBe("''=1");
    expect(restoreFormulaText("''=1")).toBe("'=1");
    expect(restoreFormulaText("'plain")).toBe("'plain");
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", 'a', '1') }),
        (text) => {
          expect(restoreFormulaText(neutraliseFormula(text))).toBe(text);
          expect(neutraliseFormula(text)).not.toMatch(/^[=+\-@\t\r]/);
        },
      ),
    );
  });
});

describe('CSV documents', () => {
  it('start with a BOM and end every record with CRLF', () => {
    expect(
      csvDocument([
        ['单位', '数'],
        ['甲', -3],
      ]),
    ).toBe('\uFEFF单位,数\r\n甲,-3\r\n');
  });
});
