/**
 * The cell text of an XLSX worksheet as Excel shows it: shared strings, inline strings, numbers,
 * dates, booleans, errors and the cached values of formulas. exceljs 4.4.0's readers get these
 * wrong for an import: a string's phonetic guide (`<rPh>`, common in Chinese and Japanese files)
 * replaced its text, an inline string kept its last run only and had its entities decoded twice,
 * a formula whose cached value is an error (or missing) read as "[object Object]", a cell without
 * its optional `r` attribute failed with a TypeError, rows out of order were taken in file order,
 * and dates read as serial numbers (styles were not read). Every part (the relationships and the
 * workbook too) is read here, its elements matched by namespace and local name, whatever prefix
 * the file binds the namespace to: exceljs matched tag names as written, and read nothing of a
 * file whose parts are all prefixed (`<x:worksheet>`), as the .NET OpenXML SDK writes them.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';

/** SpreadsheetML, transitional (what Excel writes) and strict (ISO 29500, "Strict Open XML"). */
const SPREADSHEETML = new Set([
  'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  'http://purl.oclc.org/ooxml/spreadsheetml/main',
]);
/** The namespace of a sheet's `r:id`, transitional and strict. */
const OFFICE_RELATIONSHIPS = new Set([
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  'http://purl.oclc.org/ooxml/officeDocument/relationships',
]);
/** The namespace of `.rels` parts (the package's, the same in strict files). */
const PACKAGE_RELATIONSHIPS = new Set(['http://schemas.openxmlformats.org/package/2006/relationships']);

/** What a part must be: the namespaces of its vocabulary and the local name of its root element. */
interface PartKind {
  namespaces: ReadonlySet<string>;
  root: string;
}

const WORKSHEET: PartKind = { namespaces: SPREADSHEETML, root: 'worksheet' };
const SHARED_STRINGS: PartKind = { namespaces: SPREADSHEETML, root: 'sst' };
const STYLES: PartKind = { namespaces: SPREADSHEETML, root: 'styleSheet' };
const WORKBOOK: PartKind = { namespaces: SPREADSHEETML, root: 'workbook' };
const RELATIONSHIPS: PartKind = { namespaces: PACKAGE_RELATIONSHIPS, root: 'Relationships' };

/** An element's events name it by local name only: its namespace is always the part's own. */
type XmlEvent = { open: SaxesTagNS } | { close: string } | { text: string };

/** An unprefixed attribute (all of SpreadsheetML's but `r:id`), which is in no namespace. */
const attr = (tag: SaxesTagNS, local: string): string | undefined => tag.attributes[local]?.value;

const namespaceOf = (tag: SaxesTagNS) =>
  tag.uri ? `of namespace ${tag.uri.slice(0, 80)}` : 'of no namespace';

/**
 * The XML events of a part (`name`, for error messages), a chunk's worth at a time, its elements
 * matched by namespace, not by prefix: Excel reads `<x:c>` with x bound to SpreadsheetML as `<c>`
 * (the .NET OpenXML SDK writes every part so), and a `<c>` of another namespace, or of none, as
 * none of its own. An element of another namespace is dropped with everything in it: an extension
 * Excel would skip (`x14ac:`, `mc:AlternateContent`, whose choices hold nothing these readers take)
 * or a look-alike. A part whose root is not `kind.root` of its namespace is refused.
 */
async function* xmlEvents(
  source: AsyncIterable<string | Buffer>,
  name: string,
  kind: PartKind,
): AsyncGenerator<XmlEvent[]> {
  // fileName names the part in saxes's own messages ("xl/sharedStrings.xml:1:5: unbound …").
  const parser = new SaxesParser({ xmlns: true, fileName: name });
  const decoder = new TextDecoder();
  let events: XmlEvent[] = [];
  let error: Error | undefined;
  let atRoot = true;
  // How deep inside a dropped (foreign) element the parser is.
  let foreign = 0;
  parser.on('error', (err) => (error ??= err));
  parser.on('opentag', (tag) => {
    if (atRoot && !(kind.namespaces.has(tag.uri) && tag.local === kind.root))
      error ??= new Error(`${name}: <${tag.name}> ${namespaceOf(tag)} is not a ${kind.root} part`);
    atRoot = false;
    if (foreign || !kind.namespaces.has(tag.uri)) foreign++;
    else events.push({ open: tag });
  });
  parser.on('closetag', (tag) => {
    if (foreign) foreign--;
    else events.push({ close: tag.local });
  });
  parser.on('text', (text) => {
    if (!foreign) events.push({ text });
  });
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

  open(local: string) {
    if (local === 'rPh') this.phonetic++;
    else if (local === 't' && this.phonetic === 0) this.inText = true;
  }

  close(local: string) {
    if (local === 'rPh') this.phonetic--;
    else if (local === 't') this.inText = false;
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

/** The relationships of a `.rels` part (`name`, for error messages). */
export async function readRelationships(
  source: AsyncIterable<string | Buffer>,
  name: string,
): Promise<Relationship[]> {
  const out: Relationship[] = [];
  for await (const events of xmlEvents(source, name, RELATIONSHIPS))
    for (const e of events)
      if ('open' in e && e.open.local === 'Relationship')
        out.push({
          id: attr(e.open, 'Id') ?? '',
          type: attr(e.open, 'Type') ?? '',
          target: attr(e.open, 'Target') ?? '',
        });
  return out;
}

/** A sheet of the workbook: its relationship's id and its state (hidden or not). */
export interface WorkbookSheet {
  rId: string;
  state: string;
}

/** What an import needs of the workbook part. */
export interface Workbook {
  /** In tab order. */
  sheets: WorkbookSheet[];
  /** Whether dates count from 1904 (`<workbookPr date1904="1|true">`). */
  date1904: boolean;
}

/** A sheet's `r:id`, whatever its prefix: the attribute `id` of the relationships namespace. */
const relationshipId = (tag: SaxesTagNS): string =>
  Object.values(tag.attributes).find((a) => a.local === 'id' && OFFICE_RELATIONSHIPS.has(a.uri))?.value ?? '';

/** The workbook part (`name`, for error messages): its sheets and its date system, in one read. */
export async function readWorkbook(source: AsyncIterable<string | Buffer>, name: string): Promise<Workbook> {
  const book: Workbook = { sheets: [], date1904: false };
  let inSheets = false;
  for await (const events of xmlEvents(source, name, WORKBOOK))
    for (const e of events) {
      if ('open' in e) {
        const { local } = e.open;
        if (local === 'workbookPr')
          book.date1904 = ['1', 'true'].includes((attr(e.open, 'date1904') ?? '').trim());
        else if (local === 'sheets') inSheets = true;
        else if (local === 'sheet' && inSheets)
          book.sheets.push({ rId: relationshipId(e.open), state: attr(e.open, 'state') ?? 'visible' });
      } else if ('close' in e && e.close === 'sheets') inSheets = false;
    }
  return book;
}

/**
 * The shared strings table (part `name`, for error messages) as plain text. More than `max` strings is an error: the archive check
 * counts them in a part named `sharedStrings.xml`, and the workbook may name another.
 */
export async function readSharedStrings(
  source: AsyncIterable<string | Buffer>,
  name: string,
  max = Number.POSITIVE_INFINITY,
): Promise<string[]> {
  const strings: string[] = [];
  let item: StringItem | null = null;
  for await (const events of xmlEvents(source, name, SHARED_STRINGS))
    for (const e of events) {
      if ('open' in e) {
        if (e.open.local === 'si') item = new StringItem();
        else item?.open(e.open.local);
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

/**
 * The cell styles (indexes into `cellXfs` of the styles part, `name` for error messages) whose
 * number format shows a date.
 */
export async function readDateStyles(
  source: AsyncIterable<string | Buffer>,
  name: string,
): Promise<Set<number>> {
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  // Cells' formats are those of `<numFmts>`: a conditional format's (`<dxf>`) may reuse an id.
  let inNumFmts = false;
  let inCellXfs = false;
  for await (const events of xmlEvents(source, name, STYLES))
    for (const e of events) {
      if ('open' in e) {
        const { local } = e.open;
        if (local === 'numFmts') inNumFmts = true;
        else if (local === 'numFmt' && inNumFmts)
          custom.set(Number(attr(e.open, 'numFmtId')), attr(e.open, 'formatCode') ?? '');
        else if (local === 'cellXfs') inCellXfs = true;
        else if (local === 'xf' && inCellXfs) xfs.push(Number(attr(e.open, 'numFmtId') ?? 0));
      } else if ('close' in e) {
        if (e.close === 'numFmts') inNumFmts = false;
        else if (e.close === 'cellXfs') inCellXfs = false;
      }
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
  name: string,
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
  for await (const events of xmlEvents(source, name, WORKSHEET)) {
    const done: SheetRow[] = [];
    for (const e of events) {
      if ('open' in e) {
        const { local } = e.open;
        const r = attr(e.open, 'r');
        if (inInline) cell!.inline!.open(local);
        else if (local === 'sheetData') inData = true;
        else if (local === 'row' && inData) {
          const n = r === undefined ? lastRow + 1 : /^\d+$/.test(r) ? Number(r) : NaN;
          if (Number.isNaN(n)) throw new Error(`row number "${r!.slice(0, 20)}" is not valid`);
          if (n <= lastRow) throw new Error(`row ${n} comes after row ${lastRow}`);
          row = { number: n, cells: [] };
          lastCol = 0;
        } else if (local === 'c' && row) {
          let col = lastCol + 1;
          if (r !== undefined) {
            const letters = /^([A-Z]{1,3})\d+$/.exec(r.toUpperCase())?.[1];
            if (!letters) throw new Error(`cell reference "${r.slice(0, 20)}" is not valid`);
            col = [...letters].reduce((n, l) => n * 26 + l.charCodeAt(0) - 64, 0);
          }
          if (col > MAX_COLUMN) throw new Error(`cell ${r} is beyond column XFD`);
          if (col <= lastCol) throw new Error(`cell ${r ?? columnName(col)} is out of order`);
          const ref = `${columnName(col)}${row.number}`;
          cell = {
            ref,
            type: attr(e.open, 't') ?? 'n',
            style: Number(attr(e.open, 's') ?? 0),
            formula: false,
            value: null,
            inline: null,
          };
          lastCol = col;
        } else if (cell && local === 'v') {
          cell.value = '';
          inValue = true;
        } else if (cell && local === 'f') cell.formula = true;
        else if (cell && local === 'is') {
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
