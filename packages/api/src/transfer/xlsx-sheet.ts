/**
 * The cell text of an XLSX worksheet as Excel shows it: shared strings, inline strings, numbers,
 * dates, booleans, errors and the cached values of formulas. exceljs 4.4.0's readers get these
 * wrong for an import: a string's phonetic guide (`<rPh>`, common in Chinese and Japanese files)
 * replaced its text, an inline string kept its last run only and had its entities decoded twice,
 * a formula whose cached value is an error (or missing) read as "[object Object]", a cell without
 * its optional `r` attribute failed with a TypeError, rows out of order were taken in file order,
 * and dates read as serial numbers (styles were not read).
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';

type XmlEvent = { open: SaxesTagPlain } | { close: string } | { text: string };

/** The XML events of a text stream, a chunk's worth at a time. */
async function* xmlEvents(source: AsyncIterable<string | Buffer>): AsyncGenerator<XmlEvent[]> {
  const parser = new SaxesParser();
  const decoder = new TextDecoder();
  let events: XmlEvent[] = [];
  let error: Error | undefined;
  parser.on('error', (err) => (error ??= err));
  parser.on('opentag', (tag) => events.push({ open: tag }));
  parser.on('closetag', (tag) => events.push({ close: tag.name }));
  parser.on('text', (text) => events.push({ text }));
  for await (const chunk of source) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (error) throw error;
    yield events;
    events = [];
  }
  parser.close();
  if (error) throw error;
  yield events;
}

/**
 * The text of a string item (`<si>`, `<is>`) as Excel shows it: its `<t>` elements, directly or
 * in rich-text runs (`<r>`), without phonetic guides (`<rPh>`) or whitespace between elements.
 */
class StringItem {
  text = '';
  private inText = false;
  private phonetic = 0;

  open(name: string) {
    if (name === 'rPh') this.phonetic++;
    else if (name === 't' && this.phonetic === 0) this.inText = true;
  }

  close(name: string) {
    if (name === 'rPh') this.phonetic--;
    else if (name === 't') this.inText = false;
  }

  chars(text: string) {
    if (this.inText) this.text += text;
  }
}

/** A package relationship (`_rels/*.rels`): its type's URI and its target as written. */
export interface Relationship {
  id: string;
  type: string;
  target: string;
}

/** The relationships of a `.rels` part. */
export async function readRelationships(source: AsyncIterable<string | Buffer>): Promise<Relationship[]> {
  const out: Relationship[] = [];
  for await (const events of xmlEvents(source))
    for (const e of events)
      if ('open' in e && e.open.name === 'Relationship') {
        const a = e.open.attributes;
        out.push({ id: a.Id ?? '', type: a.Type ?? '', target: a.Target ?? '' });
      }
  return out;
}

/** Whether the workbook counts dates from 1904 (`<workbookPr date1904="1|true">`). */
export async function readDate1904(source: AsyncIterable<string | Buffer>): Promise<boolean> {
  let date1904 = false;
  for await (const events of xmlEvents(source))
    for (const e of events)
      if ('open' in e && e.open.name === 'workbookPr')
        date1904 = ['1', 'true'].includes((e.open.attributes.date1904 ?? '').trim());
  return date1904;
}

/**
 * The shared strings table as plain text. More than `max` strings is an error: the archive check
 * counts them in a part named `sharedStrings.xml`, and the workbook may name another.
 */
export async function readSharedStrings(
  source: AsyncIterable<string | Buffer>,
  max = Number.POSITIVE_INFINITY,
): Promise<string[]> {
  const strings: string[] = [];
  let item: StringItem | null = null;
  for await (const events of xmlEvents(source))
    for (const e of events) {
      if ('open' in e) {
        if (e.open.name === 'si') item = new StringItem();
        else item?.open(e.open.name);
      } else if ('close' in e) {
        if (e.close === 'si' && item) {
          if (strings.length >= max) throw new SharedStringsLimitError(max);
          strings.push(item.text);
          item = null;
        } else item?.close(e.close);
      } else item?.chars(e.text);
    }
  return strings;
}

/** More shared strings than the limit allows (refused as `file.tooManySharedStrings`). */
export class SharedStringsLimitError extends Error {
  constructor(readonly max: number) {
    super(`more than ${max} shared strings`);
  }
}

/** Built-in number formats that show a date (the CJK ones, 27-31 and 50-58, included). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58]);

/** Whether a custom number format shows a date: a `y` or `d` outside quotes, brackets and escapes. */
const isDateFormat = (code: string) => /[dy]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\.|[_*]./g, ''));

/** The cell styles (indexes into `cellXfs` of `xl/styles.xml`) whose number format shows a date. */
export async function readDateStyles(source: AsyncIterable<string | Buffer>): Promise<Set<number>> {
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  let inCellXfs = false;
  for await (const events of xmlEvents(source))
    for (const e of events) {
      if ('open' in e) {
        const { name, attributes: a } = e.open;
        if (name === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
        else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) xfs.push(Number(a.numFmtId ?? 0));
      } else if ('close' in e && e.close === 'cellXfs') inCellXfs = false;
    }
  const dates = new Set<number>();
  xfs.forEach((id, i) => {
    const code = custom.get(id);
    if (code !== undefined ? isDateFormat(code) : DATE_FORMAT_IDS.has(id)) dates.add(i);
  });
  return dates;
}

/** What a worksheet's cells refer to. */
export interface SheetContext {
  strings: string[];
  dateStyles: Set<number>;
  date1904: boolean;
}

/** One worksheet row: its number and its cells' text by column (column A at index 0). */
export interface SheetRow {
  number: number;
  cells: string[];
}

/** Excel's last column (XFD). */
const MAX_COLUMN = 16384;
const DAY_MS = 86_400_000;
/** A number as a cell stores it (`xsd:double`, without INF and NaN). */
const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

const columnName = (col: number): string =>
  col > 26
    ? columnName(Math.floor((col - 1) / 26)) + columnName(((col - 1) % 26) + 1)
    : String.fromCharCode(64 + col);

/** A date serial as YYYY-MM-DD (the day Excel shows), or null outside Excel's dates. */
function serialDate(serial: number, date1904: boolean): string | null {
  const day = Math.floor(Math.round(serial * DAY_MS) / DAY_MS);
  if (!(day >= 1 && day <= 2_958_465)) return null;
  // The 1900 system counts a 29 February 1900 that never was: serials before it are a day late.
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, day < 61 ? 31 : 30);
  return new Date(base + day * DAY_MS).toISOString().slice(0, 10);
}

interface Cell {
  ref: string;
  type: string;
  style: number;
  formula: boolean;
  value: string | null;
  inline: StringItem | null;
}

/** The text Excel shows for a cell (its cached value, for a formula). */
function cellText(c: Cell, ctx: SheetContext): string {
  if (c.type === 'inlineStr') return c.inline?.text ?? c.value ?? '';
  if (c.type === 'e') return '';
  if (c.value === null) {
    if (c.formula) throw new Error(`cell ${c.ref} holds a formula whose value the file does not store`);
    return '';
  }
  switch (c.type) {
    case 's': {
      const text = /^\s*\d+\s*$/.test(c.value) ? ctx.strings[Number(c.value)] : undefined;
      if (text === undefined)
        throw new Error(`cell ${c.ref} names shared string ${c.value.trim()}, which the file lacks`);
      return text;
    }
    case 'str':
      return c.value;
    case 'b':
      return Number(c.value) !== 0 ? 'true' : 'false';
    case 'd':
      return /^\d{4}-\d{2}-\d{2}/.exec(c.value)?.[0] ?? c.value;
    default: {
      if (!c.value.trim()) return '';
      const n = NUMBER.test(c.value) ? Number(c.value) : NaN;
      if (!Number.isFinite(n))
        throw new Error(`cell ${c.ref} holds "${c.value.slice(0, 40)}", which is not a number`);
      return (ctx.dateStyles.has(c.style) && serialDate(n, ctx.date1904)) || String(n);
    }
  }
}

/**
 * The rows of a worksheet part, in order, each with the text of its cells. A row or cell without
 * its (optional) `r` attribute follows the previous one, as in Excel; rows and cells out of order
 * and cells beyond column XFD are refused.
 */
export async function* readSheetRows(
  source: AsyncIterable<string | Buffer>,
  ctx: SheetContext,
): AsyncGenerator<SheetRow> {
  let inData = false;
  let row: SheetRow | null = null;
  let lastRow = 0;
  let lastCol = 0;
  let cell: Cell | null = null;
  let inValue = false;
  let inInline = false;
  const texts: [col: number, text: string][] = [];
  for await (const events of xmlEvents(source)) {
    const done: SheetRow[] = [];
    for (const e of events) {
      if ('open' in e) {
        const { name, attributes: a } = e.open;
        if (inInline) cell!.inline!.open(name);
        else if (name === 'sheetData') inData = true;
        else if (name === 'row' && inData) {
          const n = a.r === undefined ? lastRow + 1 : /^\d+$/.test(a.r) ? Number(a.r) : NaN;
          if (Number.isNaN(n)) throw new Error(`row number "${a.r!.slice(0, 20)}" is not valid`);
          if (n <= lastRow) throw new Error(`row ${n} comes after row ${lastRow}`);
          row = { number: n, cells: [] };
          lastCol = 0;
        } else if (name === 'c' && row) {
          let col = lastCol + 1;
          if (a.r !== undefined) {
            const letters = /^([A-Z]{1,3})\d+$/.exec(a.r.toUpperCase())?.[1];
            if (!letters) throw new Error(`cell reference "${a.r.slice(0, 20)}" is not valid`);
            col = [...letters].reduce((n, l) => n * 26 + l.charCodeAt(0) - 64, 0);
          }
          if (col > MAX_COLUMN) throw new Error(`cell ${a.r} is beyond column XFD`);
          if (col <= lastCol) throw new Error(`cell ${a.r ?? columnName(col)} is out of order`);
          const ref = `${columnName(col)}${row.number}`;
          cell = {
            ref,
            type: a.t ?? 'n',
            style: Number(a.s ?? 0),
            formula: false,
            value: null,
            inline: null,
          };
          lastCol = col;
        } else if (cell && name === 'v') {
          cell.value = '';
          inValue = true;
        } else if (cell && name === 'f') cell.formula = true;
        else if (cell && name === 'is') {
          cell.inline = new StringItem();
          inInline = true;
        }
      } else if ('close' in e) {
        if (inInline && e.close !== 'is') cell!.inline!.close(e.close);
        else if (e.close === 'is') inInline = false;
        else if (e.close === 'v') inValue = false;
        else if (e.close === 'c' && cell && row) {
          const col = lastCol;
          const text = cellText(cell, ctx);
          if (text) texts.push([col, text]);
          cell = null;
        } else if (e.close === 'row' && row) {
          // As wide as its last cell with text: an empty cell far right (formatting) widens nothing.
          row.cells = texts.length ? new Array<string>(texts.at(-1)![0]).fill('') : [];
          for (const [col, text] of texts) row.cells[col - 1] = text;
          texts.length = 0;
          done.push(row);
          lastRow = row.number;
          row = null;
        } else if (e.close === 'sheetData') inData = false;
      } else if (inInline) cell!.inline!.chars(e.text);
      else if (inValue) cell!.value += e.text;
    }
    yield* done;
  }
}
