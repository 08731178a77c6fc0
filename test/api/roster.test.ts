/** Paging of the target roster and its figures for charts (units.list, stats.roster). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINHAI, CITY, codeOf, HEPING, openTestDb, signedInUser, type TestDb } from './harness';
import { like } from 'drizzle-orm';
import { units } from '@spotcheck/db';
import { UNIT_COUNT_CAP } from '@spotcheck/api/testing';
import { runJob } from '@spotcheck/api';
import { buildWorld, unitIdAt, type World } from './fixtures';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
});
afterAll(async () => t?.close());

/** The roster's counts by key (and of each flag), from the units themselves and from the kept deltas. */
const actual = async () =>
  (
    await t.database.exec(
      `SELECT bureau_code, industry, risk_grade, credit_grade, status, count(*)::int AS units,
              count(*) FILTER (WHERE major_hazard)::int AS major_hazard,
              count(*) FILTER (WHERE blacklisted)::int AS blacklisted,
              count(*) FILTER (WHERE joint_punishment)::int AS joint_punishment,
              count(*) FILTER (WHERE key_unit)::int AS key_unit
         FROM units GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    )
  ).rows;
const kept = async () =>
  (
    await t.database.exec(
      `SELECT bureau_code, industry, risk_grade, credit_grade, status, sum(units)::int AS units,
              sum(major_hazard)::int AS major_hazard, sum(blacklisted)::int AS blacklisted,
              sum(joint_punishment)::int AS joint_punishment, sum(key_unit)::int AS key_unit
         FROM unit_counts GROUP BY 1, 2, 3, 4, 5 HAVING sum(units) <> 0 ORDER BY 1, 2, 3, 4, 5`,
    )
  ).rows;

describe('units.list', () => {
  it('pages with a total that counts every match, keeping the filters', async () => {
    const first = await w.admin.caller.units.list({ bureauCode: BINHAI, limit: 15, offset: 0 });
    expect(first.total).toBe(40);
    expect(first.rows).toHaveLength(15);
    const last = await w.admin.caller.units.list({ bureauCode: BINHAI, limit: 15, offset: 30 });
    expect(last.total).toBe(40);
    expect(last.rows).toHaveLength(10);
    expect(new Set([...first.rows, ...last.rows].map((u) => u.id)).size).toBe(25);
    const high = await w.admin.caller.units.list({ riskGrade: 'high', limit: 3 });
    expect(high.total).toBe(8);
    expect(high.rows).toHaveLength(3);
    expect(high.rows.every((u) => u.riskGrade === 'high')).toBe(true);
    const chem = await w.admin.caller.units.list({ industry: 'hazardous-chemicals', q: '滨海测试单位1' });
    expect(chem.rows.every((u) => u.industry === 'hazardous-chemicals' && u.name.includes('单位1'))).toBe(
      true,
    );
    expect(chem.total).toBe(chem.rows.length);
  });

  it('pages by key (after a credit code) exactly as by offset, and keeps the bureau scope', async () => {
    const byOffset = [];
    for (let offset = 0; offset < 40; offset += 15)
      byOffset.push(...(await w.admin.caller.units.list({ bureauCode: BINHAI, limit: 15, offset })).rows);
    const byKey = [];
    let after: string | undefined;
    for (;;) {
      const page = await w.admin.caller.units.list({
        bureauCode: BINHAI,
        limit: 15,
        ...(after ? { after } : {}),
      });
      byKey.push(...page.rows);
      if (page.rows.length < 15) break;
      after = page.rows.at(-1)!.id;
    }
    expect(byKey.map((u) => u.id)).toEqual(byOffset.map((u) => u.id));
    expect(byKey).toHaveLength(40);
    const err = await w.admin.caller.units.list({ after: 'not-a-code' }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^after: /);
  });

  it("gives each shape of filters its page and exact total, within the caller's reach only", async () => {
    // A reader of two districts (the page's "several bureaus" statement), beside the one-district
    // admin and the city admin.
    const { caller: two } = await signedInUser(t.database, 'w-two-districts', BINHAI, ['district-admin'], {
      grantedIn: [BINHAI, HEPING],
    });
    // Units in Heping too, so that a page of several bureaus holds both, and on the city bureau's own
    // roster, which only the city admin reaches (removed at the end).
    const { facts: _facts, ...base } = await w.admin.caller.units.get({ id: unitIdAt(0) });
    await t.database.db.insert(units).values(
      Array.from({ length: 12 }, (_, i) => ({
        ...base,
        id: unitIdAt(500 + i, i < 9 ? HEPING : CITY),
        name: `形状测试单位${i}`,
        bureauCode: i < 9 ? HEPING : CITY,
        riskGrade: (['low', 'high', 'medium'] as const)[i % 3]!,
        status: i % 4 === 0 ? ('closed' as const) : ('active' as const),
      })),
    );
    const callers = [
      { caller: w.admin.caller, reach: [BINHAI] },
      { caller: two, reach: [BINHAI, HEPING] },
      { caller: w.cityAdmin.caller, reach: null },
    ];
    const filters = [
      {},
      { bureauCode: BINHAI },
      { riskGrade: 'low' as const },
      { industry: 'hazardous-chemicals' as const, status: 'active' as const },
      { bureauCode: BINHAI, riskGrade: 'high' as const, status: 'active' as const },
      { status: 'closed' as const },
    ];
    let shapes = 0;
    for (const { caller, reach } of callers)
      for (const filter of filters) {
        const { rows } = await t.database.exec(
          `SELECT id FROM units WHERE ($1::text[] IS NULL OR bureau_code = ANY($1))
             AND ($2::text IS NULL OR bureau_code = $2) AND ($3::text IS NULL OR risk_grade = $3)
             AND ($4::text IS NULL OR industry = $4) AND ($5::text IS NULL OR status = $5) ORDER BY id`,
          [
            reach,
            filter.bureauCode ?? null,
            'riskGrade' in filter ? filter.riskGrade : null,
            'industry' in filter ? filter.industry : null,
            'status' in filter ? filter.status : null,
          ],
        );
        const ids = rows.map((r) => String(r.id));
        const page = await caller.units.list({ ...filter, limit: 4, offset: 2 });
        expect(page.rows.map((u) => u.id)).toEqual(ids.slice(2, 6));
        expect(page.total).toBe(ids.length);
        expect(page.totalCapped).toBe(false);
        // Past the end, and paged by key.
        const past = await caller.units.list({ ...filter, limit: 4, offset: ids.length + 3 });
        expect(past).toEqual({ rows: [], total: ids.length, totalCapped: false });
        if (ids.length > 3) {
          // (An offset beside `after` is ignored: the page starts after the key.)
          const keyed = await caller.units.list({ ...filter, limit: 2, offset: 3, after: ids[1] });
          expect(keyed.rows.map((u) => u.id)).toEqual(ids.slice(2, 4));
          expect(keyed.total).toBe(ids.length);
          shapes++;
        }
      }
    expect(shapes).toBeGreaterThan(10);
    await t.database.db.delete(units).where(like(units.name, '形状测试单位%'));
    // A bureau out of reach is refused, not answered with an empty page.
    expect(await codeOf(w.admin.caller.units.list({ bureauCode: HEPING }))).toBe('FORBIDDEN');
    expect(await codeOf(two.units.list({ bureauCode: CITY }))).toBe('FORBIDDEN');
  });

  it('counts a 10^4+ roster exactly from the kept counts, and a text search up to the cap', async () => {
    const city = w.cityAdmin.caller;
    const before = await city.units.list({ bureauCode: HEPING, limit: 1 });
    expect(before.totalCapped).toBe(false);
    const template = await w.admin.caller.units.get({ id: unitIdAt(0) });
    const { facts: _facts, ...base } = template;
    const extra = Array.from({ length: UNIT_COUNT_CAP + 1 }, (_, i) => ({
      ...base,
      id: unitIdAt(1000 + i, HEPING),
      name: `容量测试单位${i}`,
      bureauCode: HEPING,
    }));
    for (let i = 0; i < extra.length; i += 1000)
      await t.database.db.insert(units).values(extra.slice(i, i + 1000));
    // Without a text search the total is exact, from the trigger-kept counts.
    const page = await city.units.list({ bureauCode: HEPING, limit: 5, offset: 20 });
    expect(page.total).toBe(before.total + UNIT_COUNT_CAP + 1);
    expect(page.totalCapped).toBe(false);
    expect(page.rows).toHaveLength(5);
    // A text search counts its matches up to the cap.
    const searched = await city.units.list({ bureauCode: HEPING, q: '容量测试单位', limit: 5 });
    expect(searched.total).toBe(UNIT_COUNT_CAP);
    expect(searched.totalCapped).toBe(true);
    // A filter that matches few still counts them exactly.
    const few = await city.units.list({ bureauCode: HEPING, q: '容量测试单位999' });
    expect(few.totalCapped).toBe(false);
    expect(few.total).toBe(11); // 999 and 9990–9999
    expect(few.rows).toHaveLength(11);
    // A district reader paging by key from anywhere still sees only its own bureau.
    const binhai = await w.admin.caller.units.list({ limit: 100, after: unitIdAt(0, HEPING) });
    expect(binhai.rows.length).toBeGreaterThan(0);
    expect(binhai.rows.every((u) => u.bureauCode === BINHAI)).toBe(true);
    // (The other suites here count Heping's roster: the extra units go again.)
    await t.database.db.delete(units).where(like(units.name, '容量测试单位%'));
    expect((await city.units.list({ bureauCode: HEPING, limit: 1 })).total).toBe(before.total);
  });

  it('keeps the counts in step with every write to the roster (insert, update, delete, COPY import)', async () => {
    expect(await kept()).toEqual(await actual());
    // An update that moves units between counts, one that closes some, one that changes nothing
    // counted (each undone at the end: the other suites here count these units).
    const low = (
      await t.database.exec(`SELECT id FROM units WHERE bureau_code = $1 AND risk_grade = 'low'`, [BINHAI])
    ).rows.map((r) => String(r.id));
    const closing = (
      await t.database.exec(`SELECT id FROM units WHERE status = 'active' ORDER BY id LIMIT 3`)
    ).rows.map((r) => String(r.id));
    expect(low.length).toBeGreaterThan(0);
    await t.database.exec(`UPDATE units SET risk_grade = 'major' WHERE id = ANY($1)`, [low]);
    await t.database.exec(`UPDATE units SET status = 'closed' WHERE id = ANY($1)`, [closing]);
    await t.database.exec(`UPDATE units SET address = address WHERE bureau_code = $1`, [BINHAI]);
    expect(await kept()).toEqual(await actual());
    const major = await w.admin.caller.units.list({ bureauCode: BINHAI, riskGrade: 'major', limit: 1 });
    expect(major.total).toBe(
      (await actual())
        .filter((r) => r.bureau_code === BINHAI && r.risk_grade === 'major')
        .reduce((n, r) => n + Number(r.units), 0),
    );
    // Rows in and out, and a rolled-back insert that must leave no trace.
    const template = await w.admin.caller.units.get({ id: unitIdAt(1) });
    const { facts: _facts, ...base } = template;
    await t.database.db.insert(units).values([
      { ...base, id: unitIdAt(5000, HEPING), name: '计数测试单位甲', bureauCode: HEPING },
      { ...base, id: unitIdAt(5001, HEPING), name: '计数测试单位乙', bureauCode: HEPING, riskGrade: 'high' },
    ]);
    await t.database.db
      .transaction(async (tx) => {
        await tx
          .insert(units)
          .values({ ...base, id: unitIdAt(5002, HEPING), name: '计数测试单位丙', bureauCode: HEPING });
        throw new Error('rolled back');
      })
      .catch(() => {});
    expect(await kept()).toEqual(await actual());
    await t.database.db.delete(units).where(like(units.name, '计数测试单位%'));
    await t.database.exec(`UPDATE units SET risk_grade = 'low' WHERE id = ANY($1)`, [low]);
    await t.database.exec(`UPDATE units SET status = 'active' WHERE id = ANY($1)`, [closing]);
    expect(await kept()).toEqual(await actual());
    // The compaction job folds each key's deltas into one row, sums unchanged.
    const rows = async () =>
      Number((await t.database.exec(`SELECT count(*)::int AS n FROM unit_counts`)).rows[0]!.n);
    expect(await rows()).toBeGreaterThan((await actual()).length);
    const run = await runJob(t.database.db, 'unit-counts-compact', { trigger: 'manual', now: new Date() });
    expect(run.outcome).toBe('ok');
    expect(Number(run.summary.folded)).toBeGreaterThan(0);
    expect(await rows()).toBe((await actual()).length);
    expect(await kept()).toEqual(await actual());
  });

  it.runIf(process.env.SPOTCHECK_TEST_PG_URL)(
    'lets two roster writers of one bureau proceed side by side (no lock on a shared count row)',
    async () => {
      // Two open transactions add units of the same bureau under the same keys, in opposite
      // orders: counters updated in place would make the second wait for the first (and the first
      // then deadlock); appended deltas do not. A wait would hit the 3 s statement timeout.
      const pool = t.database.raw as import('pg').Pool;
      const a = await pool.connect();
      const b = await pool.connect();
      const template = await w.admin.caller.units.get({ id: unitIdAt(2) });
      const row = (n: number, industry: string) => [unitIdAt(6000 + n, HEPING), `并发测试单位${n}`, industry];
      const insert = (c: import('pg').PoolClient, [id, name, industry]: string[]) =>
        c.query(
          `INSERT INTO units (id, name, nature, industry, scale, employees, bureau_code, risk_grade, credit_grade)
           VALUES ($1, $2, $3, $4, $5, 10, $6, 'low', 'B')`,
          [id, name, template.nature, industry, template.scale, HEPING],
        );
      try {
        for (const c of [a, b]) await c.query(`BEGIN; SET LOCAL statement_timeout = '3s'`);
        await insert(a, row(1, 'machinery'));
        await insert(b, row(2, 'trade'));
        await insert(b, row(3, 'machinery'));
        await insert(a, row(4, 'trade'));
        await a.query('COMMIT');
        await b.query('COMMIT');
        expect(await kept()).toEqual(await actual());
      } finally {
        await a.query('ROLLBACK').catch(() => {});
        await b.query('ROLLBACK').catch(() => {});
        a.release();
        b.release();
        await t.database.db.delete(units).where(like(units.name, '并发测试单位%'));
      }
      expect(await kept()).toEqual(await actual());
    },
  );

  it('answers a bad page with a 400 naming the field', async () => {
    const err = await w.admin.caller.units
      .list({ limit: 0 })
      .catch((e: unknown) => e as Error & { code: string });
    expect((err as { code: string }).code).toBe('BAD_REQUEST');
    expect((err as Error).message).toMatch(/^limit: /);
  });
});

describe('stats.roster', () => {
  it('aggregates active units by risk grade, credit grade and industry', async () => {
    await w.admin.caller.units.setStatus({ id: w.unitIds[1]!, status: 'closed' });
    const r = await w.auditor.caller.stats.roster({ bureauCode: BINHAI });
    expect(r.units).toBe(39);
    expect(r.riskGrade).toEqual([
      { key: 'low', units: 24 },
      { key: 'high', units: 8 },
      { key: 'medium', units: 7 },
    ]);
    expect(r.creditGrade).toEqual([
      { key: 'B', units: 33 },
      { key: 'A', units: 6 },
    ]);
    expect(r.industry.reduce((n, x) => n + x.units, 0)).toBe(39);
    expect(r.industry.find((x) => x.key === 'hazardous-chemicals')!.units).toBe(10);
    expect(r.blacklisted).toBe(0);
    // The figures from the kept counts are the roster's own, counted here from the units.
    const direct = async (column: 'risk_grade' | 'industry' | 'credit_grade') =>
      (
        (
          await t.database.exec(
            `select ${column} as key, count(*)::int as units from units
             where status = 'active' and bureau_code = $1 group by 1 order by 2 desc, 1`,
            [BINHAI],
          )
        ).rows as { key: string; units: number }[]
      ).map((x) => ({ key: x.key, units: x.units }));
    expect(r.riskGrade).toEqual(await direct('risk_grade'));
    expect(r.industry).toEqual(await direct('industry'));
    expect(r.creditGrade).toEqual(await direct('credit_grade'));
    // The flags too, after one is set and another cleared on a unit (an update of the flags alone).
    const flagged = w.unitIds[2]!;
    await w.admin.caller.units.update({ id: flagged, patch: { keyUnit: true, majorHazard: true } });
    const flags = async () =>
      (
        await t.database.exec(
          `select count(*) filter (where major_hazard)::int as "majorHazard",
                  count(*) filter (where blacklisted)::int as "blacklisted",
                  count(*) filter (where joint_punishment)::int as "jointPunishment",
                  count(*) filter (where key_unit)::int as "keyUnit"
             from units where status = 'active' and bureau_code = $1`,
          [BINHAI],
        )
      ).rows[0] as Record<string, number>;
    const set = await w.auditor.caller.stats.roster({ bureauCode: BINHAI });
    expect(set.keyUnit).toBeGreaterThan(0);
    expect(set).toMatchObject(await flags());
    await w.admin.caller.units.update({ id: flagged, patch: { keyUnit: false, majorHazard: false } });
    const cleared = await w.auditor.caller.stats.roster({ bureauCode: BINHAI });
    expect(cleared.keyUnit).toBe(set.keyUnit - 1);
    expect(cleared).toMatchObject(await flags());
    expect(await kept()).toEqual(await actual());
    await w.admin.caller.units.setStatus({ id: w.unitIds[1]!, status: 'active' });
  });

  it('lists and de-lists a unit through blacklist proceedings only, never by editing it', async () => {
    const [listed, unlisted] = [w.unitIds[5]!, w.unitIds[6]!];
    const was = await Promise.all(
      [listed, unlisted].map(async (id) => (await w.admin.caller.units.get({ id })).blacklisted),
    );
    await t.owner.exec(`update units set blacklisted = (id = $1) where id in ($1, $2)`, [listed, unlisted]);
    for (const [id, blacklisted] of [
      [listed, false],
      [unlisted, true],
    ] as const) {
      const err = await w.admin.caller.units
        .update({ id, patch: { blacklisted, name: '改名（不应写入）' } })
        .catch((e: unknown) => e as { code?: string; reason?: { code?: string; field?: string } });
      expect(err).toMatchObject({
        code: 'BAD_REQUEST',
        reason: { code: 'unit.blacklistedByProceedings', field: 'patch.blacklisted' },
      });
      const after = await w.admin.caller.units.get({ id });
      expect(after.blacklisted).toBe(!blacklisted);
      expect(after.name).not.toBe('改名（不应写入）');
      // The form sends every flag: the value the unit holds already passes.
      await w.admin.caller.units.update({ id, patch: { blacklisted: !blacklisted, keyUnit: after.keyUnit } });
    }
    await t.owner.exec(`update units set blacklisted = $2 where id = $1`, [listed, was[0]]);
    await t.owner.exec(`update units set blacklisted = $2 where id = $1`, [unlisted, was[1]]);
  });

  it('adds a unit as not blacklisted only: a listing comes from blacklist proceedings', async () => {
    const fields = {
      name: '新增单位（名单测试）',
      nature: 'private',
      industry: 'machinery',
      scale: 'small',
      employees: 5,
      bureauCode: BINHAI,
      riskGrade: 'low',
      creditGrade: 'B',
    } as const;
    /** What the database holds of a unit: its row, its fact history and its audit events. */
    const written = async (id: string) =>
      (
        await t.database.exec(
          `SELECT (SELECT count(*)::int FROM units WHERE id = $1) AS units,
                  (SELECT count(*)::int FROM unit_facts WHERE unit_id = $1) AS facts,
                  (SELECT count(*)::int FROM audit_events WHERE entity = 'units' AND entity_id = $1) AS audited`,
          [id],
        )
      ).rows[0];
    const listed = unitIdAt(6000);
    const err = await w.admin.caller.units
      .create({ id: listed, ...fields, blacklisted: true })
      .catch((e: unknown) => e as { code?: string; reason?: { code?: string; field?: string } });
    expect(err).toMatchObject({
      code: 'BAD_REQUEST',
      reason: { code: 'unit.blacklistedByProceedings', field: 'blacklisted' },
    });
    expect(await written(listed)).toEqual({ units: 0, facts: 0, audited: 0 });
    // Not blacklisted, said so or left out: added (and removed again, as the figures below count
    // Binhai's roster).
    const [said, unsaid] = [unitIdAt(6001), unitIdAt(6002)];
    expect(await w.admin.caller.units.create({ id: said, ...fields, blacklisted: false })).toMatchObject({
      id: said,
      blacklisted: false,
    });
    expect(await w.admin.caller.units.create({ id: unsaid, ...fields })).toMatchObject({
      id: unsaid,
      blacklisted: false,
    });
    expect(await written(said)).toEqual({ units: 1, facts: 2, audited: 1 });
    await t.owner.exec(`DELETE FROM unit_facts WHERE unit_id = ANY($1)`, [[said, unsaid]]);
    await t.owner.exec(`DELETE FROM units WHERE id = ANY($1)`, [[said, unsaid]]);
  });

  it('keeps a district to its own bureau', async () => {
    expect(await codeOf(w.admin.caller.stats.roster({ bureauCode: HEPING }))).toBe('FORBIDDEN');
    expect((await w.admin.caller.stats.roster({})).units).toBe(40);
    expect((await w.cityAdmin.caller.stats.roster({ bureauCode: HEPING })).units).toBe(0);
  });
});
