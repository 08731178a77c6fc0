/**
 * Issue #10 "done means": four real quarters of 2027 on the demo city, every district with its own
 * rule pack, through the whole plan → approve → draw → sign → tasks pipeline, inspections done in
 * each quarter. Then: every unit that was mandatory met its yearly minimum; per ratio class, the
 * share of units drawn is within 4 standard errors of the rule ratio (a bound for all classes at
 * once); every task has ≥ 2 officers and every city checklist item that applies to it; no officer
 * was over capacity.
 *
 * Roster: the demo generator at {@link UNITS} units (the city's 16 districts by their real shares),
 * its 300 officers and 60 experts.
 */
import { resolve } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_CHECKLIST, seedDemoCity, tianjinDivisions } from '@spotcheck/demo';
import { checklistVersions, inspectors, plans, tasks, yearlyObligations, units } from '@spotcheck/db';
import {
  PackRegistry,
  parsePeriod,
  type Classification,
  type Period,
  ratio as exactRatio,
} from '@spotcheck/rules';
import { discoverPacks } from '@spotcheck/rules/load';
import { unitFactsOf, installRulePacks } from '@spotcheck/api';
import { CITY, drawEnv, openTestDb, signedInUser, type SignedIn, type TestDb } from './harness';
import { passSources, registeredKey, signAs } from './fixtures';
import type { OfficialKey } from '../support/official-keys';

const UNITS = 6000;
const YEAR = '2027';
const ROOT = resolve(import.meta.dirname, '../..');

let t: TestDb;
const staff = new Map<string, { operator: SignedIn; approver: SignedIn; key: OfficialKey }>();
const districts = tianjinDivisions().districts.map((d) => d.code);
/** Per quarter and district: the preview's capacity report and the draw's overloads. */
const accepted: { bureau: string; quarter: number; overloads: unknown[]; shortPools: unknown[] }[] = [];

beforeAll(async () => {
  t = await openTestDb({ bureaus: false });
  await seedDemoCity(t.database, { units: UNITS });
  const city = await signedInUser(t.database, 'q-city', CITY, ['city-admin']);
  const sources = discoverPacks(resolve(ROOT, 'rules'), ROOT);
  // The repository's packs are reviewed and tested: installed as published versions, as the demo does.
  await installRulePacks(t.database.db, sources, null);
  for (const code of districts) {
    const approver = await signedInUser(t.database, `q-ap-${code}`, code, ['approver']);
    staff.set(code, {
      operator: await signedInUser(t.database, `q-op-${code}`, code, ['draw-operator']),
      approver,
      // The approver's browser-made sign-off key, registered in the district's registry by the city.
      key: await registeredKey(approver, city, code),
    });
  }
}, 600_000);
afterAll(async () => t?.close());

const QUARTER_DONE = ['2027-03-20', '2027-06-20', '2027-09-20', '2027-12-20'];

async function runQuarter(code: string, quarter: number): Promise<void> {
  const { operator, approver, key } = staff.get(code)!;
  const period = `${YEAR}-Q${quarter}`;
  const [own] = await t.database.db
    .select({ id: checklistVersions.id })
    .from(checklistVersions)
    .where(and(eq(checklistVersions.bureauCode, code), eq(checklistVersions.status, 'published')));
  const [cityList] = await t.database.db
    .select({ id: checklistVersions.id })
    .from(checklistVersions)
    .where(and(eq(checklistVersions.bureauCode, CITY), eq(checklistVersions.status, 'published')));
  const draft = {
    bureauCode: code,
    period,
    kind: 'general' as const,
    scope: {},
    strata: [],
    team: { size: 2, specialist: true, ownJurisdiction: false },
  };
  const preview = await operator.caller.plans.preview(draft);
  const plan = await operator.caller.plans.create({
    ...draft,
    title: `${code} ${period} 双随机抽查`,
    // The drand round the wizard proposes for a draw two minutes ahead (demo beacon).
    sources: (
      await operator.caller.plans.proposeSources({
        plannedDrawAt: new Date(drawEnv.now().getTime() + 120_000),
      })
    ).sources,
    checklistVersionId: (own ?? cityList)!.id,
  });
  await operator.caller.plans.submit({ planId: plan.id });
  const { draw } = await approver.caller.plans.approve({ planId: plan.id });
  // The clock moves past the committed round; the value is fetched from the beacon.
  passSources(draw.commitment);
  await operator.caller.draws.enterRandomness({
    drawId: draw.id,
    values: draw.commitment.sources.map(() => null),
  });
  const drawn = await operator.caller.draws.run({ drawId: draw.id });
  await signAs(approver, key, draw.id);
  await operator.caller.draws.issueTasks({ drawId: draw.id });
  accepted.push({
    bureau: code,
    quarter,
    overloads: [...drawn.summary!.overloads],
    shortPools: preview.feasibility.shortPools,
  });
  // The inspections are carried out within the quarter.
  await t.database.db
    .update(tasks)
    .set({ status: 'done', executedAt: new Date(`${QUARTER_DONE[quarter - 1]}T02:00:00Z`) })
    .where(eq(tasks.planId, plan.id));
}

describe('four quarters of 2027 on the demo city, every district with its own pack', () => {
  it('runs every district through Q1–Q4', async () => {
    for (let q = 1; q <= 4; q++) for (const code of districts) await runQuarter(code, q);
    expect(accepted).toHaveLength(64);
  }, 1_200_000);

  it('was feasible with capacity to spare in every district and quarter: no officer over capacity', async () => {
    expect(accepted.filter((a) => a.shortPools.length > 0)).toEqual([]);
    expect(accepted.filter((a) => a.overloads.length > 0)).toEqual([]);
    // And in the tasks themselves: per officer and quarter, at most the quarterly capacity.
    const cap = new Map(
      (await t.database.db.select().from(inspectors)).map((i) => [i.id, i.capacityPerQuarter]),
    );
    const rows = await t.database.db
      .select({ team: tasks.team, period: plans.period })
      .from(tasks)
      .innerJoin(plans, eq(plans.id, tasks.planId));
    const load = new Map<string, number>();
    for (const r of rows)
      for (const m of r.team) load.set(`${r.period} ${m}`, (load.get(`${r.period} ${m}`) ?? 0) + 1);
    const over = [...load].filter(([k, n]) => n > cap.get(k.split(' ')[1]!)!);
    expect(over).toEqual([]);
  });

  it('gave every task a team of at least two and every city checklist item that applies to it', async () => {
    const all = await t.database.db
      .select({
        team: tasks.team,
        codes: tasks.checklistItemCodes,
        industry: units.industry,
        riskGrade: units.riskGrade,
      })
      .from(tasks)
      .innerJoin(units, eq(units.id, tasks.unitId));
    expect(all.length).toBeGreaterThan(1000);
    expect(all.filter((x) => x.team.length < 2)).toEqual([]);
    const universal = CITY_CHECKLIST.filter(
      (i) =>
        !i.industries.length &&
        !i.riskGrades.length &&
        (!i.inspectionKinds.length || i.inspectionKinds.includes('general')),
    ).map((i) => i.code);
    expect(universal.length).toBeGreaterThanOrEqual(5);
    for (const task of all) {
      for (const code of universal) expect(task.codes).toContain(code);
      for (const item of CITY_CHECKLIST) {
        const applies =
          (!item.industries.length || item.industries.includes(task.industry)) &&
          (!item.riskGrades.length || item.riskGrades.includes(task.riskGrade));
        expect(
          task.codes.includes(item.code),
          `${item.code} on a ${task.industry}/${task.riskGrade} task`,
        ).toBe(applies);
      }
    }
  });

  it('met every mandatory unit’s yearly minimum (obligations fixed in Q1 included)', async () => {
    const obligations = await t.database.db
      .select()
      .from(yearlyObligations)
      .where(eq(yearlyObligations.year, Number(YEAR)));
    expect(obligations.length).toBeGreaterThan(300);
    const done = new Map<string, number>();
    const rows = await t.database.db
      .select({ unitId: tasks.unitId })
      .from(tasks)
      .where(eq(tasks.status, 'done'));
    for (const r of rows) done.set(r.unitId, (done.get(r.unitId) ?? 0) + 1);
    const missed = obligations.filter((o) => (done.get(o.unitId) ?? 0) < o.minPerYear);
    expect(missed).toEqual([]);
  });

  it('drew every other unit at its own rule ratio: per ratio class within 4 standard errors', async () => {
    const registry = new PackRegistry();
    expect(registry.load(discoverPacks(resolve(ROOT, 'rules'), ROOT)).ok).toBe(true);
    const roster = await t.database.db.select().from(units);
    const obliged = new Set(
      (
        await t.database.db
          .select({ unitId: yearlyObligations.unitId })
          .from(yearlyObligations)
          .where(eq(yearlyObligations.year, Number(YEAR)))
      ).map((o) => o.unitId),
    );
    const drawn = new Set(
      (await t.database.db.select({ unitId: tasks.unitId }).from(tasks)).map((r) => r.unitId),
    );
    // A unit's class: its yearly ratio, when the same in all four quarters (a unit whose facts
    // age into another ratio mid-year has no single target).
    const periods = [1, 2, 3, 4].map((q) => parsePeriod(`${YEAR}-Q${q}`) as Period);
    const ratioOf = new Map<string, string | null>();
    for (const code of districts) {
      const own = roster.filter((u) => u.bureauCode === code && !obliged.has(u.id));
      const classifier = registry.classifier(registry.forBureau(code)!.id);
      const perQuarter: (readonly Classification[])[] = [];
      for (const p of periods)
        perQuarter.push((await classifier.classifyMany(own.map(unitFactsOf), p)).results);
      own.forEach((u, i) => {
        const r = perQuarter.map((res) => res[i]!.ratio);
        ratioOf.set(u.id, r.every((x) => x === r[0]) ? r[0]! : null);
      });
    }
    const classes = new Map<string, { n: number; drawn: number }>();
    for (const [id, ratio] of ratioOf) {
      if (ratio === null) continue;
      const c = classes.get(ratio) ?? { n: 0, drawn: 0 };
      c.n++;
      if (drawn.has(id)) c.drawn++;
      classes.set(ratio, c);
    }
    const report = [...classes].map(([ratio, c]) => {
      const f = exactRatio(ratio);
      const p = f.num / f.den;
      const se = Math.sqrt((p * (1 - p)) / c.n);
      return { ratio, units: c.n, achieved: c.drawn / c.n, z: (c.drawn / c.n - p) / se };
    });
    console.info('ratio classes (non-mandatory units, same ratio all year):', JSON.stringify(report));
    // The classes the city's pack makes common are there, with power to tell good credit's 3%
    // from the 15% a stratum drawn at its first unit's ratio once gave them (z ≈ 14).
    expect(report.find((r) => r.ratio === '3%')!.units).toBeGreaterThan(300);
    expect(report.find((r) => r.ratio === '5%')!.units).toBeGreaterThan(500);
    // Every class is tested at once, so the bound is the family's: with up to 10 classes, a draw
    // that follows the ratios exceeds |z| = 4 in any of them with probability under 10 · 6.3·10⁻⁵
    // (binomial standard errors; the fixed-size draw's own variance is smaller). At |z| ≤ 3 per
    // class the suite failed about one run in 50 by chance alone (a 12% class of 119 units drew 25,
    // z = 3.02; three reruns gave z = −1.49, 0.77, −0.08).
    const tested = report.filter((r) => r.units >= 30);
    expect(tested.length).toBeLessThanOrEqual(10);
    for (const r of tested) expect(Math.abs(r.z), JSON.stringify(r)).toBeLessThanOrEqual(4);
    // Units whose ratio changed are few; units at most once a year were never drawn twice.
    expect([...ratioOf.values()].filter((r) => r === null).length).toBeLessThan(roster.length / 4);
    const randomTwice = await t.database.db
      .select({ unitId: tasks.unitId })
      .from(tasks)
      .where(inArray(tasks.reason, ['random', 'certainty']));
    const seen = new Map<string, number>();
    for (const r of randomTwice)
      if (!obliged.has(r.unitId)) seen.set(r.unitId, (seen.get(r.unitId) ?? 0) + 1);
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
  });
});
