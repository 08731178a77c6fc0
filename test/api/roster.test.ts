/** Paging of the target roster and its figures for charts (units.list, stats.roster). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINHAI, codeOf, HEPING, openTestDb, type TestDb } from './harness';
import { buildWorld, type World } from './fixtures';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
});
afterAll(async () => t?.close());

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
    await w.admin.caller.units.setStatus({ id: w.unitIds[1]!, status: 'active' });
  });

  it('keeps a district to its own bureau', async () => {
    expect(await codeOf(w.admin.caller.stats.roster({ bureauCode: HEPING }))).toBe('FORBIDDEN');
    expect((await w.admin.caller.stats.roster({})).units).toBe(40);
    expect((await w.cityAdmin.caller.stats.roster({ bureauCode: HEPING })).units).toBe(0);
  });
});
