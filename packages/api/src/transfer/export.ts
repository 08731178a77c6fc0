import ExcelJS from 'exceljs';
import { asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { checklistItems, experts, inspectors, units } from '@spotcheck/db';
import type { DbOrTx } from '../lib/db';
import { writeCsv } from './csv';
import { COLUMNS, headerOf, type Column, type TransferKind } from './kinds';
import type { TransferFormat } from './read';

/** A file to download. */
export interface TransferFile {
  filename: string;
  mime: string;
  data: Buffer;
}

const MIME: Record<TransferFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

function cellOf(col: Column, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(';');
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

async function toFile(
  kind: TransferKind,
  format: TransferFormat,
  rows: Record<string, unknown>[],
  name: string,
): Promise<TransferFile> {
  const cols = COLUMNS[kind];
  const table = [cols.map(headerOf), ...rows.map((r) => cols.map((c) => cellOf(c, r[c.key])))];
  if (format === 'csv') return { filename: `${name}.csv`, mime: MIME.csv, data: writeCsv(table) };
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(kind);
  for (const r of table) ws.addRow(r);
  ws.getRow(1).font = { bold: true };
  cols.forEach((c, i) => (ws.getColumn(i + 1).width = Math.max(12, headerOf(c).length + 4)));
  const help = wb.addWorksheet('说明');
  help.addRow(['列 column', '必填 required', '类型 type', '可选值 allowed values']);
  for (const c of cols)
    help.addRow([
      headerOf(c),
      c.required ? '是' : '否',
      c.type === 'list'
        ? 'list (a;b;c)'
        : c.type === 'bool'
          ? '是/否'
          : c.type === 'date'
            ? 'YYYY-MM-DD'
            : c.type,
      (c.allowed ?? []).join(', '),
    ]);
  return { filename: `${name}.xlsx`, mime: MIME.xlsx, data: Buffer.from(await wb.xlsx.writeBuffer()) };
}

/** An empty import template: the header row (and, in XLSX, a 说明 sheet with allowed values). */
export function template(kind: TransferKind, format: TransferFormat): Promise<TransferFile> {
  return toFile(kind, format, [], `${kind}-template`);
}

/** Exports a list within the given bureaus (`'all'` for the city), or a checklist version's items. */
export async function exportList(
  db: DbOrTx,
  kind: TransferKind,
  format: TransferFormat,
  scope: 'all' | string[],
  checklistVersionId?: string,
): Promise<TransferFile> {
  let rows: Record<string, unknown>[];
  switch (kind) {
    case 'units':
      rows = await db
        .select()
        .from(units)
        .where(scope === 'all' ? undefined : inArray(units.bureauCode, scope))
        .orderBy(asc(units.id));
      break;
    case 'inspectors':
      rows = await db
        .select()
        .from(inspectors)
        .where(scope === 'all' ? undefined : inArray(inspectors.bureauCode, scope))
        .orderBy(asc(inspectors.id));
      break;
    case 'experts':
      rows = await db
        .select()
        .from(experts)
        .where(
          scope === 'all' ? undefined : or(inArray(experts.bureauCode, scope), isNull(experts.bureauCode)),
        )
        .orderBy(asc(experts.id));
      break;
    case 'checklist-items':
      rows = await db
        .select()
        .from(checklistItems)
        .where(eq(checklistItems.versionId, checklistVersionId!))
        .orderBy(asc(checklistItems.sortOrder), asc(checklistItems.code));
      break;
  }
  return toFile(kind, format, rows, kind);
}
