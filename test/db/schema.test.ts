import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { isValidUscc } from '@spotcheck/core';
import {
  bureaus,
  inspectors,
  migrateDatabase,
  streets,
  unitFacts,
  units,
  withBulkSession,
} from '@spotcheck/db';
import { seedDemoCity } from '@spotcheck/demo';
import { openTestDatabase, testDrivers, type TestDatabase } from '../support/databases';

describe.each(testDrivers())('database on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('seeds the demo city with the 16 Tianjin districts and their streets', async () => {
    const summary = await seedDemoCity(t.database, { units: 2000 });
    expect(summary.units).toBe(2000);
    const db = t.database.db;
    const districts = await db.select().from(bureaus).where(eq(bureaus.level, 'district'));
    expect(districts.map((d) => d.code).sort()).toEqual([
      '120101',
      '120102',
      '120103',
      '120104',
      '120105',
      '120106',
      '120110',
      '120111',
      '120112',
      '120113',
      '120114',
      '120115',
      '120116',
      '120117',
      '120118',
      '120119',
    ]);
    expect(districts.find((d) => d.code === '120116')?.name).toBe('滨海新区');
    const [streetCount] = await db.select({ n: count() }).from(streets);
    expect(streetCount!.n).toBeGreaterThan(200);
  });

  it('keeps every district in the roster with valid credit codes and dated facts', async () => {
    const db = t.database.db;
    const perBureau = await db
      .select({ bureau: units.bureauCode, n: count() })
      .from(units)
      .groupBy(units.bureauCode);
    expect(perBureau).toHaveLength(16);
    const sample = await db.select({ id: units.id }).from(units).limit(200);
    expect(sample.every((u) => isValidUscc(u.id))).toBe(true);
    const fatal = await db.select().from(unitFacts).where(eq(unitFacts.kind, 'fatal-accident')).limit(5);
    for (const f of fatal) {
      const [u] = await db.select().from(units).where(eq(units.id, f.unitId));
      expect(u!.lastFatalAccidentOn).toBe(f.effectiveOn);
    }
    const [active] = await db.select({ n: count() }).from(inspectors).where(eq(inspectors.status, 'active'));
    expect(active!.n).toBeGreaterThan(250);
  });

  it('refuses to seed twice and leaves the roster as it was', async () => {
    await expect(seedDemoCity(t.database, { units: 100 })).rejects.toThrow(/already holds a roster/);
    const [n] = await t.database.db.select({ n: count() }).from(units);
    expect(n!.n).toBe(2000);
  });

  it('rolls back a bulk load that fails halfway', async () => {
    const before = await t.database.exec('SELECT count(*)::int AS n FROM experts');
    await expect(
      withBulkSession(t.database, async (s) => {
        await s.copy(
          'experts',
          ['id', 'name'],
          (async function* () {
            yield ['X-1', '甲'];
            yield ['X-2', '乙'];
          })(),
        );
        await s.exec('INSERT INTO experts (id, name) VALUES ($1, $2)', ['X-1', 'duplicate']);
      }),
    ).rejects.toThrow();
    const after = await t.database.exec('SELECT count(*)::int AS n FROM experts');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('refuses to update, delete or truncate audit events', async () => {
    await t.database.exec(
      `INSERT INTO audit_events (seq, at, action, entity, prev_hash, hash) VALUES (1, now(), 'test', 'x', '0', 'h')`,
    );
    // Even the schema owner (who has the rights the application lacks) meets the trigger.
    await expect(t.owner.exec(`UPDATE audit_events SET action = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(t.owner.exec('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(t.owner.exec('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
  });

  it('allows one live draw attempt per plan', async () => {
    const [u] = (
      await t.database.exec(
        `INSERT INTO users (username, display_name, password_hash, bureau_code) VALUES ('u', 'U', 'x', '120116') RETURNING id`,
      )
    ).rows;
    const [p] = (
      await t.database.exec(
        `INSERT INTO plans (bureau_code, title, period, kind, team, created_by) VALUES ('120116', 'p', '2027-Q1', 'general', '{}', $1) RETURNING id`,
        [u!.id],
      )
    ).rows;
    const insertDraw = (attempt: number, digest: string, status: string) =>
      t.database.exec(
        `INSERT INTO draws (plan_id, bureau_code, attempt, status, commitment, commitment_digest, frame, inspector_rows, committed_at, committed_by)
         VALUES ($1, '120116', $2, $3, '{}', $4, '[]', '[]', now(), $5)`,
        [p!.id, attempt, status, digest, u!.id],
      );
    await insertDraw(1, 'd1', 'committed');
    await expect(insertDraw(2, 'd2', 'committed')).rejects.toThrow();
    await t.database.exec(`UPDATE draws SET status = 'voided' WHERE attempt = 1`);
    await insertDraw(2, 'd2', 'committed');
  });

  it('compresses the large jsonb values with lz4 where the server has it (PostgreSQL), pglz otherwise (PGlite)', async () => {
    const large = ['frame', 'excluded', 'inspector_rows', 'expert_rows', 'avoidance_reasons', 'result'];
    const settings = async (table: string, columns: string[]) =>
      (
        await t.database.exec(
          `SELECT attname, attcompression FROM pg_attribute
            WHERE attrelid = '${table}'::regclass AND attname IN (${columns.map((c) => `'${c}'`).join(', ')})
            ORDER BY attname`,
        )
      ).rows as { attname: string; attcompression: string }[];
    const want = driver === 'postgres' ? 'l' : '';
    const columns = [...(await settings('draws', large)), ...(await settings('publications', ['content']))];
    expect(columns.map((c) => c.attname).sort()).toEqual([...large, 'content'].sort());
    for (const c of columns) expect(`${c.attname}: ${c.attcompression}`).toBe(`${c.attname}: ${want}`);
    // A large value written now is stored so: the live attempt of the test above gets a frame.
    await t.database.exec(
      `UPDATE draws SET frame = (SELECT jsonb_agg(jsonb_build_array(md5(i::text), 'ratio-sample', i))
         FROM generate_series(1, 20000) AS i) WHERE attempt = 2`,
    );
    const [stored] = (
      await t.database.exec(`SELECT pg_column_compression(frame) AS method FROM draws WHERE attempt = 2`)
    ).rows as { method: string | null }[];
    expect(stored?.method).toBe(driver === 'postgres' ? 'lz4' : 'pglz');
  });

  it('migrating again is a no-op', async () => {
    await migrateDatabase(t.owner);
    const [n] = await t.database.db.select({ n: count() }).from(units);
    expect(n!.n).toBe(2000);
  });
});
