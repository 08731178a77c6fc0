/**
 * The rule-pack simulator runs the real plan → draw pipeline (issue #10): four quarterly frames
 * from the approval's builder, the engine's selection, inspections done in each quarter, on a
 * copy that is rolled back. Per ratio class the achieved share is within 3 standard errors of the
 * rule ratio, every mandatory unit meets its yearly minimum, the same seed gives the same year,
 * and nothing the simulation did is left in the database.
 */
import { resolve } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCity } from '@spotcheck/demo';
import { rulePackVersions } from '@spotcheck/db';
import { discoverPacks } from '@spotcheck/rules/load';
import { installRulePacks } from '@spotcheck/api';
import { BINHAI, openTestDb, signedInUser, type SignedIn, type TestDb } from './harness';

const ROOT = resolve(import.meta.dirname, '../..');
let t: TestDb;
let operator: SignedIn;
let binhaiId: string;

beforeAll(async () => {
  t = await openTestDb({ bureaus: false });
  await seedDemoCity(t.database, { units: 4000 });
  await installRulePacks(t.database.db, discoverPacks(resolve(ROOT, 'rules'), ROOT), null);
  operator = await signedInUser(t.database, 'sim-operator', BINHAI, ['draw-operator']);
  const [row] = await t.database.db
    .select({ id: rulePackVersions.id })
    .from(rulePackVersions)
    .where(and(eq(rulePackVersions.packId, 'tianjin/binhai'), eq(rulePackVersions.status, 'published')));
  binhaiId = row!.id;
}, 300_000);
afterAll(async () => t?.close());

const counts = async () =>
  (
    await t.database.exec(
      `select (select count(*)::int from plans) as plans, (select count(*)::int from draws) as draws,
              (select count(*)::int from tasks) as tasks, (select count(*)::int from yearly_obligations) as obligations,
              (select count(*)::int from audit_events) as audit`,
    )
  ).rows[0];

describe('rulePacks.simulate through the real pipeline', () => {
  it('draws every ratio class at its own ratio and meets every yearly minimum, leaving nothing behind', async () => {
    const before = await counts();
    const s = await operator.caller.rulePacks.simulate({ id: binhaiId, year: 2027, seed: '5eed0001' });
    expect(await counts()).toEqual(before);
    const p = s.pipeline!;
    expect(p.seed).toBe('5eed0001');
    expect(p.quarters.map((q) => q.period)).toEqual(['2027-Q1', '2027-Q2', '2027-Q3', '2027-Q4']);
    expect(p.quarters.every((q) => q.selected > 0 && q.sampled <= q.ratioQuota)).toBe(true);
    // Mandatory units: all met by Q4 (the coverage ledger), and there are some.
    expect(p.mandatory.units).toBeGreaterThan(20);
    expect(p.mandatory.missed).toEqual([]);
    expect(p.mandatory.met).toBe(p.mandatory.units);
    // Ratio classes: several, each within 3 standard errors of its rule ratio.
    const sized = p.classes.filter((c) => c.units >= 20 && c.expectedShare > 0);
    expect(sized.length).toBeGreaterThanOrEqual(2);
    for (const c of sized)
      expect(Math.abs(c.z), `${c.stratum} ${c.ratio}: ${c.drawn}/${c.units}`).toBeLessThanOrEqual(3);
    // A 0% class is never drawn at random.
    for (const c of p.classes.filter((x) => x.expectedShare === 0)) expect(c.drawn).toBe(0);
  }, 300_000);

  it('gives the same year for the same seed and another year for another seed', async () => {
    const a = await operator.caller.rulePacks.simulate({ id: binhaiId, year: 2027, seed: '5eed0002' });
    const b = await operator.caller.rulePacks.simulate({ id: binhaiId, year: 2027, seed: '5eed0002' });
    const c = await operator.caller.rulePacks.simulate({ id: binhaiId, year: 2027, seed: '5eed0003' });
    expect(b.pipeline).toEqual(a.pipeline);
    expect(c.pipeline!.classes.map((x) => x.drawn)).not.toEqual(a.pipeline!.classes.map((x) => x.drawn));
  }, 300_000);
});
