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
});
