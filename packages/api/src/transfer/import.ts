import { createHash } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { Db } from '@spotcheck/db';
import { TRPCError } from '@trpc/server';
import { checklistItems, checklistVersions, experts, inspectors, unitFacts, units } from '@spotcheck/db';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/chain';
import { sha256Hex } from '../lib/canonical';
import type { DbOrTx } from '../lib/db';
import { todayInChina } from '../lib/scope';
import { factChangeRows } from '../lib/unit-facts';
import { columnFor, COLUMNS, convertCell, ROW_SCHEMAS, type Column, type TransferKind } from './kinds';
import { readRows, type TransferFormat } from './read';

/** One problem of an import: spreadsheet row (header = 1), column header, message. */
export interface ImportProblem {
  row: number;
  column: string;
  message: string;
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
}

const BATCH = 1000;

/** The unique id of a row, for duplicate and existence checks. */
function keyOf(kind: TransferKind, row: Record<string, unknown>): string {
  return String(kind === 'checklist-items' ? row.code : row.id);
}

/**
 * Imports a spreadsheet all-or-nothing (R22): every row is read (streaming) and validated —
 * types, enums, dates, USCC check digits, bureau codes within reach, duplicates in the file and
 * ids already on the roster. A file with any bad row imports nothing and the report names each
 * row, column and message. Otherwise all rows are written in one transaction with one audit event.
 */
export async function importSpreadsheet(
  db: Db,
  source: Buffer | AsyncIterable<Buffer>,
  o: ImportOptions,
): Promise<ImportReport> {
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
        if (h && !header![i]) problem({ row: rowNo, column: h, message: 'unknown column' });
      });
      const present = new Set(header.filter(Boolean).map((c) => c!.key));
      for (const col of COLUMNS[o.kind]) {
        if (col.required && !present.has(col.key))
          problem({ row: rowNo, column: col.label, message: `required column missing (${col.key})` });
      }
      continue;
    }
    if (cells.every((x) => !x.trim())) continue;
    dataRows++;
    if (dataRows % 1000 === 0) o.onProgress?.({ phase: 'reading', rows: dataRows });
    const raw: Record<string, unknown> = {};
    let rowOk = true;
    header.forEach((col, i) => {
      if (!col) return;
      const r = convertCell(col, cells[i] ?? '');
      if ('error' in r) {
        rowOk = false;
        problem({ row: rowNo, column: headerTexts[i]!, message: r.error });
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
        });
      } else seen.set(rawKey, rowNo);
    }
    if (!rowOk) continue;
    const parsed = ROW_SCHEMAS[o.kind].safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? '');
        const idx = header.findIndex((c) => c?.key === key);
        problem({ row: rowNo, column: idx >= 0 ? headerTexts[idx]! : key, message: issue.message });
      }
      continue;
    }
    const value = parsed.data as Record<string, unknown>;
    const bureau =
      o.kind === 'checklist-items' ? null : ((value.bureauCode as string | null | undefined) ?? '120000');
    if (bureau && !o.reach(bureau)) {
      const idx = header.findIndex((c) => c?.key === 'bureauCode');
      problem({
        row: rowNo,
        column: idx >= 0 ? headerTexts[idx]! : 'bureauCode',
        message: `bureau ${bureau} is outside your reach`,
      });
      continue;
    }
    good.push({ row: rowNo, value });
  }
  if (!header)
    problem({ row: 1, column: '', message: 'the file is empty: the first row must name the columns' });
  o.onProgress?.({ phase: 'reading', rows: dataRows });

  // Ids already on the roster are errors too (imports add; edits go through the forms).
  if (o.kind !== 'checklist-items' && good.length) {
    const table = o.kind === 'units' ? units : o.kind === 'inspectors' ? inspectors : experts;
    const idCol = header!.findIndex((c) => c?.key === 'id');
    for (let i = 0; i < good.length; i += BATCH) {
      const slice = good.slice(i, i + BATCH);
      const existing = await db
        .select({ id: table.id })
        .from(table)
        .where(
          inArray(
            table.id,
            slice.map((g) => g.value.id as string),
          ),
        );
      const ex = new Set(existing.map((e) => e.id));
      for (const g of slice)
        if (ex.has(g.value.id as string))
          problem({
            row: g.row,
            column: headerTexts[idCol] ?? 'id',
            message: `${g.value.id} is already on the roster`,
          });
    }
  }
  if (problemCount > 0 || !header) {
    problems.sort((a, b) => a.row - b.row);
    return { ok: false, kind: o.kind, rows: dataRows, imported: 0, problems, problemCount };
  }

  const fileDigest = Buffer.isBuffer(source) ? sha256Hex(source) : hasher.digest('hex');
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
        throw new TRPCError({
          code: 'CONFLICT',
          message: `versionId: version ${v?.version ?? '?'} is ${v?.status ?? 'gone'}: published versions never change`,
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
          (g) => (g.value.bureauCode as string | undefined) ?? o.checklistVersion?.bureauCode ?? '120000',
        ),
      ),
    ];
    await appendAudit(
      tx,
      {
        actorUserId: o.actor.userId,
        actorRole: o.actor.role,
        bureauCode: bureaus.length === 1 ? bureaus[0]! : '120000',
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
  });
  return { ok: true, kind: o.kind, rows: dataRows, imported: good.length, problems: [], problemCount: 0 };
}

async function writeBatch(tx: DbOrTx, o: ImportOptions, rows: Record<string, unknown>[]): Promise<void> {
  switch (o.kind) {
    case 'units': {
      const now = o.now;
      const inserted = await tx
        .insert(units)
        .values(
          rows.map((r) => ({
            ...(r as typeof units.$inferInsert),
            verifiedAt: now,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .returning();
      const facts = inserted.flatMap((u) =>
        factChangeRows(null, u, {
          source: `import:${o.format}`,
          userId: o.actor.userId,
          today: todayInChina(now),
        }),
      );
      for (let i = 0; i < facts.length; i += BATCH)
        await tx.insert(unitFacts).values(facts.slice(i, i + BATCH));
      return;
    }
    case 'inspectors':
      await tx.insert(inspectors).values(rows as (typeof inspectors.$inferInsert)[]);
      return;
    case 'experts':
      await tx.insert(experts).values(
        rows.map((r) => ({
          ...(r as typeof experts.$inferInsert),
          bureauCode: (r.bureauCode as string | undefined) ?? null,
        })),
      );
      return;
    case 'checklist-items':
      await tx.insert(checklistItems).values(
        rows.map((r) => ({
          ...(r as Omit<typeof checklistItems.$inferInsert, 'versionId'>),
          versionId: o.checklistVersion!.id,
        })),
      );
      return;
  }
}
