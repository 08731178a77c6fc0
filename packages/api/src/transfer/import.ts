import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { getTableColumns, getTableName, sql, SQL } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  bulkHandleOf,
  csvLine,
  withBulkSession,
  type BulkSession,
  type CopyValue,
  type Db,
} from '@spotcheck/db';
import type { z } from 'zod';
import { CITY_BUREAU_CODE, usccCheckChar, usccProblem } from '@spotcheck/core';
import { checklistItems, checklistVersions, experts, inspectors, unitFacts, units } from '@spotcheck/db';
import { eq } from 'drizzle-orm';
import { appendAudit, appendAuditRaw } from '../audit/chain';
import { sha256Hex } from '../lib/canonical';
import type { DbOrTx } from '../lib/db';
import { todayInChina } from '../lib/scope';
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
import type { XlsxLimits } from './xlsx-limits';
import { makeSpoolDir } from './spool-dir';
import {
  chunkCertificateClashes,
  chunkIdsTaken,
  clearChunk,
  CopyFeed,
  createStage,
  duplicatesInStage,
  insertChunkUnitFacts,
  keepChunkKeys,
  keysOnRoster,
  mergeChunk,
  stageNames,
  type CertificateClash,
} from './stage';
import { fail } from '../lib/errors';
import { lockRosterInSession } from '../lib/roster-keys';

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
  | 'managed-field'
  | 'hazard-found';

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
  /** Roster imports: rows staged and merged at a time (default 25,000; small in tests). */
  chunkRows?: number;
  /**
   * The file's limits (default `XLSX_LIMITS`: Excel's 1,048,576 rows). The upload routes keep the
   * default; a caller on the server itself (a province's roster loaded in one file, the import
   * bench at 10^7 rows) may raise them.
   */
  limits?: XlsxLimits;
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
  /**
   * Every row key in the file (`id`, or `code` for checklist items) with the row it first stands in
   * (empty when the caller stages the keys: see `stageKey`).
   */
  keys: ReadonlyMap<string, number>;
  /** The header text of a field's column (the key itself when the column is absent). */
  columnOf(key: string): string;
  /** Records a problem (counted; listed up to `maxProblems`). */
  problem(p: ImportProblem): void;
  /** Counts `n` more problems that are not listed (found beyond the list's limit). */
  countUnlisted(n: number): void;
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
  o: Pick<ImportOptions, 'kind' | 'format' | 'reach' | 'onProgress' | 'maxProblems' | 'signal' | 'limits'> & {
    /** Takes each good row as it is read (then `good` stays empty: memory does not grow with the file). */
    onGood?: (g: { row: number; value: Record<string, unknown> }) => void | Promise<void>;
    /**
     * Takes the key of each row that is not good. With it, duplicates in the file are left to the
     * caller (found in SQL) and `keys` stays empty: no key is kept in memory.
     */
    stageKey?: (k: { row: number; key: string }) => void | Promise<void>;
    /** Told of each problem as it is found. */
    onProblem?: () => void;
  },
): Promise<ValidatedFile> {
  const maxProblems = o.maxProblems ?? 1000;
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  const problem = (p: ImportProblem) => {
    problemCount++;
    o.onProblem?.();
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
  const keyCol = o.kind === 'checklist-items' ? 'code' : 'id';
  /** The row's value when it passes the schema and is within reach; else its problems are recorded. */
  const checkRow = (raw: Record<string, unknown>): Record<string, unknown> | null => {
    const hdr = header!;
    const parsed = ROW_SCHEMAS[o.kind].safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? '');
        const idx = hdr.findIndex((c) => c?.key === key);
        problem({
          row: rowNo,
          column: idx >= 0 ? headerTexts[idx]! : key,
          message: issue.message,
          ...issueProblem(issue, raw[key]),
        });
      }
      return null;
    }
    const value = parsed.data as Record<string, unknown>;
    const bureau =
      o.kind === 'checklist-items'
        ? null
        : ((value.bureauCode as string | null | undefined) ?? CITY_BUREAU_CODE);
    if (bureau && !o.reach(bureau)) {
      const idx = hdr.findIndex((c) => c?.key === 'bureauCode');
      problem({
        row: rowNo,
        column: idx >= 0 ? headerTexts[idx]! : 'bureauCode',
        message: `bureau ${bureau} is outside your reach`,
        code: 'outside-reach',
        params: { bureau },
      });
      return null;
    }
    return value;
  };
  for await (const cells of readRows(o.format, tee, o.limits)) {
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
    const rawKey = raw[keyCol];
    const key = typeof rawKey === 'string' && rawKey ? rawKey : null;
    // Duplicates within the file are reported even when the row has other problems.
    if (key !== null && !o.stageKey) {
      const dup = seen.get(key);
      if (dup !== undefined) {
        rowOk = false;
        problem({
          row: rowNo,
          column: headerTexts[header.findIndex((c) => c?.key === keyCol)] ?? keyCol,
          message: `${key} already appears in row ${dup}`,
          code: 'duplicate-in-file',
          params: { value: key, row: dup },
        });
      } else seen.set(key, rowNo);
    }
    const value = rowOk ? checkRow(raw) : null;
    if (value) {
      if (!o.onGood) good.push({ row: rowNo, value });
      else {
        const pending = o.onGood({ row: rowNo, value });
        if (pending) await pending;
      }
    } else if (key !== null && o.stageKey) {
      const pending = o.stageKey({ row: rowNo, key });
      if (pending) await pending;
    }
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
    countUnlisted: (n) => (problemCount += n),
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

/** An import refused after staging: the report goes back, the transaction rolls back. */
class Refused {
  constructor(readonly report: ImportReport) {}
}

/**
 * A roster import (units, officers, experts) at COPY speed with bounded memory. Rows are validated
 * as they stream in and staged, a chunk at a time, as COPY lines into a temporary table — every
 * row's key, the whole row when it passed every check. While the file is clean so far, each chunk
 * is merged at once: one INSERT … SELECT into the roster (whose key catches ids already there or
 * repeated in the file) and, for units, their first fact history written in SQL. When the file
 * turns out bad, the keys kept of every row give the report (duplicates and ids on the roster, in
 * SQL) and the transaction rolls back: one transaction, all or nothing, with the audit event.
 *
 * On PostgreSQL the transaction opens with the upload and chunks are COPYed and merged while the
 * file is read, so validation here and PostgreSQL's writing overlap. On PGlite, which runs in this
 * thread and holds its one connection for a whole transaction, the lines are spooled to a
 * temporary file and staged once the file is read, so a slow upload holds up no other request.
 */
async function importRoster(
  db: Db,
  source: Buffer | AsyncIterable<Buffer>,
  o: ImportOptions,
): Promise<ImportReport> {
  const kind = o.kind as Exclude<TransferKind, 'checklist-items'>;
  const table = getTableName(rosterTable(kind));
  const plan = copyColumns(rosterTable(kind), o.now);
  const stageColumns = ['row_no', 'ok', ...plan.names];
  const idAt = plan.keys.indexOf('id');
  const keyOnly = (row: number, key: string) =>
    csvLine([row, false, ...plan.names.map((_, i) => (i === idAt ? key : null))]);
  const bureaus = new Set<string>();
  const firstKeys: string[] = [];
  let goodRows = 0;
  const goodLine = (row: number, value: Record<string, unknown>) => {
    goodRows++;
    bureaus.add((value.bureauCode as string | null | undefined) ?? CITY_BUREAU_CODE);
    if (firstKeys.length <= 200) firstKeys.push(value.id as string);
    return csvLine([row, true, ...plan.valueOf(value)]);
  };
  const factMeta = {
    source: `import:${o.format}`,
    userId: o.actor.userId,
    today: todayInChina(o.now),
    now: o.now.toISOString(),
  };
  let problemsSeen = false;
  /** Chunks are merged while nothing is wrong; `upTo` is the last row merged. */
  const merge = { on: true, upTo: 0, clashed: false, locked: false };
  // Credit codes, officer ids and certificate numbers are national, and the keys hold within a
  // bureau only: the import checks them across bureaus under the roster's lock (lib/roster-keys.ts).
  const national = kind === 'units' || kind === 'inspectors' ? kind : null;
  const certificateClashes: CertificateClash[] = [];
  const handle = bulkHandleOf(db);
  const chunkRows = o.chunkRows ?? 25_000;

  /** Stages one chunk, keeps its keys and, while the file is clean so far, merges it. */
  const stageChunk = async (s: BulkSession, blocks: AsyncIterable<string>): Promise<void> => {
    const { chunk } = stageNames(table);
    await clearChunk(s, table);
    await s.copyCsv(chunk, stageColumns, blocks);
    const last = await keepChunkKeys(s, table);
    if (national === 'inspectors') {
      const room = (o.maxProblems ?? 1000) - certificateClashes.length;
      const found = room > 0 ? await chunkCertificateClashes(s, room) : [];
      certificateClashes.push(...found);
      if (found.length) merge.on = false;
    }
    if (problemsSeen) merge.on = false;
    if (!merge.on) return;
    if (national && !merge.locked) {
      // Held until the commit: no other write adds to this roster meanwhile.
      await lockRosterInSession(s, national);
      merge.locked = true;
    }
    if (national && (await chunkIdsTaken(s, table))) {
      // An id on another bureau's roster or twice in the file: the report will say which.
      merge.on = false;
      merge.clashed = true;
      return;
    }
    await s.exec('SAVEPOINT import_chunk');
    try {
      await mergeChunk(s, table, plan.names);
      if (kind === 'units') await insertChunkUnitFacts(s, factMeta);
      await s.exec('RELEASE SAVEPOINT import_chunk');
      merge.upTo = last;
    } catch (err) {
      // An id on the roster or twice in the file: the report will say which (see `settle`).
      if ((err as { code?: string }).code !== '23505') throw err;
      await s.exec('ROLLBACK TO SAVEPOINT import_chunk');
      merge.on = false;
      merge.clashed = true;
    }
  };

  /** After staging: the file's problems, or the audit event of the rows merged. */
  const settle = async (s: BulkSession, file: ValidatedFile): Promise<ImportReport> => {
    if (!merge.on || file.problemCount() > 0 || !file.hasHeader) {
      // Ids already on the roster are errors too (imports add; edits go through the forms or sync).
      const maxProblems = o.maxProblems ?? 1000;
      await s.exec(`ANALYZE ${stageNames(table).keys}`);
      const duplicates = await duplicatesInStage(s, table, maxProblems);
      const onRoster = await keysOnRoster(s, table, maxProblems, merge.upTo);
      for (const d of duplicates.clashes)
        file.problem({
          row: d.row,
          column: file.columnOf('id'),
          message: `${d.key} already appears in row ${d.first}`,
          code: 'duplicate-in-file',
          params: { value: d.key, row: d.first! },
        });
      for (const d of onRoster.clashes)
        file.problem({
          row: d.row,
          column: file.columnOf('id'),
          message: `${d.key} is already on the roster`,
          code: 'already-on-roster',
          params: { value: d.key },
        });
      for (const c of certificateClashes)
        file.problem({
          row: c.row,
          column: file.columnOf('certificateNo'),
          ...(c.holder !== undefined
            ? {
                message: `${c.certificateNo} is the certificate of officer ${c.holder}`,
                code: 'certificate-held' as const,
                params: { value: c.certificateNo, officer: c.holder },
              }
            : {
                message: `${c.certificateNo} already appears in row ${c.first}`,
                code: 'duplicate-in-file' as const,
                params: { value: c.certificateNo, row: c.first! },
              }),
        });
      // Beyond the ones listed, the rest are counted.
      file.countUnlisted(duplicates.count - duplicates.clashes.length);
      file.countUnlisted(onRoster.count - onRoster.clashes.length);
      if (file.problemCount() > 0 || !file.hasHeader)
        throw new Refused({
          ok: false,
          kind,
          rows: file.rows,
          imported: 0,
          problems: file.problems.sort((a, b) => a.row - b.row),
          problemCount: file.problemCount(),
        });
      // Nothing in the file explains the clash: another import or form added one of these ids.
      fail('CONFLICT', 'id', 'import.addedMeanwhile');
    }
    stopIfCancelled(o.signal);
    o.onProgress?.({ phase: 'writing', rows: goodRows });
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
          rows: goodRows,
          format: o.format,
          fileSha256: file.fileSha256(),
          keys: firstKeys.length <= 200 ? firstKeys : undefined,
        },
      },
      o.now,
    );
    // The last moment a cancel still leaves nothing behind: the commit follows.
    stopIfCancelled(o.signal);
    return { ok: true, kind, rows: file.rows, imported: goodRows, problems: [], problemCount: 0 };
  };

  const validation = {
    ...o,
    onProblem: () => (problemsSeen = true),
  };
  let dir: string | null = null;
  try {
    let report: ImportReport;
    if (handle.kind === 'postgres') {
      report = await withBulkSession(handle, async (s) => {
        await createStage(s, table, plan.names);
        const feed = new CopyFeed(chunkRows);
        const staging = (async () => {
          while (await feed.nextChunk()) await stageChunk(s, feed.chunk());
        })();
        // A failed COPY or merge stops the reading too (its error is the one reported).
        staging.catch((err: unknown) => feed.fail(err));
        let file: ValidatedFile;
        try {
          file = await validateSpreadsheet(source, {
            ...validation,
            onGood: ({ row, value }) => feed.push(goodLine(row, value)),
            stageKey: ({ row, key }) => feed.push(keyOnly(row, key)),
          });
          feed.end();
        } catch (err) {
          feed.fail(err);
          await staging.catch(() => {});
          throw err;
        }
        await staging;
        return settle(s, file);
      });
    } else {
      dir = await makeSpoolDir();
      const spoolDir = dir;
      const spools: SpoolFile[] = [];
      const spoolLine = async (line: string): Promise<void> => {
        let spool = spools.at(-1);
        if (!spool || spool.lines >= chunkRows) {
          await spool?.close();
          spool = new SpoolFile(join(spoolDir, `stage-${spools.length}.csv`));
          spools.push(spool);
        }
        await spool.write(line);
      };
      try {
        const file = await validateSpreadsheet(source, {
          ...validation,
          onGood: ({ row, value }) => spoolLine(goodLine(row, value)),
          stageKey: ({ row, key }) => spoolLine(keyOnly(row, key)),
        });
        for (const spool of spools) await spool.close();
        stopIfCancelled(o.signal);
        // The file is read and spooled, nothing is written yet: the writing starts.
        o.onProgress?.({ phase: 'writing', rows: 0 });
        report = await withBulkSession(handle, async (s) => {
          await createStage(s, table, plan.names);
          for (const spool of spools) await stageChunk(s, spool.blocks());
          return settle(s, file);
        });
      } finally {
        for (const spool of spools) await spool.close().catch(() => {});
      }
    }
    if (report.ok) await analyseAfterLoad(db, kind === 'units' ? [table, getTableName(unitFacts)] : [table]);
    return report;
  } catch (err) {
    if (err instanceof Refused) return err.report;
    // Another import or form added one of these ids meanwhile: nothing was written.
    if ((err as { code?: string }).code === '23505') fail('CONFLICT', 'id', 'import.addedMeanwhile');
    throw err;
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Refreshes the planner's statistics of tables just loaded (otherwise a 10^6-row load is planned
 * as the table before it until autovacuum comes round). A courtesy, never the import's failure:
 * it waits at most 2 s for a lock, and under the app role, which owns no table, PostgreSQL skips
 * it with a warning.
 */
async function analyseAfterLoad(db: Db, tables: string[]): Promise<void> {
  await db
    .transaction(async (tx) => {
      await tx.execute(sql.raw(`SET LOCAL lock_timeout = '2s'`));
      await tx.execute(sql.raw(`ANALYZE ${tables.join(', ')}`));
    })
    .catch(() => {});
}
