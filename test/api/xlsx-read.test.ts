/**
 * Reading an uploaded XLSX. exceljs's streaming reader loses the archive's last entries now and
 * then (exceljs#3064): the workbook in files exceljs writes (a good file refused as unreadable,
 * which failed a CI run), the shared strings in files Excel writes (text cells read as
 * "[object Object]"). These files put each part last, and are read many times over.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRows, XLSX_LIMITS } from '@spotcheck/api/testing';
import { buildZip } from '../security/zip';
import type { Entry, ZipFile } from '../../packages/api/node_modules/@types/yauzl';

// exceljs and yauzl are dependencies of packages/api, not of the workspace root.
const requireApi = createRequire(resolve(__dirname, '../../packages/api/package.json'));
const ExcelJS = requireApi('exceljs') as typeof import('../../packages/api/node_modules/exceljs');
const yauzl = requireApi('yauzl') as typeof import('../../packages/api/node_modules/@types/yauzl');

const ROWS = [
  ['执法人员编号(id)', '姓名(name)', '每季度可承担任务数(capacityPerQuarter)'],
  ['I120116-01', '张三', '10'],
  ['I120116-02', '李四', '8'],
];

const NOTES = [['请在“名单”表中填写']];

/** A two-sheet workbook: 名单 (the roster) is stored as sheet1.xml, 说明 (notes) as sheet2.xml. */
async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const roster = wb.addWorksheet('名单');
  for (const r of ROWS) roster.addRow(r.map((v, i) => (i === 2 && /^\d+$/.test(v) ? Number(v) : v)));
  wb.addWorksheet('说明').addRow(NOTES[0]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The files of a ZIP, in stored order (directories left out). */
async function unpack(zip: Buffer): Promise<Map<string, Buffer>> {
  const z = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, f) => (err ? reject(err) : resolve(f))),
  );
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    z.on('error', reject);
    z.on('end', () => resolve());
    z.on('entry', (e: Entry) => {
      if (e.fileName.endsWith('/')) return z.readEntry();
      z.openReadStream(e, (err, s) => {
        if (err) return reject(err);
        const parts: Buffer[] = [];
        s.on('data', (c: Buffer) => parts.push(c));
        s.on('end', () => {
          files.set(e.fileName, Buffer.concat(parts));
          z.readEntry();
        });
      });
    });
    z.readEntry();
  });
  return files;
}

/** Repacks `files` with `last` moved to the end, in that order. */
const withLast = (files: Map<string, Buffer>, last: string[]) =>
  buildZip(
    [...[...files.keys()].filter((n) => !last.includes(n)), ...last].map((name) => ({
      name,
      chunk: files.get(name)!,
      repeat: 1,
    })),
  );

/** Makes the sheet stored as sheet2.xml the workbook's first tab. */
const notesFirst = (files: Map<string, Buffer>) => {
  const xml = files.get('xl/workbook.xml')!.toString('utf8');
  const sheets = /<sheets>(<sheet [^>]*\/>)(<sheet [^>]*\/>)<\/sheets>/.exec(xml);
  expect(sheets, 'workbook.xml lists two sheets').not.toBeNull();
  const out = new Map(files);
  out.set(
    'xl/workbook.xml',
    Buffer.from(xml.replace(sheets![0], `<sheets>${sheets![2]}${sheets![1]}</sheets>`)),
  );
  return out;
};

const read = async (file: Buffer, limits = XLSX_LIMITS) => {
  const rows: string[][] = [];
  for await (const row of readRows('xlsx', file, limits)) rows.push(row);
  return rows;
};

/** `files` with one part's text edited. */
const edited = (files: Map<string, Buffer>, name: string, edit: (xml: string) => string) => {
  const before = files.get(name)!.toString('utf8');
  const after = edit(before);
  expect(after, `${name} edited`).not.toBe(before);
  const out = new Map(files);
  out.set(name, Buffer.from(after));
  return out;
};

/** The roster sheet's relationship in `xl/_rels/workbook.xml.rels` (exceljs writes it first). */
const ROSTER_TARGET = 'worksheets/sheet1.xml';

describe('XLSX import reads the first tab, whatever order the archive stores its parts in', () => {
  it('a file as exceljs writes it (the workbook stored last), read 200 times', async () => {
    const files = await unpack(await workbook());
    const file = await withLast(files, ['xl/workbook.xml']);
    for (let i = 0; i < 200; i++) expect(await read(file)).toEqual(ROWS);
  });

  it('a file as Excel writes it (the shared strings stored last), read 200 times', async () => {
    const files = await unpack(await workbook());
    const order = ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels'];
    const excel = new Map(
      [...order, ...[...files.keys()].filter((n) => !order.includes(n))].map((n) => [n, files.get(n)!]),
    );
    const file = await withLast(excel, ['xl/sharedStrings.xml']);
    for (let i = 0; i < 200; i++) expect(await read(file)).toEqual(ROWS);
  });

  it('the first tab is read even when it is stored second; a file without its workbook is refused by name', async () => {
    const files = await unpack(await workbook());
    expect(await read(await withLast(files, []))).toEqual(ROWS);
    expect(await read(await withLast(notesFirst(files), []))).toEqual(NOTES);
    const broken = new Map(files);
    broken.delete('xl/workbook.xml');
    await expect(read(await withLast(broken, []))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/xl\/workbook\.xml/),
    });
  });

  it('the first tab the user sees: a hidden first sheet is skipped, a part named in other case or escaped is found', async () => {
    const files = await unpack(await workbook());
    const hidden = edited(notesFirst(files), 'xl/workbook.xml', (x) =>
      x.replace('name="说明" state="visible"', 'name="说明" state="hidden"'),
    );
    expect(await read(await withLast(hidden, []))).toEqual(ROWS);
    const otherCase = edited(files, 'xl/_rels/workbook.xml.rels', (x) =>
      x.replace(ROSTER_TARGET, 'Worksheets/Sheet%31.xml'),
    );
    expect(await read(await withLast(otherCase, []))).toEqual(ROWS);
  });

  it('the row limit holds for the sheet the workbook names, wherever it is stored, and for gaps', async () => {
    const files = await unpack(await workbook());
    const limits = { ...XLSX_LIMITS, maxRows: 2 };
    await expect(read(await withLast(files, []), limits)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: { code: 'file.tooManyRows', params: { max: 2 } },
    });
    // Outside xl/worksheets/, where the archive check counts rows: counted as they are read.
    const moved = new Map(files);
    moved.set('rows.xml', files.get('xl/worksheets/sheet1.xml')!);
    moved.delete('xl/worksheets/sheet1.xml');
    const elsewhere = edited(moved, 'xl/_rels/workbook.xml.rels', (x) =>
      x.replace(ROSTER_TARGET, '../rows.xml'),
    );
    expect(await read(await withLast(elsewhere, []))).toEqual(ROWS);
    await expect(read(await withLast(elsewhere, []), limits)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: { code: 'file.tooManyRows' },
    });
    // One row numbered two billion would be two billion empty rows.
    const gap = edited(files, 'xl/worksheets/sheet1.xml', (x) =>
      x.replace(/<row r="3"/, '<row r="2000000000"'),
    );
    await expect(read(await withLast(gap, []), { ...XLSX_LIMITS, maxRows: 1000 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: { code: 'file.tooManyRows', params: { max: 1000 } },
    });
  });

  it('refuses an archive with two parts of one name, naming it', async () => {
    const file = await unpack(await workbook());
    const entries = [...file.keys()].map((name) => ({ name, chunk: file.get(name)!, repeat: 1 }));
    const twice = await buildZip([
      ...entries,
      { name: 'XL/Worksheets/Sheet1.xml', chunk: Buffer.from('<x/>'), repeat: 1 },
    ]);
    await expect(read(twice)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      reason: { code: 'file.unreadable', params: { detail: 'two parts are named XL/Worksheets/Sheet1.xml' } },
    });
  });
});

describe('XLSX import reads the text Excel shows', () => {
  it('Chinese text is read whole, wherever the inflated stream splits a character', async () => {
    // Each entry is inflated in chunks of 16 KiB; a three-byte character falls across chunks.
    const roster = Array.from({ length: 3000 }, (_, i) => [`I120116-${i}`, `张三李四王五${i}`]);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    for (const r of roster) ws.addRow(r);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await read(file)).toEqual(roster);
  });
});

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A one-sheet XLSX from raw XML: the sheet's `<sheetData>`, shared strings and styles. */
function rawXlsx(o: { sheetData: string; strings?: string; styles?: string; workbookPr?: string }) {
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    '_rels/.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<workbook xmlns="${MAIN}" xmlns:r="${REL}">${o.workbookPr ?? ''}<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<worksheet xmlns="${MAIN}"><sheetData>${o.sheetData}</sheetData></worksheet>`,
  };
  if (o.strings !== undefined) parts['xl/sharedStrings.xml'] = `<sst xmlns="${MAIN}">${o.strings}</sst>`;
  if (o.styles !== undefined) parts['xl/styles.xml'] = `<styleSheet xmlns="${MAIN}">${o.styles}</styleSheet>`;
  return buildZip(Object.entries(parts).map(([name, xml]) => ({ name, chunk: Buffer.from(xml), repeat: 1 })));
}

/** The detail of an import refused as unreadable. */
const unreadable = (detail: string | RegExp) => ({
  code: 'BAD_REQUEST',
  reason: {
    code: 'file.unreadable',
    params: { detail: typeof detail === 'string' ? detail : expect.stringMatching(detail) },
  },
});

describe('XLSX import reads each cell as Excel shows it', () => {
  it('a phonetic guide (<rPh>) is not part of a string, shared or inline; rich-text runs are joined', async () => {
    const file = await rawXlsx({
      strings:
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>' +
        '<si><r><t>张</t></r><r><rPr><b/></rPr><t>三</t></r><rPh sb="0" eb="2"><t>ㄓㄤ ㄙㄢ</t></rPh></si>' +
        '<si>\n  <t>李四</t>\n</si>',
      sheetData:
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>' +
        '<row r="2"><c r="A2" t="inlineStr"><is><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></is></c>' +
        '<c r="B2" t="inlineStr"><is><r><t>张</t></r><r><t>三</t></r></is></c></row>',
    });
    expect(await read(file)).toEqual([
      ['東京', '张三', '李四'],
      ['東京', '张三'],
    ]);
  });

  it('entities are decoded once (a cell that reads "&lt;" in Excel is imported as "&lt;")', async () => {
    const file = await rawXlsx({
      sheetData:
        '<row r="1"><c r="A1" t="inlineStr"><is><t>A&amp;lt;B</t></is></c>' +
        '<c r="B1" t="str"><f>"&amp;amp;"</f><v>&amp;amp;</v></c></row>',
    });
    expect(await read(file)).toEqual([['A&lt;B', '&amp;']]);
  });

  it('a formula reads as its cached value: an error as an error cell does, a boolean as one; none is refused', async () => {
    const file = await rawXlsx({
      sheetData:
        '<row r="1"><c r="A1" t="e"><v>#N/A</v></c><c r="B1" t="e"><f>1/0</f><v>#DIV/0!</v></c>' +
        '<c r="C1" t="b"><f>TRUE()</f><v>1</v></c><c r="D1"><f>1+1</f><v>2</v></c></row>',
    });
    expect(await read(file)).toEqual([['', '', 'true', '2']]);
    const uncached = await rawXlsx({ sheetData: '<row r="1"><c r="A1"><f>"张"&amp;"三"</f></c></row>' });
    await expect(read(uncached)).rejects.toMatchObject(unreadable(/^cell A1 holds a formula/));
  });

  it('rows and cells without their optional r attribute follow the previous ones; rows out of order are refused', async () => {
    const file = await rawXlsx({
      strings: '<si><t>张三</t></si>',
      sheetData:
        '<row r="1"><c t="s"><v>0</v></c><c><v>8</v></c></row><row><c r="C2"><v>1</v></c><c><v>2</v></c></row>',
    });
    expect(await read(file)).toEqual([
      ['张三', '8'],
      ['', '', '1', '2'],
    ]);
    const reordered = await rawXlsx({
      sheetData: '<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>',
    });
    await expect(read(reordered)).rejects.toMatchObject(unreadable('row 2 comes after row 3'));
    const missing = await rawXlsx({
      strings: '',
      sheetData: '<row r="1"><c r="A1" t="s"><v>7</v></c></row>',
    });
    await expect(read(missing)).rejects.toMatchObject(unreadable(/^cell A1 names shared string 7/));
  });

  it('a date reads as YYYY-MM-DD, as Excel shows it (built-in, Chinese and custom formats, 1904 dates)', async () => {
    const styles =
      '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy/m/d;@"/></numFmts>' +
      '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="31"/><xf numFmtId="176"/></cellXfs>';
    const sheetData =
      '<row r="1"><c r="A1" s="1"><v>45352</v></c><c r="B1" s="2"><v>45352</v></c>' +
      '<c r="C1" s="3"><v>45352.75</v></c><c r="D1"><v>45352</v></c></row>';
    expect(await read(await rawXlsx({ styles, sheetData }))).toEqual([
      ['2024-03-01', '2024-03-01', '2024-03-01', '45352'],
    ]);
    // A conditional format's number format (<dxf>) is not a cell's, though it may reuse an id.
    const dxf = '<dxfs count="1"><dxf><numFmt numFmtId="176" formatCode="0.00"/></dxf></dxfs>';
    expect(await read(await rawXlsx({ styles: styles + dxf, sheetData }))).toEqual([
      ['2024-03-01', '2024-03-01', '2024-03-01', '45352'],
    ]);
    const in1904 = await rawXlsx({ styles, sheetData, workbookPr: '<workbookPr date1904="1"/>' });
    expect((await read(in1904))[0]!.slice(0, 3)).toEqual(['2028-03-02', '2028-03-02', '2028-03-02']);
    // As exceljs writes a date (and a user types one in Excel): a date cell, not text.
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('名单').addRow(['I120116-01', new Date(Date.UTC(2024, 2, 1))]);
    expect(await read(Buffer.from(await wb.xlsx.writeBuffer()))).toEqual([['I120116-01', '2024-03-01']]);
  });

  it('a row is as wide as its last cell with text, and the cells read are limited', async () => {
    // An empty (formatted) cell far right widens nothing.
    const styled = await rawXlsx({ sheetData: '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="1"/></row>' });
    expect(await read(styled)).toEqual([['1']]);
    // A value in column XFD is a row of 16,384 cells: 2,000 such rows (10 KB zipped) are refused.
    const rows = Array.from(
      { length: 2000 },
      (_, i) => `<row r="${i + 1}"><c r="XFD${i + 1}"><v>1</v></c></row>`,
    );
    const wide = await rawXlsx({ sheetData: rows.join('') });
    await expect(read(wide, { ...XLSX_LIMITS, maxCells: 1_000_000 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: { code: 'file.tooManyCells', params: { max: 1_000_000 } },
    });
  });
});

describe('XLSX import finds every part as Excel does, through the relationships', () => {
  const TYPES =
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>';
  const rels = (...r: [id: string, type: string, target: string][]) =>
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${r
      .map(([id, type, target]) => `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"/>`)
      .join('')}</Relationships>`;
  /** The parts given, with the content types and (unless given) the package's usual relationship. */
  const zip = (parts: Record<string, string>) =>
    buildZip(
      Object.entries({
        '[Content_Types].xml': TYPES,
        '_rels/.rels': rels(['rId1', 'officeDocument', 'xl/workbook.xml']),
        ...parts,
      }).map(([name, xml]) => ({ name, chunk: Buffer.from(xml), repeat: 1 })),
    );
  const book = (pr = '') =>
    `<workbook xmlns="${MAIN}" xmlns:r="${REL}">${pr}<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const sheet = (data: string) => `<worksheet xmlns="${MAIN}"><sheetData>${data}</sheetData></worksheet>`;
  const sst = (...s: string[]) =>
    `<sst xmlns="${MAIN}">${s.map((t) => `<si><t>${t}</t></si>`).join('')}</sst>`;

  it('reads the shared strings the workbook names, not a decoy named like the usual part', async () => {
    const file = await zip({
      'xl/workbook.xml': book(),
      'xl/_rels/workbook.xml.rels': rels(
        ['rId1', 'worksheet', 'worksheets/sheet1.xml'],
        ['rId2', 'sharedStrings', 'strings/real.xml'],
      ),
      'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
      'xl/strings/real.xml': sst('张三（Excel 显示的）'),
      'xl/sharedStrings.xml': sst('诱饵'),
    });
    expect(await read(file)).toEqual([['张三（Excel 显示的）']]);
  });

  it('reads a workbook wherever the package puts it, its sheet by an absolute or ".." target', async () => {
    const file = await zip({
      '_rels/.rels': rels(['rId1', 'officeDocument', '/book/wb.xml']),
      'book/wb.xml': book(),
      'book/_rels/wb.xml.rels': rels(['rId1', 'worksheet', '../tabs/first.xml']),
      'tabs/first.xml': sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>李四</t></is></c></row>'),
    });
    expect(await read(file)).toEqual([['李四']]);
  });

  it('refuses a relationship that points outside the package', async () => {
    const file = await zip({
      'xl/workbook.xml': book(),
      'xl/_rels/workbook.xml.rels': rels(['rId1', 'worksheet', '../../../etc/sheet.xml']),
    });
    await expect(read(file)).rejects.toMatchObject(unreadable(/^a relationship points outside the workbook/));
  });

  it('counts the strings of a part the workbook names against the limit, whatever its name', async () => {
    const file = await zip({
      'xl/workbook.xml': book(),
      'xl/_rels/workbook.xml.rels': rels(
        ['rId1', 'worksheet', 'worksheets/sheet1.xml'],
        ['rId2', 'sharedStrings', 'words.xml'],
      ),
      'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
      'xl/words.xml': sst('一', '二', '三', '四'),
    });
    await expect(read(file, { ...XLSX_LIMITS, maxSharedStrings: 3 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: { code: 'file.tooManySharedStrings', params: { max: 3 } },
    });
    expect(await read(file, { ...XLSX_LIMITS, maxSharedStrings: 4 })).toEqual([['一']]);
  });

  it('counts dates from 1904 when the workbook says date1904="true" as well as "1"', async () => {
    const styles = `<styleSheet xmlns="${MAIN}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`;
    const parts = (flag: string) =>
      zip({
        'xl/workbook.xml': book(`<workbookPr date1904="${flag}"/>`),
        'xl/_rels/workbook.xml.rels': rels(
          ['rId1', 'worksheet', 'worksheets/sheet1.xml'],
          ['rId2', 'styles', 'styles.xml'],
        ),
        'xl/styles.xml': styles,
        'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1" s="1"><v>45000</v></c></row>'),
      });
    // 45,000 days after 1 January 1904 (the 1900 system would say 2023-03-15).
    expect(await read(await parts('true'))).toEqual([['2027-03-16']]);
    expect(await read(await parts('1'))).toEqual([['2027-03-16']]);
    expect(await read(await parts('false'))).toEqual([['2023-03-15']]);
  });
});

describe('XLSX import reads parts whatever prefix their namespace is bound to, as Excel does', () => {
  const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
  const OTHER = 'urn:example:not-spreadsheetml';
  const rels = (...r: [id: string, type: string, target: string][]) =>
    `<Relationships xmlns="${PKG}">${r
      .map(([id, type, target]) => `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"/>`)
      .join('')}</Relationships>`;
  const zip = (parts: Record<string, string>) =>
    buildZip(Object.entries(parts).map(([name, xml]) => ({ name, chunk: Buffer.from(xml), repeat: 1 })));
  /** `xml` with every element in the default namespace written with `prefix` instead. */
  const prefixed = (xml: string, prefix: string) =>
    xml.replace(/<(\/?)([A-Za-z]\w*)(?=[\s/>])/g, `<$1${prefix}:$2`).replace(/xmlns="/g, `xmlns:${prefix}="`);

  /** A two-sheet workbook (the first hidden) with every kind of cell text, written without prefixes. */
  const PLAIN: Record<string, string> = {
    '_rels/.rels': rels(['rId1', 'officeDocument', 'xl/workbook.xml']),
    'xl/workbook.xml':
      `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><workbookPr date1904="1"/><sheets>` +
      '<sheet name="说明" sheetId="2" state="hidden" r:id="rId2"/><sheet name="名单" sheetId="1" r:id="rId1"/>' +
      '</sheets></workbook>',
    'xl/_rels/workbook.xml.rels': rels(
      ['rId1', 'worksheet', 'worksheets/sheet1.xml'],
      ['rId2', 'worksheet', 'worksheets/sheet2.xml'],
      ['rId3', 'sharedStrings', 'sharedStrings.xml'],
      ['rId4', 'styles', 'styles.xml'],
    ),
    'xl/worksheets/sheet1.xml':
      `<worksheet xmlns="${MAIN}"><sheetData>` +
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>' +
      '<c r="C1" t="inlineStr"><is><r><t>李</t></r><r><rPr><b/></rPr><t>四</t></r><rPh sb="0" eb="2"><t>リシ</t></rPh></is></c></row>' +
      '<row r="3"><c r="A3" s="1"><v>45000</v></c><c r="B3" s="2"><v>45000.5</v></c>' +
      '<c r="C3"><v>3.5</v></c><c r="D3" t="b"><v>1</v></c></row>' +
      '</sheetData></worksheet>',
    'xl/worksheets/sheet2.xml': `<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
    'xl/sharedStrings.xml':
      `<sst xmlns="${MAIN}" count="2" uniqueCount="2"><si><t>张三</t></si>` +
      '<si><r><t>東</t></r><r><rPr><b/></rPr><t>京</t></r><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si></sst>',
    'xl/styles.xml':
      `<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy/m/d;@"/></numFmts>` +
      '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/></cellXfs></styleSheet>',
  };
  // 45,000 days after 1 January 1904 (date1904="1").
  const EXPECTED = [['张三', '東京', '李四'], [], ['2027-03-16', '2027-03-16', '3.5', 'true']];

  /** PLAIN as the .NET OpenXML SDK writes it: `x:` on SpreadsheetML, a prefix on relationships too. */
  const asOpenXmlSdk = () =>
    Object.fromEntries(
      Object.entries(PLAIN).map(([name, xml]) => [
        name,
        name.endsWith('.rels')
          ? prefixed(xml, 'pr')
          : prefixed(xml, 'x').replace('xmlns:r=', 'xmlns:rel=').replaceAll(' r:id=', ' rel:id='),
      ]),
    );

  it('a workbook whose every part is prefixed reads exactly as the same workbook unprefixed', async () => {
    expect(await read(await zip(PLAIN))).toEqual(EXPECTED);
    const sdk = asOpenXmlSdk();
    expect(sdk['xl/worksheets/sheet1.xml']).toMatch(
      /^<x:worksheet xmlns:x="[^"]+"><x:sheetData><x:row r="1"><x:c /,
    );
    expect(sdk['xl/workbook.xml']).toContain('<x:workbookPr date1904="1"/>');
    expect(sdk['_rels/.rels']).toMatch(/^<pr:Relationships xmlns:pr=/);
    expect(await read(await zip(sdk))).toEqual(EXPECTED);
  });

  it('the strict (ISO 29500) namespaces read as the transitional ones, prefixed or not', async () => {
    const strict = (parts: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(parts).map(([name, xml]) => [
          name,
          xml
            .replaceAll(MAIN, 'http://purl.oclc.org/ooxml/spreadsheetml/main')
            .replaceAll(REL, 'http://purl.oclc.org/ooxml/officeDocument/relationships'),
        ]),
      );
    expect(await read(await zip(strict(PLAIN)))).toEqual(EXPECTED);
    expect(await read(await zip(strict(asOpenXmlSdk())))).toEqual(EXPECTED);
  });

  it('elements are told apart by namespace, not by prefix: a prefix-bound and a default namespace mixed', async () => {
    const sheet = (xml: string) => zip({ ...PLAIN, 'xl/worksheets/sheet1.xml': xml });
    // The main namespace bound to x:, the default namespace another one: unprefixed cells are not ours.
    const other = await sheet(
      `<x:worksheet xmlns:x="${MAIN}" xmlns="${OTHER}"><x:sheetData>` +
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><c r="B1" t="s"><v>1</v></c>' +
        '<x:c r="C1" t="inlineStr"><x:is><x:t>李</x:t><t>诱饵</t></x:is></x:c></x:row>' +
        '<row r="2"><c r="A2"><v>1</v></c></row><x:row r="3"><x:c r="A3"><v>7</v></x:c></x:row>' +
        '</x:sheetData></x:worksheet>',
    );
    expect(await read(other)).toEqual([['张三', '', '李'], [], []]);
    // The main namespace bound to x: with unprefixed elements in no namespace at all.
    const none = await sheet(
      `<x:worksheet xmlns:x="${MAIN}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>` +
        '<c r="B1"><v>2</v></c></x:row><row r="2"><c r="A2"><v>3</v></c></row></x:sheetData></x:worksheet>',
    );
    expect(await read(none)).toEqual([['1']]);
    // The main namespace both default and bound to x:: every element is ours, whichever way it is written.
    const both = await sheet(
      `<worksheet xmlns="${MAIN}" xmlns:x="${MAIN}"><x:sheetData><row r="1"><x:c r="A1"><v>1</v></x:c>` +
        '<c r="B1" t="inlineStr"><x:is><t>张</t><x:t>三</x:t></x:is></c></row></x:sheetData></worksheet>',
    );
    expect(await read(both)).toEqual([['1', '张三']]);
    // The shared strings and the styles likewise: a string or style of no namespace shifts no index.
    const shifted = await zip({
      ...PLAIN,
      'xl/sharedStrings.xml': `<x:sst xmlns:x="${MAIN}"><si><t>诱饵</t></si><x:si><x:t>张三</x:t></x:si><x:si><x:t>東京</x:t></x:si></x:sst>`,
      'xl/styles.xml': `<x:styleSheet xmlns:x="${MAIN}"><x:cellXfs><x:xf numFmtId="0"/><xf numFmtId="0"/><x:xf numFmtId="14"/><x:xf numFmtId="14"/></x:cellXfs></x:styleSheet>`,
    });
    expect(await read(shifted)).toEqual(EXPECTED);
  });

  it('an element of another namespace that looks like ours is ignored, with all it holds', async () => {
    const file = await zip({
      ...PLAIN,
      'xl/workbook.xml':
        `<workbook xmlns="${MAIN}" xmlns:r="${REL}" xmlns:o="${OTHER}"><o:workbookPr date1904="1"/><sheets>` +
        '<o:sheet name="诱饵" sheetId="3" r:id="rId2"/><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
      'xl/_rels/workbook.xml.rels':
        `<Relationships xmlns="${PKG}" xmlns:o="${OTHER}">` +
        `<o:Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet2.xml"/>` +
        `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` +
        `<Relationship Id="rId4" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
      'xl/worksheets/sheet1.xml':
        `<worksheet xmlns="${MAIN}" xmlns:o="${OTHER}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
        'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac"><sheetData>' +
        '<row r="1" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><o:c r="B1" t="s"><v>1</v></o:c>' +
        `<c xmlns="${OTHER}" r="C1"><v>2</v></c>` +
        '<mc:AlternateContent><mc:Choice Requires="x14ac"><c r="D1"><v>3</v></c></mc:Choice></mc:AlternateContent>' +
        '<c r="E1"><o:v>4</o:v><v>5</v></c></row>' +
        '<o:row r="2"><c r="A2"><v>6</v></c></o:row></sheetData></worksheet>',
    });
    // Not 1904 dates, the sheet the relationship of our namespace names, none of the look-alike cells.
    expect(await read(file)).toEqual([['张三', '', '', '', '5']]);
  });

  it('limits hold for a prefixed file: shared strings, rows and cells', async () => {
    const sdk = asOpenXmlSdk();
    const limited = (limits: Partial<typeof XLSX_LIMITS>) => ({ ...XLSX_LIMITS, ...limits });
    const file = await zip(sdk);
    await expect(read(file, limited({ maxSharedStrings: 1 }))).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: { code: 'file.tooManySharedStrings', params: { max: 1 } },
    });
    await expect(read(file, limited({ maxRows: 2 }))).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: { code: 'file.tooManyRows', params: { max: 2 } },
    });
    await expect(read(file, limited({ maxCells: 6 }))).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: { code: 'file.tooManyCells', params: { max: 6 } },
    });
    expect(await read(file, limited({ maxSharedStrings: 2, maxRows: 3, maxCells: 7 }))).toEqual(EXPECTED);
  });

  it('the archive check counts prefixed rows of every worksheet as it counts unprefixed ones', async () => {
    // The hidden sheet is not read, but its rows count: exactly the limit passes, one more does not.
    const p = 'a_prefix_of_thirty_characters_';
    const hidden = Array.from(
      { length: 5000 },
      (_, i) => `<${p}:row r="${i + 1}"><${p}:c r="A${i + 1}"><${p}:v>1</${p}:v></${p}:c></${p}:row>`,
    );
    const file = await zip({
      ...asOpenXmlSdk(),
      'xl/worksheets/sheet2.xml': `<${p}:worksheet xmlns:${p}="${MAIN}"><${p}:sheetData>${hidden.join('')}</${p}:sheetData></${p}:worksheet>`,
    });
    // Two rows in the sheet read (three with the gap), 5,000 in the hidden one.
    expect(await read(file, { ...XLSX_LIMITS, maxRows: 5002 })).toEqual(EXPECTED);
    await expect(read(file, { ...XLSX_LIMITS, maxRows: 5001 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: { code: 'file.tooManyRows', params: { max: 5001 } },
    });
  });

  it('a part that is not what its relationship says, or binds no prefix it uses, is refused naming the part', async () => {
    const notASheet = await zip({
      ...PLAIN,
      'xl/worksheets/sheet1.xml': `<worksheet xmlns="${OTHER}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
    });
    await expect(read(notASheet)).rejects.toMatchObject(
      unreadable(/^xl\/worksheets\/sheet1\.xml: .*worksheet/),
    );
    const unbound = await zip({
      ...PLAIN,
      'xl/sharedStrings.xml': '<x:sst><x:si><x:t>张三</x:t></x:si></x:sst>',
    });
    await expect(read(unbound)).rejects.toMatchObject(unreadable(/^xl\/sharedStrings\.xml:.*unbound/));
  });
});
