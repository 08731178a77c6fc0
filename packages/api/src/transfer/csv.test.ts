import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv, writeCsv } from './csv';

async function parse(chunks: string[]): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of parseCsv(
    (async function* () {
      yield* chunks.map((c) => Buffer.from(c));
    })(),
  ))
    out.push(r);
  return out;
}

describe('CSV', () => {
  it('parses quotes, escaped quotes, CRLF, BOM and records split across chunks', async () => {
    expect(await parse(['\ufeffa,"b,1"\r\n"say ""hi""",', 'x\n"multi\nline",z'])).toEqual([
      ['a', 'b,1'],
      ['say "hi"', 'x'],
      ['multi\nline', 'z'],
    ]);
  });

  it('splits a multi-byte character across chunks correctly', async () => {
    const bytes = Buffer.from('单位,甲\n');
    const out: string[][] = [];
    for await (const r of parseCsv(
      (async function* () {
        yield bytes.subarray(0, 4);
        yield bytes.subarray(4);
      })(),
    ))
      out.push(r);
    expect(out).toEqual([['单位', '甲']]);
  });

  it('round-trips what it writes', async () => {
    const rows = [
      ['a,b', 'c"d', 'e\nf'],
      ['中文', '', 'x'],
    ];
    expect(await parse([writeCsv(rows).toString('utf8')])).toEqual(rows);
  });

  it('writes every text a spreadsheet would run as a quoted text cell, and numbers as numbers', () => {
    const cells = [
      ['=HYPERLINK("http://evil.example","点我")', `"'=HYPERLINK(""http://evil.example"",""点我"")"`],
      ['+1', `"'+1"`],
      ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
      ['\t=1', `"'\t=1"`],
      ['\r=1', `"'\r=1"`],
      ['-1+1', `"'-1+1"`],
      ['-5', `"'-5"`],
      ['滨海化工有限公司', '滨海化工有限公司'],
      [-3, '-3'],
    ] as const;
    expect(writeCsv([cells.map(([value]) => value)]).toString('utf8')).toBe(
      `\ufeff${cells.map(([, field]) => field).join(',')}\r\n`,
    );
  });

  it('reads back exactly the text it wrote, neutralised formulas included (an exported roster re-imports unchanged)', async () => {
    const text = fc.string({
      unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', "'", ' ', 'a', '1', '甲'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(text, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        async (rows) => {
          expect(await parse([writeCsv(rows).toString('utf8')])).toEqual(rows);
        },
      ),
    );
  });
});
