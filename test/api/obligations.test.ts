import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plans, tasks, yearlyObligations } from '@spotcheck/db';
import { fixObligations } from '@spotcheck/api/testing';
import { buildWorld, issuedPlan, unitIdAt, type World } from './fixtures';
import { BINHAI, codeOf, openTestDb, type TestDb } from './harness';

/**
 * Issue #10: a unit's obligation is fixed for the plan year at the year's first approval. The
 * 静海 case: a fatal accident on 2023-01-10 makes a unit mandatory for 2026; classified at the Q2
 * start it is "three years ago" and no longer mandatory, yet it stays due and Q4 takes it.
 */
describe('yearly obligations', () => {
  let t: TestDb;
  let w: World;
  const draft = (period: string) => ({
    bureauCode: BINHAI,
    period,
    kind: 'general' as const,
    scope: {},
    strata: [],
    team: { size: 2, specialist: true, ownJurisdiction: false },
  });
  beforeAll(async () => {
    t = await openTestDb();
    w = await buildWorld(t.database, 40);
  });
  afterAll(async () => t?.close());

  it('keeps the 2023-01-10 fatal-accident unit due all of 2026 and covers it by Q4', async () => {
    const unit = unitIdAt(2); // low risk, B credit: mandatory only for the accident
    await w.admin.caller.units.update({ id: unit, patch: { lastFatalAccidentOn: '2023-01-10' } });
    const q1Class = await w.operator.caller.rulePacks.explain({ unitId: unit, period: '2026-Q1' });
    const q2Class = await w.operator.caller.rulePacks.explain({ unitId: unit, period: '2026-Q2' });
    expect(q1Class.classification.mandatory).toBe(true);
    expect(q2Class.classification.mandatory).toBe(false);

    // Q1 is approved and drawn: the obligation is fixed, with its reason.
    const q1 = await issuedPlan(w, { title: '2026一季度', period: '2026-Q1' });
    const [ob] = await t.database.db
      .select()
      .from(yearlyObligations)
      .where(eq(yearlyObligations.unitId, unit));
    expect(ob).toMatchObject({ year: 2026, minPerYear: 1, bureauCode: BINHAI });
    expect(JSON.stringify(ob!.reasons)).toContain('r11-fatal-accident');
    const q1Task = q1.selected.find((s) => s.unit === unit);
    if (q1Task) {
      // Drawn in Q1 already: un-do it for this test, as if the inspection never happened.
      await t.database.db.update(tasks).set({ status: 'cancelled' }).where(eq(tasks.unitId, unit));
    }

    // Q2: the packs no longer make it mandatory, the stored obligation does.
    const q2 = await w.operator.caller.plans.preview(draft('2026-Q2'));
    expect(q2.coverageLedger!.required).toBeGreaterThanOrEqual(q2.mandatory.units);
    const q2Frame = await w.operator.caller.plans.preview(draft('2026-Q2'));
    expect(q2Frame.strata.find((s) => s.id === 'mandatory-due')!.units).toBe(q2.coverageLedger!.due);

    // Q4 takes every unit still due, this one included.
    const q4 = await issuedPlan(w, { title: '2026四季度', period: '2026-Q4' });
    expect(q4.selected.find((s) => s.unit === unit)?.reason).toBe('random');
    const due = q4.selected.filter((s) => s.reason !== 'mandatory');
    expect(due.length).toBeGreaterThan(0);
  });

  it('never lowers or removes an obligation once fixed', async () => {
    const unit = unitIdAt(2);
    await w.admin.caller.units.update({ id: unit, patch: { lastFatalAccidentOn: null } });
    await issuedPlan(w, { title: '2026三季度', period: '2026-Q3' });
    const rows = await t.database.db
      .select()
      .from(yearlyObligations)
      .where(eq(yearlyObligations.unitId, unit));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.minPerYear).toBe(1);
  });

  it('stores each obligation with its own unit’s reasons (each list sent once), and only ever raises it', async () => {
    const [plan] = await t.database.db.select().from(plans).limit(1);
    const year = { ...plan!, period: '2031' };
    const why = (rule: string) => [{ rule, reason: `${rule} 的说明` }];
    const change = (n: number, minPerYear: number, reasons: { rule: string; reason: string }[]) => ({
      unitId: unitIdAt(n),
      bureauCode: BINHAI,
      minPerYear,
      raised: false,
      reasons,
    });
    const stored = async () =>
      Object.fromEntries(
        (await t.database.db.select().from(yearlyObligations).where(eq(yearlyObligations.year, 2031))).map(
          (o) => [o.unitId, [o.minPerYear, o.reasons]],
        ),
      );
    const fix = (changes: ReturnType<typeof change>[]) =>
      t.database.db.transaction((tx) => fixObligations(tx, year, changes, new Date()));
    await fix([change(5, 1, why('a')), change(6, 2, why('b')), change(7, 1, why('a')), change(8, 1, [])]);
    expect(await stored()).toEqual({
      [unitIdAt(5)]: [1, why('a')],
      [unitIdAt(6)]: [2, why('b')],
      [unitIdAt(7)]: [1, why('a')],
      [unitIdAt(8)]: [1, []],
    });
    // Raised with the reasons that raise it; never lowered (nor its reasons replaced by a lower one's).
    await fix([change(5, 2, why('c')), change(6, 1, why('d')), change(9, 4, why('b'))]);
    expect(await stored()).toEqual({
      [unitIdAt(5)]: [2, why('c')],
      [unitIdAt(6)]: [2, why('b')],
      [unitIdAt(7)]: [1, why('a')],
      [unitIdAt(8)]: [1, []],
      [unitIdAt(9)]: [4, why('b')],
    });
  });

  it('refuses a result on a task with fewer than two officers, and findings citing items not on the task', async () => {
    const q = await issuedPlan(w, { title: '2026二季度', period: '2026-Q2' });
    const [task] = await t.database.db.select().from(tasks).where(eq(tasks.drawId, q.drawId)).limit(1);
    const record = (taskId: string, code: string) =>
      w.admin.caller.results.record({
        taskId,
        outcome: 'violations',
        inspectedOn: '2026-05-10',
        findings: [{ kind: 'violation', description: '未落实责任制', checklistItemCode: code }],
      });
    expect(task!.team.length).toBeGreaterThanOrEqual(2);
    expect(await codeOf(record(task!.id, 'BH-NOT-ON-TASK'))).toBe('BAD_REQUEST');
    // R1: a finding that cites no item is refused, naming the field.
    for (const code of ['', '   ', undefined, null]) {
      const uncited = w.admin.caller.results.record({
        taskId: task!.id,
        outcome: 'violations',
        inspectedOn: '2026-05-10',
        findings: [{ kind: 'hazard', description: '未设置报警', checklistItemCode: code as never }],
      });
      await expect(uncited).rejects.toThrow(/checklistItemCode/);
      expect(await codeOf(uncited)).toBe('BAD_REQUEST');
    }
    await record(task!.id, task!.checklistItemCodes[0]!);
    // A task nobody staffs (as units-only plans once issued) takes no result.
    const [empty] = await t.database.db
      .insert(tasks)
      .values({
        bureauCode: BINHAI,
        drawId: q.drawId,
        planId: q.planId,
        unitId: unitIdAt(39),
        sequence: 9999,
        reason: 'random',
        team: [],
      })
      .returning();
    expect(await codeOf(record(empty!.id, task!.checklistItemCodes[0]!))).toBe('PRECONDITION_FAILED');
  });
});
