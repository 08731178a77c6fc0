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
