/**
 * How each table would be placed on a distributed PostgreSQL (Citus) with `bureau_code` as the
 * distribution column (issue #16, SCALING.md): every table is classified, and a tenant table is
 * ready once it carries `bureau_code` and every primary and unique key includes it (Citus
 * enforces keys only within a shard). The tenant tables not ready yet are listed with what they
 * lack; the check fails on an unclassified table, on a ready table that loses its readiness, and
 * on a listed table that has become ready (take it off the list). Schema only: no database.
 */
import { describe, expect, it } from 'vitest';
import * as schema from '@spotcheck/db';
import {
  getTableConfig,
  integer,
  PgTable,
  pgTable,
  primaryKey,
  text,
  unique,
  type PgColumn,
} from 'drizzle-orm/pg-core';

/** Distributed by `bureau_code`: rows a district owns, read and written by that district. */
const TENANT = [
  'units',
  'unit_facts',
  'unit_counts',
  'yearly_obligations',
  'inspectors',
  'conflicts',
  'plans',
  'draws',
  'draw_replacements',
  'tasks',
  'results',
  'findings',
  'rectifications',
  'evidence_uploads',
  'evidence_quota_holds',
  'publications',
  'published_results',
  'enforcement_cases',
  'enforcement_case_steps',
  'supervisions',
  'supervision_events',
  'blacklist_proceedings',
  'blacklist_proceeding_steps',
  'reminders',
] as const;

/** Replicated to every node: small, read by every district, written rarely. */
const REFERENCE = [
  'bureaus',
  'streets',
  'users',
  'user_roles',
  'procedures',
  'checklist_versions',
  'checklist_items',
  'rule_pack_versions',
  // A city's expert library: hundreds of rows, some city-wide (no bureau: a distribution column
  // cannot be null), and a district's draw reads the city-wide ones with its own.
  'experts',
  'signing_keys',
  'log_keys',
  'log_witnesses',
] as const;

/**
 * On the coordinator only: one ordered chain or one namespace for the whole platform (the audit
 * trail's hash chain, the transparency log, sign-in and sessions, the job runner's queue).
 */
const COORDINATOR = [
  'audit_events',
  'log_leaves',
  'log_checkpoints',
  'log_cosignatures',
  'sessions',
  'operation_progress',
  'login_attempts',
  'api_tokens',
  'job_runs',
] as const;

/**
 * Tenant tables not ready yet, and what each lacks: `column` (no `bureau_code`: it comes from the
 * parent row), `pk` (the primary key leaves it out), `unique` (a unique key leaves it out). Empty
 * since migration 0021: every tenant table is ready.
 */
const NOT_READY: Partial<Record<(typeof TENANT)[number], readonly ('column' | 'pk' | 'unique')[]>> = {};

const tables = (Object.values(schema) as unknown[])
  .filter((v): v is PgTable => v instanceof PgTable)
  .map((t) => getTableConfig(t));

/** What a table (by name, or a table's config) lacks to be distributed by `bureau_code`. */
function lacks(table: string | ReturnType<typeof getTableConfig>): ('column' | 'pk' | 'unique')[] {
  const t = typeof table === 'string' ? tables.find((x) => x.name === table)! : table;
  const isBureau = (c: PgColumn) => c.name === 'bureauCode' || c.name === 'bureau_code';
  const out: ('column' | 'pk' | 'unique')[] = [];
  if (!t.columns.some(isBureau)) out.push('column');
  const pk = [...t.columns.filter((c) => c.primary), ...t.primaryKeys.flatMap((p) => p.columns)];
  if (!pk.some(isBureau)) out.push('pk');
  const uniques = [
    ...t.columns.filter((c) => c.isUnique).map((c) => [c]),
    ...t.uniqueConstraints.map((u) => u.columns),
    ...t.indexes.filter((i) => i.config.unique).map((i) => i.config.columns as PgColumn[]),
  ];
  if (uniques.some((cols) => !cols.some(isBureau))) out.push('unique');
  return out;
}

describe('tables on a distributed PostgreSQL (bureau_code as distribution column)', () => {
  it('classifies every table exactly once', () => {
    const classified = [...TENANT, ...REFERENCE, ...COORDINATOR];
    expect(new Set(classified).size).toBe(classified.length);
    expect(tables.map((t) => t.name).sort()).toEqual([...classified].sort());
  });

  it('keeps bureau_code in every key of a ready tenant table, and lists exactly what the others lack', () => {
    const found = Object.fromEntries(TENANT.map((name) => [name, lacks(name)]).filter(([, l]) => l!.length));
    expect(found).toEqual(NOT_READY);
  });

  it('references bureaus once per row: through the parent when a bureau-keyed key to it implies it', () => {
    // A key (bureau_code) → bureaus beside a key (bureau_code, parent_id) → parent checks nothing
    // more than the parent's own, and costs a lookup and a row lock per inserted row (migration 0024).
    const isBureau = (c: PgColumn) => c.name === 'bureauCode';
    const keysOf = (name: string) =>
      tables
        .find((t) => t.name === name)!
        .foreignKeys.map((f) => f.reference())
        .filter((r) => r.columns.some(isBureau))
        .map((r) => ({ columns: r.columns, to: getTableConfig(r.foreignTable).name }));
    const own = (name: string) => keysOf(name).some((k) => k.to === 'bureaus' && k.columns.length === 1);
    const parents = (name: string) =>
      keysOf(name)
        .filter((k) => k.columns.length > 1)
        .map((k) => k.to);
    /** Reaches `bureaus` by its own key or through a parent that does. */
    const anchored = (name: string): boolean => own(name) || parents(name).some(anchored);
    const both = TENANT.filter((name) => own(name) && parents(name).length);
    expect(both).toEqual([]);
    for (const name of TENANT)
      for (const parent of parents(name)) expect([name, anchored(parent)]).toEqual([name, true]);
    expect(parents('unit_facts')).toEqual(['units']);
    expect(own('units')).toBe(true);
  });

  it('detects a key without bureau_code (the check itself)', () => {
    expect(lacks('unit_counts')).toEqual([]);
    expect(lacks('inspectors')).toEqual([]);
    // Tables made here, never migrated: the shapes the five last tables had before 0021.
    const byId = pgTable('by_id', { id: text().primaryKey(), bureauCode: text().notNull() });
    expect(lacks(getTableConfig(byId))).toEqual(['pk']);
    const globalNumber = pgTable(
      'global_number',
      { id: text().notNull(), certificateNo: text().notNull().unique(), bureauCode: text().notNull() },
      (t) => [primaryKey({ columns: [t.bureauCode, t.id] })],
    );
    expect(lacks(getTableConfig(globalNumber))).toEqual(['unique']);
    const perBureau = pgTable(
      'per_bureau_number',
      { id: text().notNull(), number: text().notNull(), bureauCode: text().notNull() },
      (t) => [primaryKey({ columns: [t.bureauCode, t.id] }), unique().on(t.bureauCode, t.number)],
    );
    expect(lacks(getTableConfig(perBureau))).toEqual([]);
    const noColumn = pgTable('no_bureau', { unitId: text().notNull(), year: integer().notNull() }, (t) => [
      primaryKey({ columns: [t.unitId, t.year] }),
    ]);
    expect(lacks(getTableConfig(noColumn))).toEqual(['column', 'pk']);
  });
});
