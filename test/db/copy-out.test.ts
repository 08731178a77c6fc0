/**
 * `copyOutText`: one text value read as UTF-8 bytes by binary COPY (how a city draw's bundle goes
 * to the verification thread without becoming a string on the server's thread).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { binaryCopyText, copyOutText } from '@spotcheck/db';
import { openTestDatabase, testDrivers, type TestDatabase } from '../support/databases';

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

describe.each(testDrivers())('copyOutText on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('reads a value byte for byte: multibyte text, quotes, backslashes, tabs and newlines', async () => {
    const value = `{"名称":"滨海\\"化工\\\\厂"}\t'line'\nnext \u{1F600}`;
    const bytes = await copyOutText(t.database.db, sql`select ${value}::text`);
    expect(text(bytes)).toBe(value);
  });

  it('reads a jsonb value as PostgreSQL writes it, the same text a query returns', async () => {
    const query = `select jsonb_build_object('a', '单位'::text, 'b', jsonb_build_array(1, 2.50, null))::text as v`;
    const { rows } = await t.database.exec(query);
    expect(rows[0]!.v).toBe('{"a": "单位", "b": [1, 2.50, null]}');
    expect(text(await copyOutText(t.database.db, sql.raw(query)))).toBe(rows[0]!.v);
  });

  it('reads a value of several megabytes whole', async () => {
    const bytes = await copyOutText(t.database.db, sql`select repeat(${'安全检查ab'}::text, 400000)`);
    expect(bytes!.length).toBe(400000 * (4 * 3 + 2));
    expect(text(bytes)).toBe('安全检查ab'.repeat(400000));
  });

  it('gives null for no row, for a null and the empty value for an empty text', async () => {
    expect(await copyOutText(t.database.db, sql`select 'x'::text where false`)).toBeNull();
    expect(await copyOutText(t.database.db, sql`select null::text`)).toBeNull();
    expect(text(await copyOutText(t.database.db, sql`select ''::text`))).toBe('');
  });

  it('refuses more than one row or column rather than returning one of them', async () => {
    await expect(copyOutText(t.database.db, sql`select 'a'::text union all select 'b'`)).rejects.toThrow(
      /one row/,
    );
    await expect(copyOutText(t.database.db, sql`select 'a'::text, 'b'::text`)).rejects.toThrow(/one column/);
  });

  it('inlines a parameter as a literal, never as SQL (a quote in an id cannot end the string)', async () => {
    const hostile = `x') TO STDOUT; drop table units; -- TO '/dev/blob'`;
    expect(text(await copyOutText(t.database.db, sql`select ${hostile}::text`))).toBe(hostile);
    // The table the literal names is still there.
    const { rows } = await t.database.exec(`select to_regclass('units') is not null as "kept"`);
    expect(rows[0]!.kept).toBe(true);
  });
});

describe('binaryCopyText', () => {
  // PostgreSQL's binary COPY of one row holding "天a": the file header, one field, the trailer.
  const value = new TextEncoder().encode('天a');
  const copy = new Uint8Array([
    ...[0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00],
    ...[0, 0, 0, 0],
    ...[0, 0, 0, 0],
    ...[0, 1],
    ...[0, 0, 0, value.length],
    ...value,
    ...[0xff, 0xff],
  ]);

  it('parses the same value whatever the chunks, down to one byte each', () => {
    for (const size of [1, 2, 3, 5, 7, 19, 21, copy.length]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < copy.length; at += size) chunks.push(copy.subarray(at, at + size));
      expect(text(binaryCopyText(chunks)), `chunks of ${size}`).toBe('天a');
    }
  });

  it('refuses a truncated COPY, one cut inside the value and one without its trailer', () => {
    expect(() => binaryCopyText([copy.subarray(0, copy.length - 3)])).toThrow(/ended early/);
    expect(() => binaryCopyText([copy.subarray(0, copy.length - 2)])).toThrow(/ended early/);
    expect(() => binaryCopyText([new TextEncoder().encode('this is not a binary COPY stream')])).toThrow(
      /not a binary COPY/,
    );
  });
});
