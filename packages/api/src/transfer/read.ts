import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { TRPCError } from '@trpc/server';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { parseCsv } from './csv';
import { checkXlsxLimits, openZipFile, spoolToTempFile, XLSX_LIMITS, type XlsxLimits } from './xlsx-limits';
import { readDateStyles, readSharedStrings, readSheetRows } from './xlsx-sheet';
import { fail } from '../lib/errors';

/** Spreadsheet formats. */
export const TRANSFER_FORMATS = ['xlsx', 'csv'] as const;
/** One spreadsheet format. */
export type TransferFormat = (typeof TRANSFER_FORMATS)[number];

/**
 * Streams the rows of the first worksheet (xlsx) or of the file (csv) as arrays of text. An XLSX
 * is first spooled and checked against `limits` (decompressed size, shared strings, rows: see
 * xlsx-limits.ts); a CSV is cut off after `limits.maxRows` rows. Either is cut off after
 * `limits.maxCells` cells.
 */
export async function* readRows(
  format: TransferFormat,
  source: Buffer | AsyncIterable<Buffer>,
  limits: XlsxLimits = XLSX_LIMITS,
): AsyncGenerator<string[]> {
  let cells = 0;
  const counted = (row: string[]) => {
    if ((cells += row.length) > limits.maxCells)
      fail('PAYLOAD_TOO_LARGE', 'file', 'file.tooManyCells', { max: limits.maxCells });
    return row;
  };
  if (format === 'csv') {
    const stream = Buffer.isBuffer(source) ? Readable.from([source]) : Readable.from(source);
    let n = 0;
    for await (const row of parseCsv(stream)) {
      if (++n > limits.maxRows)
        fail('PAYLOAD_TOO_LARGE', 'file', 'file.tooManyRows', { max: limits.maxRows });
      yield counted(row);
    }
    return;
  }
  const spooled = await spoolToTempFile(source, limits.maxFileBytes);
  try {
    await checkXlsxLimits(spooled.path, limits);
    try {
      // Counted as they come too: the check above counts `<row` in `xl/worksheets/`, while the sheet
      // read is the one the workbook names, and a gap (`<row r="2000000000">`) yields empty rows.
      let n = 0;
      for await (const row of readXlsxRows(spooled.path)) {
        if (++n > limits.maxRows)
          fail('PAYLOAD_TOO_LARGE', 'file', 'file.tooManyRows', { max: limits.maxRows });
        yield counted(row);
      }
    } catch (err) {
      if (err instanceof TRPCError) throw err;
      fail('BAD_REQUEST', 'file', 'file.unreadable', {
        format: 'xlsx',
        detail: ((err as Error).message?.split('\n')[0] ?? 'unknown error').slice(0, 200),
      });
    }
  } finally {
    await spooled.remove();
  }
}

/** The parts of exceljs 4.4.0's streaming `WorkbookReader` that `readXlsxRows` drives itself. */
interface WorkbookReaderParts {
  workbookRels?: { Id: string; Type?: string; Target: string }[];
  model?: {
    sheets?: { id: number; name: string; rId: string; state?: string }[];
    properties?: { date1904?: boolean };
  };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
}

/**
 * Opens a ZIP for random access and lists its entries by name, lower-cased (part names are
 * case-insensitive), from the central directory only. Two entries of one name are refused: which
 * one a reader takes would decide what is imported.
 */
async function openZip(path: string): Promise<{ zip: yauzl.ZipFile; entries: Map<string, yauzl.Entry> }> {
  const zip = await openZipFile(path, {
    lazyEntries: true,
    autoClose: false,
    validateEntrySizes: true,
    strictFileNames: false,
  });
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName.toLowerCase();
        if (entries.has(name)) return reject(new Error(`two parts are named ${entry.fileName}`));
        entries.set(name, entry);
        zip.readEntry();
      });
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    throw err;
  }
  return { zip, entries };
}

/**
 * The rows of the workbook's first visible worksheet (the first tab the user sees), read through
 * the ZIP's central directory. exceljs's own `WorkbookReader.parse` walks the archive once with
 * unzipper's `Parse`, which reports the end of the archive as soon as its input is consumed, while
 * entries may still wait to be read (exceljs#3064). Now and then the last entries never reach it: `xl/workbook.xml`,
 * which exceljs writes last (the file is refused as unreadable), or `xl/sharedStrings.xml`, which
 * Excel writes last (every text cell would read as "[object Object]"). Here the relationships and
 * the workbook are read first, by name, through exceljs's parsers (pinned at 4.4.0 for these
 * parts), then the shared strings and the date styles, and only then is the sheet streamed, row by
 * row, through xlsx-sheet.ts, which reads each cell's text as Excel shows it.
 */
async function* readXlsxRows(path: string): AsyncGenerator<string[]> {
  const partName = (target: string) => {
    try {
      return decodeURIComponent(target);
    } catch {
      return target;
    }
  };
  const { zip, entries } = await openZip(path);
  const open: Readable[] = [];
  const entry = async (name: string): Promise<Readable | undefined> => {
    const found = entries.get(name.toLowerCase());
    if (!found) return undefined;
    const stream = await new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(found, (err, s) => (err ? reject(err) : resolve(s))),
    );
    open.push(stream);
    // Decoded here, across chunks: exceljs decodes each chunk on its own, and a character whose
    // bytes fall on both sides of a chunk boundary (16 KiB of inflated XML) read as U+FFFD.
    stream.setEncoding('utf8');
    return stream;
  };
  const required = async (name: string): Promise<Readable> =>
    (await entry(name)) ?? Promise.reject(new Error(`${name} is missing`));
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      entries: 'ignore',
    }) as unknown as WorkbookReaderParts;
    await reader._parseRels(await required('xl/_rels/workbook.xml.rels'));
    await reader._parseWorkbook(await required('xl/workbook.xml'));
    const strings = await entry('xl/sharedStrings.xml');
    const styles = await entry('xl/styles.xml');
    const context = {
      strings: strings ? await readSharedStrings(strings) : [],
      dateStyles: styles ? await readDateStyles(styles) : new Set<number>(),
      date1904: reader.model?.properties?.date1904 === true,
    };
    // The first tab the user sees: hidden sheets (a template's lists) and chart sheets are skipped.
    const target = (reader.model?.sheets ?? [])
      .filter((s) => s.state !== 'hidden' && s.state !== 'veryHidden')
      .map(
        (s) =>
          reader.workbookRels?.find((r) => r.Id === s.rId && (r.Type ?? '').endsWith('/worksheet'))?.Target,
      )
      .find((t) => t !== undefined);
    if (!target) throw new Error('the workbook names no visible worksheet');
    const part = partName(target);
    const sheetPath = part.startsWith('/') ? part.slice(1) : posix.normalize(`xl/${part}`);
    let expected = 1;
    for await (const row of readSheetRows(await required(sheetPath), context)) {
      // Keep spreadsheet row numbers: emit empty rows for gaps.
      for (; expected < row.number; expected++) yield [];
      yield row.cells;
      expected = row.number + 1;
    }
  } finally {
    for (const s of open) s.destroy();
    zip.close();
  }
}
