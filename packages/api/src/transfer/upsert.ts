import { CITY_BUREAU_CODE } from '@spotcheck/core';
import { and, eq, inArray, notInArray } from 'drizzle-orm';
import { inspectors, units, unitFacts, type Db } from '@spotcheck/db';
import { appendAudit } from '../audit/chain';
import { canonicalJson, sha256Hex } from '../lib/canonical';
import type { DbOrTx } from '../lib/db';
import { todayInChina } from '../lib/scope';
import { factChangeRows } from '../lib/unit-facts';
import { validateSpreadsheet, type ImportOptions, type ImportProblem, type ValidatedFile } from './import';
import { COLUMNS } from './kinds';
import { fail } from '../lib/errors';
import { lockRoster } from '../lib/roster-keys';
import { unitsWithFoundHazard } from '../lib/supervision';

/** Rosters that can be re-synced from a bureau's existing system (R4, R22). */
export const UPSERT_KINDS = ['units', 'inspectors'] as const;
/** A roster kind that supports upsert. */
export type UpsertKind = (typeof UPSERT_KINDS)[number];

/** Fields an import never changes on an existing row, with the reason given to the user. */
const MANAGED_FIELDS: Record<UpsertKind, Record<string, string>> = {
  units: {
    blacklisted: 'is decided through blacklist proceedings (review, notice, decision), not by import',
  },
  inspectors: {},
};

/** What a closure sets: units leave the roster as closed, officers as left. */
const CLOSED_STATUS: Record<UpsertKind, string> = { units: 'closed', inspectors: 'left' };

/** Preview and commit list at most this many adds, changes and closures each (counts are exact). */
export const UPSERT_LIST_LIMIT = 500;

type Value = string | number | boolean | string[] | null;

/** One field of an existing row that the file changes. */
export interface FieldChange {
  field: string;
  /** The spreadsheet column's Chinese label. */
  label: string;
  before: Value;
  after: Value;
}

/** A row of the file that adds to the roster. */
export interface RosterAdd {
  row: number;
  key: string;
  name: string;
  bureauCode: string;
}

/** A row of the file that changes an existing roster entry, field by field. */
export interface RosterChange {
  row: number;
  key: string;
  name: string;
  bureauCode: string;
  fields: FieldChange[];
}

/** An active roster entry missing from a full-roster file: proposed closed (units) or left (officers). */
export interface RosterClosure {
  key: string;
  name: string;
  bureauCode: string;
}

/** Options of {@link previewUpsert} and {@link commitUpsert}. */
export interface UpsertOptions extends Omit<ImportOptions, 'kind' | 'checklistVersion'> {
  kind: UpsertKind;
  /** The file is the whole roster of this bureau: its active entries missing from the file close. */
  fullRosterOf?: string;
}

/** What a file would do to the roster. Nothing is written by a preview. */
export interface UpsertPreview {
  ok: boolean;
  kind: UpsertKind;
  rows: number;
  problems: ImportProblem[];
  problemCount: number;
  fullRosterOf: string | null;
  counts: { adds: number; changes: number; unchanged: number; closures: number };
  /** Up to {@link UPSERT_LIST_LIMIT} of each. */
  adds: RosterAdd[];
  changes: RosterChange[];
  closures: RosterClosure[];
  /** Digest of the file and of every add, change and closure; the commit must present it. */
  digest: string;
}

/** Outcome of {@link commitUpsert}: the preview it applied, and whether it was written. */
export interface UpsertCommit extends UpsertPreview {
  committed: boolean;
}

type Row = Record<string, unknown>;

const tableOf = (kind: UpsertKind) => (kind === 'units' ? units : inspectors);

/** A value as compared and shown: lists sorted (order carries no meaning), absent as null. */
function norm(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return [...(v as string[])].sort();
  if (v instanceof Date) return v.toISOString();
  return v as Value;
}

interface Plan {
  adds: (RosterAdd & { value: Row })[];
  changes: (RosterChange & { before: Row; value: Row })[];
  unchanged: number;
  closures: RosterClosure[];
}

/**
 * Compares the validated rows with the roster (read through `db`, rows locked in a transaction).
 * Keys are looked up in every bureau: a row whose credit code or officer id another bureau holds
 * changes (moves) that row, it never adds a second one.
 */
async function planUpsert(db: DbOrTx, file: ValidatedFile, o: UpsertOptions, lock: boolean): Promise<Plan> {
  const table = tableOf(o.kind);
  const plan: Plan = { adds: [], changes: [], unchanged: 0, closures: [] };
  const keys = file.good.map((g) => g.value.id as string);
  const existing = new Map<string, Row>();
  for (let i = 0; i < keys.length; i += 1000) {
    const q = db
      .select()
      .from(table)
      .where(inArray(table.id, keys.slice(i, i + 1000)));
    for (const r of await (lock ? q.for('update') : q)) existing.set(r.id, r);
  }
  const fields = COLUMNS[o.kind].filter((c) => c.key !== 'id' && file.present.has(c.key));
  const managed = MANAGED_FIELDS[o.kind];
  // Officers' certificate numbers are unique: a file row may not take another officer's number.
  const certHolders = new Map<string, string>();
  if (o.kind === 'inspectors' && file.present.has('certificateNo')) {
    const certs = file.good.map((g) => g.value.certificateNo as string);
    for (let i = 0; i < certs.length; i += 1000) {
      const held = await db
        .select({ id: inspectors.id, certificateNo: inspectors.certificateNo })
        .from(inspectors)
        .where(inArray(inspectors.certificateNo, certs.slice(i, i + 1000)));
      for (const h of held) certHolders.set(h.certificateNo, h.id);
    }
    const inFile = new Map<string, number>();
    for (const g of file.good) {
      const cert = g.value.certificateNo as string;
      const dup = inFile.get(cert);
      if (dup !== undefined)
        file.problem({
          row: g.row,
          column: file.columnOf('certificateNo'),
          message: `${cert} already appears in row ${dup}`,
          code: 'duplicate-in-file',
          params: { value: cert, row: dup },
        });
      else inFile.set(cert, g.row);
    }
  }
  // A major hazard an inspection found ends by its rectification check or 销号 only (R17).
  const foundHazards =
    o.kind === 'units' && file.present.has('majorHazard')
      ? await unitsWithFoundHazard(
          db,
          file.good
            .map((g) => g.value.id as string)
            .filter(
              (id, i) => file.good[i]!.value.majorHazard === false && existing.get(id)?.majorHazard === true,
            ),
        )
      : new Set<string>();
  for (const g of file.good) {
    const key = g.value.id as string;
    const name = String(g.value.name ?? '');
    const bureauCode = g.value.bureauCode as string;
    const holder = certHolders.get(g.value.certificateNo as string);
    if (holder !== undefined && holder !== key) {
      file.problem({
        row: g.row,
        column: file.columnOf('certificateNo'),
        message: `${String(g.value.certificateNo)} is the certificate of officer ${holder}`,
        code: 'certificate-held',
        params: { value: String(g.value.certificateNo), officer: holder },
      });
      continue;
    }
    const before = existing.get(key);
    if (!before) {
      plan.adds.push({ row: g.row, key, name, bureauCode, value: g.value });
      continue;
    }
    if (!o.reach(before.bureauCode as string)) {
      file.problem({
        row: g.row,
        column: file.columnOf('id'),
        message: `${key} is on the roster of bureau ${String(before.bureauCode)}, outside your reach`,
        code: 'key-outside-reach',
        params: { value: key, bureau: String(before.bureauCode) },
      });
      continue;
    }
    const changed: FieldChange[] = [];
    for (const col of fields) {
      const b = norm(before[col.key]);
      const a = norm(g.value[col.key]);
      if (canonicalJson(a) === canonicalJson(b)) continue;
      if (col.key === 'majorHazard' && foundHazards.has(key)) {
        file.problem({
          row: g.row,
          column: file.columnOf(col.key),
          message:
            'a major accident hazard an inspection found ends through its rectification check (or 销号), not by import',
          code: 'hazard-found',
          params: { field: col.key },
        });
        continue;
      }
      if (managed[col.key]) {
        file.problem({
          row: g.row,
          column: file.columnOf(col.key),
          message: managed[col.key]!,
          code: 'managed-field',
          params: { field: col.key },
        });
        continue;
      }
      changed.push({ field: col.key, label: col.label, before: b, after: a });
    }
    // A closed unit that is back in the file reopens.
    if (o.kind === 'units' && before.status === 'closed')
      changed.push({ field: 'status', label: '状态', before: 'closed', after: 'active' });
    if (changed.length)
      plan.changes.push({ row: g.row, key, name, bureauCode, fields: changed, before, value: g.value });
    else plan.unchanged++;
  }
  if (o.fullRosterOf) {
    const open =
      o.kind === 'units'
        ? [eq(units.status, 'active')]
        : [inArray(inspectors.status, ['active', 'suspended'])];
    const where = and(
      eq(table.bureauCode, o.fullRosterOf),
      ...open,
      ...(keys.length ? [notInArray(table.id, keys)] : []),
    );
    const q = db
      .select({ id: table.id, name: table.name, bureauCode: table.bureauCode })
      .from(table)
      .where(where);
    const missing = await (lock ? q.for('update') : q);
    plan.closures = missing
      .map((m) => ({ key: m.id, name: m.name, bureauCode: m.bureauCode }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  }
  return plan;
}

function digestOfPlan(kind: UpsertKind, fileSha256: string, fullRosterOf: string | null, plan: Plan): string {
  return sha256Hex(
    canonicalJson({
      kind,
      file: fileSha256,
      fullRosterOf,
      adds: plan.adds.map((a) => a.key),
      changes: plan.changes.map((c) => ({ key: c.key, fields: c.fields })),
      closures: plan.closures.map((c) => c.key),
    }),
  );
}

function previewOf(o: UpsertOptions, file: ValidatedFile, plan: Plan, digest: string): UpsertPreview {
  const problems = [...file.problems].sort((a, b) => a.row - b.row);
  const ok = file.hasHeader && file.problemCount() === 0;
  return {
    ok,
    kind: o.kind,
    rows: file.rows,
    problems,
    problemCount: file.problemCount(),
    fullRosterOf: o.fullRosterOf ?? null,
    counts: {
      adds: plan.adds.length,
      changes: plan.changes.length,
      unchanged: plan.unchanged,
      closures: plan.closures.length,
    },
    adds: plan.adds.slice(0, UPSERT_LIST_LIMIT).map(({ value: _v, ...a }) => a),
    changes: plan.changes.slice(0, UPSERT_LIST_LIMIT).map(({ value: _v, before: _b, ...c }) => c),
    closures: plan.closures.slice(0, UPSERT_LIST_LIMIT),
    digest: ok ? digest : '',
  };
}

/**
 * Compares a roster file with the roster, keyed by credit code (units) or officer number
 * (inspectors): rows to add, rows whose fields change (each field before and after), and —
 * for a full-roster file — active entries the file no longer lists, proposed closed. Bad rows,
 * entries of bureaus out of reach and fields the import may not change are problems naming
 * the row and column. Nothing is written.
 */
export async function previewUpsert(
  db: Db,
  source: Buffer | AsyncIterable<Buffer>,
  o: UpsertOptions,
): Promise<UpsertPreview> {
  const file = await validateSpreadsheet(source, o);
  const plan = await planUpsert(db, file, o, false);
  return previewOf(o, file, plan, digestOfPlan(o.kind, file.fileSha256(), o.fullRosterOf ?? null, plan));
}

/**
 * Applies a previewed file all-or-nothing: the file is validated and compared again inside one
 * transaction with the rows locked; unless the result is exactly the previewed one (`digest`)
 * nothing is written (CONFLICT: the roster changed since the preview). Unit fact changes keep
 * their dated history; one audit event records the counts, the file digest and the changes.
 */
export async function commitUpsert(
  db: Db,
  source: Buffer | AsyncIterable<Buffer>,
  o: UpsertOptions & { digest: string },
): Promise<UpsertCommit> {
  const file = await validateSpreadsheet(source, o);
  const fileSha256 = file.fileSha256();
  return db.transaction(async (tx) => {
    // Credit codes, officer ids and certificate numbers are national but keyed per bureau: the
    // comparison below (which reads every bureau) holds because no other write adds to this
    // roster until the commit.
    await lockRoster(tx, o.kind);
    const plan = await planUpsert(tx, file, o, true);
    const digest = digestOfPlan(o.kind, fileSha256, o.fullRosterOf ?? null, plan);
    const preview = previewOf(o, file, plan, digest);
    if (!preview.ok) return { ...preview, committed: false };
    if (digest !== o.digest) fail('CONFLICT', 'digest', 'roster.changedSincePreview');
    const now = o.now;
    const today = todayInChina(now);
    const meta = { source: `import:${o.format}`, userId: o.actor.userId, today };
    const table = tableOf(o.kind);
    for (let i = 0; i < plan.adds.length; i += 1000) {
      const slice = plan.adds.slice(i, i + 1000).map((a) => a.value);
      if (o.kind === 'units') {
        const inserted = await tx
          .insert(units)
          .values(
            slice.map((r) => ({
              ...(r as typeof units.$inferInsert),
              verifiedAt: now,
              createdAt: now,
              updatedAt: now,
            })),
          )
          .returning();
        const facts = inserted.flatMap((u) => factChangeRows(null, u, meta));
        for (let j = 0; j < facts.length; j += 1000)
          await tx.insert(unitFacts).values(facts.slice(j, j + 1000));
      } else
        await tx
          .insert(inspectors)
          .values(
            slice.map((r) => ({ ...(r as typeof inspectors.$inferInsert), createdAt: now, updatedAt: now })),
          );
    }
    for (const c of plan.changes) {
      const set: Row = Object.fromEntries(c.fields.map((f) => [f.field, c.value[f.field] ?? f.after]));
      if (o.kind === 'units') {
        // Nature, industry and region count as verified again when the file changes them (R4).
        if (c.fields.some((f) => ['nature', 'industry', 'bureauCode', 'streetCode'].includes(f.field)))
          set.verifiedAt = now;
      }
      const [after] = await tx
        .update(table)
        .set({ ...set, updatedAt: now })
        .where(eq(table.id, c.key))
        .returning();
      // A move to another district takes the unit's facts (its history) or the officer's conflict
      // declarations along: their foreign keys (bureau_code, id) cascade (migration 0019). Tasks,
      // results and consequences stay in the bureau that made them.
      if (o.kind === 'units') {
        const facts = factChangeRows(
          c.before as Parameters<typeof factChangeRows>[0],
          after as Parameters<typeof factChangeRows>[1],
          meta,
        );
        if (facts.length) await tx.insert(unitFacts).values(facts);
      }
    }
    const closedKeys = plan.closures.map((c) => c.key);
    for (let i = 0; i < closedKeys.length; i += 1000) {
      const slice = closedKeys.slice(i, i + 1000);
      if (o.kind === 'units')
        await tx.update(units).set({ status: 'closed', updatedAt: now }).where(inArray(units.id, slice));
      else
        await tx
          .update(inspectors)
          .set({ status: 'left', leftOn: today, updatedAt: now })
          .where(inArray(inspectors.id, slice));
    }
    const bureaus = [
      ...new Set([
        ...plan.adds.map((a) => a.bureauCode),
        ...plan.changes.map((c) => c.bureauCode),
        ...plan.closures.map((c) => c.bureauCode),
        ...(o.fullRosterOf ? [o.fullRosterOf] : []),
      ]),
    ];
    const small = plan.adds.length + plan.changes.length + plan.closures.length <= 200;
    await appendAudit(
      tx,
      {
        actorUserId: o.actor.userId,
        actorRole: o.actor.role,
        bureauCode: bureaus.length === 1 ? bureaus[0]! : CITY_BUREAU_CODE,
        action: `import.${o.kind}.upsert`,
        entity: o.kind,
        entityId: null,
        after: {
          rows: file.rows,
          format: o.format,
          fileSha256,
          fullRosterOf: o.fullRosterOf ?? null,
          digest,
          counts: preview.counts,
          adds: small ? plan.adds.map((a) => a.key) : undefined,
          changes: small ? plan.changes.map((c) => ({ key: c.key, fields: c.fields })) : undefined,
          closures: small ? closedKeys : undefined,
          closedAs: CLOSED_STATUS[o.kind],
        },
      },
      now,
    );
    return { ...preview, committed: true };
  });
}
