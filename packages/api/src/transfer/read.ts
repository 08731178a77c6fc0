import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { TRPCError } from '@trpc/server';
import yauzl from 'yauzl';
import { parseCsv } from './csv';
import { checkXlsxLimits, openZipFile, spoolToTempFile, XLSX_LIMITS, type XlsxLimits } from './xlsx-limits';
import {
  readDateStyles,
  readRelationships,
  readSharedStrings,
  readSheetRows,
  readWorkbook,
  SharedStringsLimitError,
} from './xlsx-sheet';
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
      for await (const row of readXlsxRows(spooled.path, limits)) {
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
 * A relationship's target as a part name in the archive: percent-decoded, absolute (`/xl/…`) or
 * relative to the part that names it (`dir`), normalised. A target outside the package is an error.
 */
function partPath(dir: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // kept as written
  }
  const joined = decoded.startsWith('/') ? decoded.slice(1) : posix.join(dir, decoded);
  const normal = posix.normalize(joined);
  if (normal.startsWith('../') || normal === '..' || posix.isAbsolute(normal))
    throw new Error(`a relationship points outside the workbook (${target.slice(0, 60)})`);
  return normal;
}

/**
 * The rows of the workbook's first visible worksheet (the first tab the user sees), read through
 * the ZIP's central directory. exceljs's own `WorkbookReader.parse` walks the archive once with
 * unzipper's `Parse`, which reports the end of the archive as soon as its input is consumed, while
 * entries may still wait to be read (exceljs#3064). Now and then the last entries never reach it:
 * `xl/workbook.xml`, which exceljs writes last (the file is refused as unreadable), or
 * `xl/sharedStrings.xml`, which Excel writes last (every text cell would read as "[object Object]").
 * Here each part is found as Excel finds it, through the package's and the workbook's
 * relationships, and read whole before the sheet: the relationships, the workbook, the shared
 * strings, the date styles and then the sheet, row by row, all through xlsx-sheet.ts, which reads
 * each cell's text as Excel shows it and each element by its namespace, whatever its prefix
 * (exceljs's parsers match tag names as written, and found no `<x:sheet>` nor `rel:id`).
 */
async function* readXlsxRows(path: string, limits: XlsxLimits): AsyncGenerator<string[]> {
  const { zip, entries } = await openZip(path);
  const open: Readable[] = [];
  const entry = async (name: string): Promise<Readable | undefined> => {
    const found = entries.get(name.toLowerCase());
    if (!found) return undefined;
    const stream = await new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(found, (err, s) => (err ? reject(err) : resolve(s))),
    );
    open.push(stream);
    // Decoded here, across chunks: a character whose bytes fall on both sides of a chunk boundary
    // (16 KiB of inflated XML) read as U+FFFD when exceljs decoded each chunk on its own.
    stream.setEncoding('utf8');
    return stream;
  };
  const required = async (name: string): Promise<Readable> =>
    (await entry(name)) ?? Promise.reject(new Error(`${name} is missing`));
  try {
    // Every part as Excel finds it: the workbook from the package's relationships, the sheets,
    // shared strings and styles from the workbook's. A part merely named like the usual one
    // (`xl/sharedStrings.xml` beside the strings the workbook names) is not what Excel shows.
    const packageRels = await entry('_rels/.rels');
    const officeDocument = packageRels
      ? (await readRelationships(packageRels, '_rels/.rels')).find((r) => r.type.endsWith('/officeDocument'))
      : undefined;
    const workbookPath = officeDocument ? partPath('', officeDocument.target) : 'xl/workbook.xml';
    const workbookDir = posix.dirname(workbookPath) === '.' ? '' : posix.dirname(workbookPath);
    const relsPath = posix.join(workbookDir, '_rels', `${posix.basename(workbookPath)}.rels`);
    const rels = await readRelationships(await required(relsPath), relsPath);
    const workbook = await readWorkbook(await required(workbookPath), workbookPath);
    // A part the relationships do not name is taken by its usual name, as some generators leave
    // the relationship out (Excel would repair such a file, so it shows no other text than this).
    const related = (type: string, usual: string) => {
      const r = rels.find((x) => x.type.endsWith(type));
      return r ? partPath(workbookDir, r.target) : posix.join(workbookDir, usual);
    };
    const stringsPath = related('/sharedStrings', 'sharedStrings.xml');
    const stylesPath = related('/styles', 'styles.xml');
    if (
      stringsPath &&
      (entries.get(stringsPath.toLowerCase())?.uncompressedSize ?? 0) > limits.maxSharedStringsBytes
    )
      fail('PAYLOAD_TOO_LARGE', 'file', 'file.sharedStringsTooLarge', {
        bytes: limits.maxSharedStringsBytes,
      });
    const strings = await entry(stringsPath);
    const styles = await entry(stylesPath);
    let sharedStrings: string[] = [];
    try {
      if (strings) sharedStrings = await readSharedStrings(strings, stringsPath, limits.maxSharedStrings);
    } catch (err) {
      if (err instanceof SharedStringsLimitError)
        fail('PAYLOAD_TOO_LARGE', 'file', 'file.tooManySharedStrings', { max: err.max });
      throw err;
    }
    const context = {
      strings: sharedStrings,
      dateStyles: styles ? await readDateStyles(styles, stylesPath) : new Set<number>(),
      date1904: workbook.date1904,
    };
    // The first tab the user sees: hidden sheets (a template's lists) and chart sheets are skipped.
    const target = workbook.sheets
      .filter((s) => s.state !== 'hidden' && s.state !== 'veryHidden')
      .map((s) => rels.find((r) => r.id === s.rId && r.type.endsWith('/worksheet'))?.target)
      .find((t) => t !== undefined);
    if (!target) throw new Error('the workbook names no visible worksheet');
    const sheetPath = partPath(workbookDir, target);
    let expected = 1;
    for await (const row of readSheetRows(await required(sheetPath), sheetPath, context)) {
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
