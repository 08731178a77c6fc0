import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { TRPCError } from '@trpc/server';
import ExcelJS from 'exceljs';
import { parseCsv } from './csv';
import { checkXlsxLimits, spoolToTempFile, XLSX_LIMITS, type XlsxLimits } from './xlsx-limits';
import { fail } from '../lib/errors';

/** Spreadsheet formats. */
export const TRANSFER_FORMATS = ['xlsx', 'csv'] as const;
/** One spreadsheet format. */
export type TransferFormat = (typeof TRANSFER_FORMATS)[number];

/** The text of an exceljs cell value (rich text, hyperlinks, formulas, dates, numbers). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
    if (o.error) return '';
    return String(v);
  }
  return String(v);
}

/**
 * Streams the rows of the first worksheet (xlsx) or of the file (csv) as arrays of text. An XLSX
 * is first spooled and checked against `limits` (decompressed size, shared strings, rows: see
 * xlsx-limits.ts); a CSV is cut off after `limits.maxRows` rows.
 */
export async function* readRows(
  format: TransferFormat,
  source: Buffer | AsyncIterable<Buffer>,
  limits: XlsxLimits = XLSX_LIMITS,
): AsyncGenerator<string[]> {
  if (format === 'csv') {
    const stream = Buffer.isBuffer(source) ? Readable.from([source]) : Readable.from(source);
    let n = 0;
    for await (const row of parseCsv(stream)) {
      if (++n > limits.maxRows)
        fail('PAYLOAD_TOO_LARGE', 'file', 'file.tooManyRows', { max: limits.maxRows });
      yield row;
    }
    return;
  }
  const spooled = await spoolToTempFile(source, limits.maxFileBytes);
  try {
    await checkXlsxLimits(spooled.path, limits);
    try {
      yield* readXlsxRows(createReadStream(spooled.path));
    } catch (err) {
      if (err instanceof TRPCError) throw err;
      fail('BAD_REQUEST', 'file', 'file.unreadable', {
        format: 'xlsx',
        detail: (err as Error).message?.split('\n')[0] ?? 'unknown error',
      });
    }
  } finally {
    await spooled.remove();
  }
}

async function* readXlsxRows(stream: Readable): AsyncGenerator<string[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  for await (const sheet of reader) {
    let expected = 1;
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      // Keep spreadsheet row numbers: emit empty rows for gaps.
      for (; expected < row.number; expected++) yield [];
      const values = row.values as unknown[];
      const out: string[] = [];
      for (let i = 1; i < values.length; i++) out.push(cellText(values[i]));
      yield out;
      expected = row.number + 1;
    }
    return; // first worksheet only
  }
}
