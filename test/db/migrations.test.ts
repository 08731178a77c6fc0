import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DatabaseSetupError,
  migrateDatabase,
  migrationsFolder,
  openDatabase,
  resetDatabase,
  type Database,
} from '@spotcheck/db';
import { makeUscc } from '@spotcheck/core';
import { openTestDatabase, testDrivers, type TestDatabase } from '../support/databases';

/** A migrations folder whose one migration creates a table and then fails. */
function brokenMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spotcheck-broken-migrations-'));
  mkdirSync(join(dir, 'meta'));
  writeFileSync(
    join(dir, 'meta/_journal.json'),
    JSON.stringify({
      version: '7',
      dialect: 'postgresql',
      entries: [{ idx: 0, version: '7', when: 4_102_444_800_000, tag: '0000_broken', breakpoints: true }],
    }),
  );
  writeFileSync(
    join(dir, '0000_broken.sql'),
    'CREATE TABLE half_done (x int);\n--> statement-breakpoint\nSELECT * FROM no_such_table;\n',
  );
  return dir;
}

/** The migrations folder as it was up to migration `last` (the journal and SQL files before it). */
function migrationsUpTo(last: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'spotcheck-migrations-upto-'));
  mkdirSync(join(dir, 'meta'));
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  journal.entries = journal.entries.filter((e) => e.idx <= last);
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries)
    copyFileSync(join(migrationsFolder, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  return dir;
}

const CITY = '120000';
const HEPING = '120101';
const BINHAI = '120116';

/**
 * Rows as a database had them before migration 0018 (no bureau_code on the child tables): a
 * city-wide plan's draw, task, result, finding, rectification, replacement and published result
 * on a Heping unit, the unit's facts, a Binhai officer's conflict with the Heping unit, and the
 * unit's obligation for the year, fixed in Binhai before the unit moved to Heping.
 */
async function rowsBefore0018(db: Database): Promise<void> {
  const one = async (sql: string, params: unknown[] = []) => (await db.exec(sql, params)).rows[0]!;
  await db.exec(
    `INSERT INTO bureaus (code, name, level, parent_code) VALUES ($1, '天津市', 'city', NULL), ($2, '和平区', 'district', $1), ($3, '滨海新区', 'district', $1)`,
    [CITY, HEPING, BINHAI],
  );
  const user = await one(
    `INSERT INTO users (username, display_name, password_hash, bureau_code) VALUES ('m', 'M', 'x', $1) RETURNING id`,
    [CITY],
  );
  // A valid credit code of a Heping unit (check digits computed, as the roster requires).
  const unit = makeUscc('91', HEPING, 'MA05MG81');
  await db.exec(
    `INSERT INTO units (id, name, nature, industry, scale, employees, bureau_code, risk_grade, credit_grade)
     VALUES ($1, '迁移测试单位', 'private', 'trade', 'small', 3, $2, 'low', 'B')`,
    [unit, HEPING],
  );
  await db.exec(
    `INSERT INTO unit_facts (unit_id, kind, value, effective_on, source) VALUES ($1, 'risk-grade', '{"grade":"low"}', '2024-01-01', 'demo')`,
    [unit],
  );
  for (const [id, cert] of [
    ['I120116-0001', 'C1'],
    ['I120116-0002', 'C2'],
  ])
    await db.exec(
      `INSERT INTO inspectors (id, certificate_no, name, bureau_code, department) VALUES ($1, $2, '检查员', $3, '执法支队')`,
      [id, cert, BINHAI],
    );
  await db.exec(
    `INSERT INTO conflicts (inspector_id, unit_id, reason, declared_on) VALUES ('I120116-0001', $1, '近亲属', '2024-01-01')`,
    [unit],
  );
  const plan = await one(
    `INSERT INTO plans (bureau_code, title, period, kind, team, created_by) VALUES ($1, '全市检查', '2024', 'general', '{}', $2) RETURNING id`,
    [CITY, user.id],
  );
  const draw = await one(
    `INSERT INTO draws (plan_id, bureau_code, attempt, status, commitment, commitment_digest, frame, inspector_rows, committed_at, committed_by)
     VALUES ($1, $2, 1, 'signed', '{}', 'd', '[]', '[]', now(), $3) RETURNING id`,
    [plan.id, CITY, user.id],
  );
  const task = await one(
    `INSERT INTO tasks (draw_id, plan_id, unit_id, sequence, reason, status) VALUES ($1, $2, $3, 1, 'random', 'done') RETURNING id`,
    [draw.id, plan.id, unit],
  );
  const result = await one(
    `INSERT INTO results (task_id, outcome, inspected_on, recorded_by) VALUES ($1, 'violations', '2024-01-05', $2) RETURNING id`,
    [task.id, user.id],
  );
  const finding = await one(
    `INSERT INTO findings (result_id, kind, description) VALUES ($1, 'hazard', '隐患') RETURNING id`,
    [result.id],
  );
  await db.exec(
    `INSERT INTO rectifications (finding_id, checked_on, outcome, recorded_by) VALUES ($1, '2024-01-20', 'rectified', $2)`,
    [finding.id, user.id],
  );
  await db.exec(
    `INSERT INTO draw_replacements (draw_id, number, unit_id, out_inspector_id, in_inspector_id, reason, note, record, recorded_at, recorded_by)
     VALUES ($1, 1, $2, 'I120116-0001', 'I120116-0002', 'avoid', '回避', '{}', now(), $3)`,
    [draw.id, unit, user.id],
  );
  const publication = await one(
    `INSERT INTO publications (bureau_code, kind, ref_id, title, content, digest) VALUES ($1, 'quarterly-results', 'q', 'Q', '{}', 'x') RETURNING id`,
    [CITY],
  );
  await db.exec(`INSERT INTO published_results (result_id, publication_id) VALUES ($1, $2)`, [
    result.id,
    publication.id,
  ]);
  await db.exec(
    `INSERT INTO yearly_obligations (unit_id, year, bureau_code, min_per_year, fixed_by_plan_id, fixed_at) VALUES ($1, 2024, $2, 1, $3, now())`,
    [unit, BINHAI, plan.id],
  );
}

describe.each(testDrivers())('migrations on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('a migration that fails halfway says so in one line and changes nothing', async () => {
    const error = await migrateDatabase(t.owner, brokenMigrations()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseSetupError);
    expect((error as Error).message).toMatch(/^Migration failed on .*nothing was changed.*no_such_table/s);
    const { rows } = await t.database.exec(`SELECT to_regclass('public.half_done') AS t`);
    expect(rows[0]!.t).toBeNull();
  });

  it('`db reset` drops everything and migrating again restores the schema', async () => {
    await resetDatabase(t.owner); // PGlite refused the three statements sent as one
    expect((await t.owner.exec(`SELECT to_regclass('public.units') AS t`)).rows[0]!.t).toBeNull();
    await migrateDatabase(t.owner);
    expect((await t.database.exec('SELECT count(*)::int AS n FROM units')).rows[0]!.n).toBe(0);
  });

  it('fills bureau_code of existing rows from the row each belongs to (0018), then keys them (0019, 0021)', async () => {
    await resetDatabase(t.owner);
    await migrateDatabase(t.owner, migrationsUpTo(17));
    await rowsBefore0018(t.owner);
    await migrateDatabase(t.owner);
    const bureaus: Record<string, string[]> = {};
    for (const table of [
      'unit_facts',
      'conflicts',
      'tasks',
      'results',
      'findings',
      'rectifications',
      'draw_replacements',
      'published_results',
    ])
      bureaus[table] = (await t.owner.exec(`SELECT bureau_code FROM ${table}`)).rows.map((r) =>
        String(r.bureau_code),
      );
    expect(bureaus).toEqual({
      // A unit's facts are in its bureau, an officer's conflict in the officer's.
      unit_facts: [HEPING],
      conflicts: [BINHAI],
      // A city-wide plan's tasks and what follows from them are the city's, whatever the unit's district.
      tasks: [CITY],
      results: [CITY],
      findings: [CITY],
      rectifications: [CITY],
      draw_replacements: [CITY],
      published_results: [CITY],
    });
    // From 0019 a child names its parent with the bureau: a finding in another bureau than its
    // result's is refused.
    const result = (await t.owner.exec('SELECT id FROM results')).rows[0]!;
    const astray = await t.owner
      .exec(
        `INSERT INTO findings (bureau_code, result_id, kind, description) VALUES ($1, $2, 'hazard', 'x')`,
        [HEPING, result.id],
      )
      .catch((e: unknown) => e);
    expect((astray as Error).message).toMatch(/findings_result_fk/);

    // From 0021 the last five are keyed by bureau too. The obligation fixed before its unit moved
    // follows the unit, and so does everything that hangs off the unit when it moves again.
    const keys = await t.owner.exec(
      `SELECT conrelid::regclass::text AS t, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE contype = 'p' AND conrelid::regclass::text IN ('units', 'inspectors', 'plans', 'publications', 'yearly_obligations')
       ORDER BY 1`,
    );
    expect(keys.rows.map((r) => [r.t, r.def])).toEqual([
      ['inspectors', 'PRIMARY KEY (bureau_code, id)'],
      ['plans', 'PRIMARY KEY (bureau_code, id)'],
      ['publications', 'PRIMARY KEY (bureau_code, id)'],
      ['units', 'PRIMARY KEY (bureau_code, id)'],
      ['yearly_obligations', 'PRIMARY KEY (bureau_code, unit_id, year)'],
    ]);
    const unitBureaus = async () =>
      (
        await t.owner.exec(
          `SELECT (SELECT bureau_code FROM yearly_obligations) AS obligation, (SELECT bureau_code FROM unit_facts) AS facts`,
        )
      ).rows[0];
    expect(await unitBureaus()).toEqual({ obligation: HEPING, facts: HEPING });
    await t.owner.exec(`UPDATE units SET bureau_code = $1`, [BINHAI]);
    expect(await unitBureaus()).toEqual({ obligation: BINHAI, facts: BINHAI });
    // A certificate number is unique per bureau by key (across bureaus the writes check it).
    const twice = await t.owner
      .exec(
        `INSERT INTO inspectors (id, certificate_no, name, bureau_code, department) VALUES ('I120116-0003', 'C1', '检查员', $1, '执法支队')`,
        [BINHAI],
      )
      .catch((e: unknown) => e);
    expect((twice as Error).message).toMatch(/inspectors_bureau_certificate/);
  });
});

describe('opening a database', () => {
  it('rejects a malformed DATABASE_URL with one line naming the fix', async () => {
    await expect(openDatabase({ url: 'not a url' })).rejects.toThrow(/DATABASE_URL is not a valid URL/);
    await expect(openDatabase({ url: 'mysql://x@localhost/db' })).rejects.toThrow(
      /must start with postgres:\/\//,
    );
  });

  it('reports an unreachable server without leaking the password', async () => {
    const error = (await openDatabase({ url: 'postgres://u:secret@127.0.0.1:1/db' }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(DatabaseSetupError);
    expect(error.message).toMatch(/Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/db: connection refused/);
    expect(error.message).not.toContain('secret');
  });
});
