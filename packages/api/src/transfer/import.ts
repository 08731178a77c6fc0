import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { getTableColumns, getTableName, inArray, SQL } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { PgTable } from 'drizzle-orm/pg-core';
import { bulkHandleOf, csvLine, withBulkSession, type CopyValue, type Db } from '@spotcheck/db';
import type { z } from 'zod';
import { CITY_BUREAU_CODE, usccCheckChar, usccProblem } from '@spotcheck/core';
import { checklistItems, checklistVersions, experts, inspectors, unitFacts, units } from '@spotcheck/db';
import { eq } from 'drizzle-orm';
import { appendAudit, appendAuditRaw } from '../audit/chain';
import { sha256Hex } from '../lib/canonical';
import type { DbOrTx } from '../lib/db';
import { todayInChina } from '../lib/scope';
import { factChangeRows } from '../lib/unit-facts';
import {
  columnFor,
  COLUMNS,
  convertCell,
  ROW_SCHEMAS,
  type CellError,
  type Column,
  type TransferKind,
} from './kinds';
import { readRows, type TransferFormat } from './read';
import { makeSpoolDir } from './spool-dir';
import { fail } from '../lib/errors';

/**
 * One problem of an import: spreadsheet row (header = 1), column header, message (English, for
 * the API and the CLI), and `code` with `params` that the admin renders in the user's language.
 */
export interface ImportProblem {
  row: number;
  column: string;
  message: string;
  code: ImportProblemCode;
  params?: Record<string, string | number>;
}

/** What kind of problem an {@link ImportProblem} is (`importProblem.<code>` in the admin). */
export type ImportProblemCode =
  | CellError['code']
  | 'unknown-column'
  | 'required-column-missing'
  | 'empty-file'
  | 'duplicate-in-file'
  | 'outside-reach'
  | 'already-on-roster'
  | 'uscc-invalid'
  | 'uscc-check'
  | 'too-long'
  | 'too-small'
  | 'too-big'
  | 'invalid'
  // Roster sync (upsert) only.
  | 'certificate-held'
  | 'key-outside-reach'
  | 'managed-field';

/** The code and params of a zod issue on a row: the USCC's own reasons, limits, or `invalid`. */
function issueProblem(issue: z.core.$ZodIssue, value: unknown): Pick<ImportProblem, 'code' | 'params'> {
  if (issue.code === 'custom' && typeof value === 'string' && usccProblem(value)) {
    const expected = usccCheckChar(value.slice(0, 17));
    return /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(value) && /^\d{6}$/.test(value.slice(2, 8)) && expected
      ? { code: 'uscc-check', params: { expected, actual: value[17]! } }
      : { code: 'uscc-invalid' };
  }
  if (issue.code === 'too_big')
    return issue.origin === 'string'
      ? { code: 'too-long', params: { limit: Number(issue.maximum) } }
      : { code: 'too-big', params: { limit: Number(issue.maximum) } };
  if (issue.code === 'too_small')
    return issue.origin === 'string' && Number(issue.minimum) <= 1
      ? { code: 'required' }
      : { code: 'too-small', params: { limit: Number(issue.minimum) } };
  return { code: 'invalid', params: { detail: issue.message } };
}

/** Outcome of {@link importSpreadsheet}. Nothing is imported unless `ok`. */
export interface ImportReport {
  ok: boolean;
  kind: TransferKind;
  /** Data rows read (blank rows skipped). */
  rows: number;
  imported: number;
  /** Up to `maxProblems` problems, in file order; `problemCount` counts them all. */
  problems: ImportProblem[];
  problemCount: number;
}

/** Who imports, what they reach, and where items go. */
export interface ImportOptions {
  kind: TransferKind;
  format: TransferFormat;
  actor: { userId: string; role: string | null };
  /** Bureaus the actor may write to (`'all'` for the city). */
  reach: (bureauCode: string) => boolean;
  /** Checklist items: the draft version they replace the items of. */
  checklistVersion?: { id: string; bureauCode: string };
  now: Date;
  onProgress?: (p: { phase: 'reading' | 'writing'; rows: number }) => void;
  maxProblems?: number;
  /**
   * Aborted when the uploader goes away (closes the dialog, cancels, loses the connection): the
   * import stops reading, and a write in progress is rolled back before its commit. Once
   * committed, an import stands.
   */
  signal?: AbortSignal;
}

/** Stops an import whose uploader has gone, while nothing is committed. */
function stopIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) fail('CLIENT_CLOSED_REQUEST', 'file', 'import.cancelled');
}

const BATCH = 1000;

/** The unique id of a row, for duplicate and existence checks. */
function keyOf(kind: TransferKind, row: Record<string, unknown>): string {
  return String(kind === 'checklist-items' ? row.code : row.id);
}

/** Rows of a file after reading and validating every cell (see {@link validateSpreadsheet}). */
export interface ValidatedFile {
  /** The header row was found. */
  hasHeader: boolean;
  /** Data rows read (blank rows skipped). */
  rows: number;
  /** Rows that passed every check, with their spreadsheet row number. */
  good: { row: number; value: Record<string, unknown> }[];
  /** Field keys of the columns present in the file. */
  present: Set<string>;
  /** Every row key in the file (`id`, or `code` for checklist items) with the row it first stands in. */
  keys: ReadonlyMap<string, number>;
  /** The header text of a field's column (the key itself when the column is absent). */
  columnOf(key: string): string;
  /** Records a problem (counted; listed up to `maxProblems`). */
  problem(p: ImportProblem): void;
  problems: ImportProblem[];
  problemCount(): number;
  /** SHA-256 of the file bytes (read to the end). */
  fileSha256(): string;
}

/**
 * Reads a spreadsheet (streaming) and validates every row: types, enums, dates, USCC check
 * digits, bureau codes within reach and duplicates in the file. Nothing is written.
 */
export async function validateSpreadsheet(
  source: Buffer | AsyncIterable<Buffer>,
  o: Pick<ImportOptions, 'kind' | 'format' | 'reach' | 'onProgress' | 'maxProblems' | 'signal'> & {
    /** Takes each good row as it is read (then `good` stays empty: memory does not grow with the file). */
    onGood?: (g: { row: number; value: Record<string, unknown> }) => void | Promise<void>;
  },
): Promise<ValidatedFile> {
  const maxProblems = o.maxProblems ?? 1000;
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  const problem = (p: ImportProblem) => {
    problemCount++;
    if (problems.length < maxProblems) problems.push(p);
  };
  const hasher = createHash('sha256');
  const tee = Buffer.isBuffer(source)
    ? source
    : (async function* () {
        for await (const c of source) {
          hasher.update(c);
          yield c;
        }
      })();

  let header: (Column | null)[] | null = null;
  let headerTexts: string[] = [];
  const good: { row: number; value: Record<string, unknown> }[] = [];
  const seen = new Map<string, number>();
  let rowNo = 0;
  let dataRows = 0;
  for await (const cells of readRows(o.format, tee)) {
    rowNo++;
    if (!header) {
      if (cells.every((x) => !x.trim())) continue;
      headerTexts = cells.map((x) => x.trim());
      header = headerTexts.map((h) => (h ? (columnFor(o.kind, h) ?? null) : null));
      headerTexts.forEach((h, i) => {
        if (h && !header![i])
          problem({ row: rowNo, column: h, message: 'unknown column', code: 'unknown-column' });
      });
      const present = new Set(header.filter(Boolean).map((c) => c!.key));
      for (const col of COLUMNS[o.kind]) {
        if (col.required && !present.has(col.key))
          problem({
            row: rowNo,
            column: col.label,
            message: `required column missing (${col.key})`,
            code: 'required-column-missing',
          });
      }
      continue;
    }
    if (cells.every((x) => !x.trim())) continue;
    dataRows++;
    if (dataRows % 1000 === 0) {
      stopIfCancelled(o.signal);
      o.onProgress?.({ phase: 'reading', rows: dataRows });
    }
    const raw: Record<string, unknown> = {};
    let rowOk = true;
    header.forEach((col, i) => {
      if (!col) return;
      const r = convertCell(col, cells[i] ?? '');
      if ('error' in r) {
        rowOk = false;
        problem({ row: rowNo, column: headerTexts[i]!, message: r.error, code: r.code, params: r.params });
      } else if (r.value !== undefined) raw[col.key] = r.value;
    });
    // Duplicates within the file are reported even when the row has other problems.
    const keyCol = o.kind === 'checklist-items' ? 'code' : 'id';
    const rawKey = raw[keyCol];
    if (typeof rawKey === 'string' && rawKey) {
      const dup = seen.get(rawKey);
      if (dup !== undefined) {
        rowOk = false;
        problem({
          row: rowNo,
          column: headerTexts[header.findIndex((c) => c?.key === keyCol)] ?? keyCol,
          message: `${rawKey} already appears in row ${dup}`,
          code: 'duplicate-in-file',
          params: { value: rawKey, row: dup },
        });
      } else seen.set(rawKey, rowNo);
    }
    if (!rowOk) continue;
    const parsed = ROW_SCHEMAS[o.kind].safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? '');
        const idx = header.findIndex((c) => c?.key === key);
        problem({
          row: rowNo,
          column: idx >= 0 ? headerTexts[idx]! : key,
          message: issue.message,
          ...issueProblem(issue, raw[key]),
        });
      }
      continue;
    }
    const value = parsed.data as Record<string, unknown>;
    const bureau =
      o.kind === 'checklist-items'
        ? null
        : ((value.bureauCode as string | null | undefined) ?? CITY_BUREAU_CODE);
    if (bureau && !o.reach(bureau)) {
      const idx = header.findIndex((c) => c?.key === 'bureauCode');
      problem({
        row: rowNo,
        column: idx >= 0 ? headerTexts[idx]! : 'bureauCode',
        message: `bureau ${bureau} is outside your reach`,
        code: 'outside-reach',
        params: { bureau },
      });
      continue;
    }
    if (o.onGood) await o.onGood({ row: rowNo, value });
    else good.push({ row: rowNo, value });
  }
  if (!header)
    problem({
      row: 1,
      column: '',
      message: 'the file is empty: the first row must name the columns',
      code: 'empty-file',
    });
  o.onProgress?.({ phase: 'reading', rows: dataRows });
  const hdr = header;
  return {
    hasHeader: hdr !== null,
    rows: dataRows,
    good,
    keys: seen,
    present: new Set((hdr ?? []).filter((c): c is Column => c !== null).map((c) => c.key)),
    columnOf: (key) => {
      const idx = hdr?.findIndex((c) => c?.key === key) ?? -1;
      return idx >= 0 ? headerTexts[idx]! : key;
    },
    problem,
    problems,
    problemCount: () => problemCount,
    fileSha256: () => (Buffer.isBuffer(source) ? sha256Hex(source) : hasher.digest('hex')),
  };
}

/**
 * Imports a spreadsheet all-or-nothing (R22): every row is validated ({@link validateSpreadsheet})
 * and ids already on the roster are refused (imports add; re-syncing a roster goes through
 * `upsert.ts`, edits through the forms). A file with any bad row imports nothing and the report
 * names each row, column and message. Otherwise all rows are written in one transaction with
 * one audit event. Rosters go through {@link importRoster} (COPY); checklist items, a few
 * hundred at most, are inserted here.
 */
export async function importSpreadsheet(
  db: Db,
  source: Buffer | AsyncIterable<Buffer>,
  o: ImportOptions,
): Promise<ImportReport> {
  if (o.kind !== 'checklist-items') return importRoster(db, source, o);
  const file = await validateSpreadsheet(source, o);
  const { good, problems } = file;
  if (file.problemCount() > 0 || !file.hasHeader) {
    problems.sort((a, b) => a.row - b.row);
    return {
      ok: false,
      kind: o.kind,
      rows: file.rows,
      imported: 0,
      problems,
      problemCount: file.problemCount(),
    };
  }

  const fileDigest = file.fileSha256();
  stopIfCancelled(o.signal);
  await db.transaction(async (tx) => {
    if (o.checklistVersion) {
      // The draft check belongs in the write transaction: the version may have been published
      // while the file streamed in. The row lock makes a concurrent publish wait for us, or us for it.
      const [v] = await tx
        .select({ status: checklistVersions.status, version: checklistVersions.version })
        .from(checklistVersions)
        .where(eq(checklistVersions.id, o.checklistVersion.id))
        .for('update');
      if (!v || v.status !== 'draft')
        fail('CONFLICT', 'versionId', 'transfer.versionFrozen', {
          version: v?.version ?? '?',
          status: v?.status ?? 'gone',
        });
      await tx.delete(checklistItems).where(eq(checklistItems.versionId, o.checklistVersion.id));
    }
    let written = 0;
    for (let i = 0; i < good.length; i += BATCH) {
      await writeBatch(
        tx,
        o,
        good.slice(i, i + BATCH).map((g) => g.value),
      );
      written += Math.min(BATCH, good.length - i);
      o.onProgress?.({ phase: 'writing', rows: written });
    }
    const bureaus = [
      ...new Set(
        good.map(
          (g) =>
            (g.value.bureauCode as string | undefined) ?? o.checklistVersion?.bureauCode ?? CITY_BUREAU_CODE,
        ),
      ),
    ];
    await appendAudit(
      tx,
      {
        actorUserId: o.actor.userId,
        actorRole: o.actor.role,
        bureauCode: bureaus.length === 1 ? bureaus[0]! : CITY_BUREAU_CODE,
        action: `import.${o.kind}`,
        entity: o.kind === 'checklist-items' ? 'checklist_versions' : o.kind,
        entityId: o.checklistVersion?.id ?? null,
        after: {
          rows: good.length,
          format: o.format,
          fileSha256: fileDigest,
          keys: good.length <= 200 ? good.map((g) => keyOf(o.kind, g.value)) : undefined,
        },
      },
      o.now,
    );
    stopIfCancelled(o.signal);
  });
  return { ok: true, kind: o.kind, rows: file.rows, imported: good.length, problems: [], problemCount: 0 };
}

async function writeBatch(tx: DbOrTx, o: ImportOptions, rows: Record<string, unknown>[]): Promise<void> {
  await tx.insert(checklistItems).values(
    rows.map((r) => ({
      ...(r as Omit<typeof checklistItems.$inferInsert, 'versionId'>),
      versionId: o.checklistVersion!.id,
    })),
  );
}

/** Where a roster kind is written. */
function rosterTable(kind: Exclude<TransferKind, 'checklist-items'>) {
  return kind === 'units' ? units : kind === 'inspectors' ? inspectors : experts;
}

/**
 * Columns a COPY writes (all but serial keys), with each one's value for a validated row: the
 * row's own, else the column's default; timestamps the database would stamp get `now`.
 */
function copyColumns(
  table: PgTable,
  now: Date,
): { names: string[]; keys: string[]; valueOf: (row: Record<string, unknown>) => CopyValue[] } {
  const cols = Object.entries(getTableColumns(table)).filter(([, c]) => !c.columnType.includes('Serial'));
  const stamp = now.toISOString();
  const fill = cols.map(([key, c]) => {
    const stamped =
      key === 'createdAt' || key === 'updatedAt' || key === 'verifiedAt' || key === 'recordedAt';
    const fallback = c.default !== undefined && !(c.default instanceof SQL) ? (c.default as CopyValue) : null;
    const json = c.columnType === 'PgJsonb';
    return (row: Record<string, unknown>): CopyValue => {
      const v = row[key];
      if (v === undefined || (stamped && v === null)) return stamped ? stamp : fallback;
      if (v instanceof Date) return v.toISOString();
      if (json) return JSON.stringify(v);
      return v as CopyValue;
    };
  });
  return {
    // The database's names (the schema's keys in snake_case, as drizzle writes them).
    names: cols.map(([key, c]) => (c.keyAsName ? toSnakeCase(key) : c.name)),
    keys: cols.map(([k]) => k),
    valueOf: (row) => fill.map((f) => f(row)),
  };
}

/** A temporary file of CSV lines written as rows pass, read back in blocks for COPY. */
class SpoolFile {
  private readonly out: WriteStream;
  lines = 0;
  constructor(readonly path: string) {
    this.out = createWriteStream(path);
  }
  async write(line: string): Promise<void> {
    this.lines++;
    if (!this.out.write(line)) await once(this.out, 'drain');
  }
  async close(): Promise<void> {
    this.out.end();
    await finished(this.out);
  }
  /** Whole lines, in blocks of about `size` bytes. */
  async *blocks(size = 4 * 1024 * 1024): AsyncGenerator<string> {
    let pending = '';
    for await (const chunk of createReadStream(this.path, { encoding: 'utf8', highWaterMark: size })) {
      const text = pending + (chunk as string);
      const cut = text.lastIndexOf('\n') + 1;
      if (cut > 0) yield text.slice(0, cut);
      pending = text.slice(cut);
    }
    if (pending) yield pending;
  }
}

/**
 * A roster import (units, officers, experts) at COPY speed with bounded memory: rows are validated
 * as they stream in and spooled to a temporary file as COPY lines (with a unit's fact history
 * beside it); only the keys stay in memory, to find rows already on the roster. Then one
 * transaction COPYs everything and appends the audit event — all or nothing, as before.
 */
async function importRoster(
  db: Db,
  source: Buffer | AsyncIterable<Buffer>,
  o: ImportOptions,
): Promise<ImportReport> {
  const kind = o.kind as Exclude<TransferKind, 'checklist-items'>;
  const table = rosterTable(kind);
  const plan = copyColumns(table, o.now);
  const factPlan = copyColumns(unitFacts, o.now);
  const dir = await makeSpoolDir();
  const rows = new SpoolFile(join(dir, 'rows.csv'));
  const facts = new SpoolFile(join(dir, 'facts.csv'));
  try {
    const bureaus = new Set<string>();
    const meta = { source: `import:${o.format}`, userId: o.actor.userId, today: todayInChina(o.now) };
    const file = await validateSpreadsheet(source, {
      ...o,
      onGood: async ({ value }) => {
        bureaus.add((value.bureauCode as string | null | undefined) ?? CITY_BUREAU_CODE);
        const values = plan.valueOf(value);
        await rows.write(csvLine(values));
        if (kind === 'units') {
          // A new unit's facts, from what the stored row will hold (defaults applied).
          const stored = Object.fromEntries(plan.keys.map((k, i) => [k, values[i]]));
          for (const f of factChangeRows(
            null,
            stored as unknown as Parameters<typeof factChangeRows>[1],
            meta,
          ))
            await facts.write(csvLine(factPlan.valueOf(f)));
        }
      },
    });
    await rows.close();
    await facts.close();
    // Ids already on the roster are errors too (imports add; edits go through the forms or sync).
    const keys = [...file.keys.keys()];
    for (let i = 0; i < keys.length; i += 5 * BATCH) {
      const existing = await db
        .select({ id: table.id })
        .from(table)
        .where(inArray(table.id, keys.slice(i, i + 5 * BATCH)));
      for (const { id } of existing)
        file.problem({
          row: file.keys.get(id)!,
          column: file.columnOf('id'),
          message: `${id} is already on the roster`,
          code: 'already-on-roster',
          params: { value: id },
        });
    }
    if (file.problemCount() > 0 || !file.hasHeader) {
      file.problems.sort((a, b) => a.row - b.row);
      return {
        ok: false,
        kind,
        rows: file.rows,
        imported: 0,
        problems: file.problems,
        problemCount: file.problemCount(),
      };
    }
    const fileDigest = file.fileSha256();
    stopIfCancelled(o.signal);
    o.onProgress?.({ phase: 'writing', rows: 0 });
    try {
      await withBulkSession(bulkHandleOf(db), async (s) => {
        await s.copyCsv(getTableName(table), plan.names, rows.blocks());
        if (kind === 'units') await s.copyCsv(getTableName(unitFacts), factPlan.names, facts.blocks());
        o.onProgress?.({ phase: 'writing', rows: rows.lines });
        const bureauList = [...bureaus];
        await appendAuditRaw(
          s.exec,
          {
            actorUserId: o.actor.userId,
            actorRole: o.actor.role,
            bureauCode: bureauList.length === 1 ? bureauList[0]! : CITY_BUREAU_CODE,
            action: `import.${kind}`,
            entity: kind,
            entityId: null,
            after: {
              rows: rows.lines,
              format: o.format,
              fileSha256: fileDigest,
              keys: keys.length <= 200 ? keys : undefined,
            },
          },
          o.now,
        );
        // The last moment a cancel still leaves nothing behind: the commit follows.
        stopIfCancelled(o.signal);
      });
    } catch (err) {
      // Another import or form added one of these ids since the check: nothing was written.
      if ((err as { code?: string }).code === '23505') fail('CONFLICT', 'id', 'import.addedMeanwhile');
      throw err;
    }
    return { ok: true, kind, rows: file.rows, imported: rows.lines, problems: [], problemCount: 0 };
  } finally {
    await rows.close().catch(() => {});
    await facts.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}
