/** plans.preview: what approval would freeze, from the same frame builder, written nowhere. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINHAI, codeOf, HEPING, openTestDb, type TestDb } from './harness';
import { buildWorld, submittedPlan, type World } from './fixtures';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
});
afterAll(async () => t?.close());

const counts = async () => {
  const res = await t.database.exec(
    `select (select count(*)::int from audit_events) as audit, (select count(*)::int from plans) as plans,
            (select count(*)::int from draws) as draws, (select count(*)::int from publications) as pubs`,
  );
  return res.rows[0];
};
const base = { bureauCode: BINHAI, kind: 'general' as const, scope: {}, strata: [] };

describe('plans.preview', () => {
  it('shows the strata and quotas approval commits, with their source, writing nothing', async () => {
    const before = await counts();
    const preview = await w.operator.caller.plans.preview({
      ...base,
      period: '2027',
      team: { size: 2, specialist: true, ownJurisdiction: false },
    });
    expect(await counts()).toEqual(before);
    expect(preview.roster).toBe(40);
    expect(preview.frameSize).toBe(40);
    expect(preview.rulePacks.map((p) => p.id)).toEqual(['tianjin/city', 'tianjin/binhai']);
    expect(preview.strata.length).toBeGreaterThan(0);
    // A yearly plan: the mandatory units with certainty, every other unit in one pareto stratum
    // weighted by its own rule ratio; the quota is the sum of those probabilities, rounded.
    expect(preview.strata.map((s) => [s.id, s.method, s.source.kind])).toEqual([
      ['mandatory', 'srs', 'obligations'],
      ['ratio-sample', 'pareto', 'rule-ratios'],
    ]);
    const sample = preview.strata.find((s) => s.id === 'ratio-sample')!;
    const expected = preview.ratioClasses.reduce((n, c) => n + c.expected, 0);
    expect(sample.quota).toBe(Math.round(expected));
    expect(sample.planned).toBe(sample.quota);
    expect(preview.ratioClasses.reduce((n, c) => n + c.units, 0)).toBe(sample.units);
    // Each class is drawn at its own ratio (a yearly plan: the ratio itself).
    for (const c of preview.ratioClasses)
      expect(c.expected).toBeCloseTo((c.units * parseFloat(c.ratio)) / 100, 2);
    const mandatory = preview.strata.find((s) => s.id === 'mandatory')!;
    expect(mandatory).toMatchObject({ quota: 0, planned: mandatory.units, mandatory: mandatory.units });
    expect(preview.strata.reduce((n, s) => n + s.units, 0)).toBe(40);
    // The 8 high-risk units are mandatory (R11), drawn with certainty in a yearly plan.
    expect(preview.mandatory.units).toBeGreaterThanOrEqual(8);
    expect(preview.mandatory.inFrame).toBe(preview.mandatory.units);
    expect(preview.mandatory.byRule.some((r) => r.rule === 'tianjin/city#r11-high-risk')).toBe(true);
    expect(preview.coverageLedger).toBeNull();
    expect(preview.inspectors).toMatchObject({ active: 8, capacity: 8 * 80, periodsPerYear: 1 });
    expect(preview.feasibility).toEqual({ ok: true, problemCount: 0, shortPools: [], problems: [] });
    expect(preview.capacity.pools[0]).toMatchObject({ specialty: null, inspectors: 8, capacity: 640 });
    expect(preview.capacity.units).toBe(mandatory.planned + sample.planned);

    // Approval of the same draft commits exactly these strata.
    const planId = await submittedPlan(w, '预览对照');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    const committed = draw.commitment as {
      strata: { id: string; quota: number }[];
      frame: { count: number };
    };
    expect(committed.frame.count).toBe(preview.frameSize);
    expect(committed.strata.map((s) => [s.id, s.quota])).toEqual(preview.strata.map((s) => [s.id, s.quota]));
  });

  it('gives a quarterly plan its coverage-ledger quota and names drafted strata as the plan', async () => {
    const preview = await w.admin.caller.plans.preview({
      ...base,
      period: '2027-Q2',
      strata: [{ id: 'low', method: 'srs', quota: 1 }],
      team: { size: 2, specialist: true, ownJurisdiction: false },
    });
    const ledger = preview.coverageLedger!;
    expect(ledger.required).toBe(preview.mandatory.units);
    expect(ledger).toMatchObject({ inspected: 0, due: ledger.required, quartersLeft: 3 });
    expect(ledger.quota).toBe(Math.ceil(ledger.required / 3));
    const due = preview.strata.find((s) => s.id === 'mandatory-due')!;
    expect(due).toMatchObject({ quota: ledger.quota, source: { kind: 'coverage-ledger' } });
    expect(due.units).toBe(ledger.due);
    const low = preview.strata.find((s) => s.id === 'low');
    if (low) expect(low).toMatchObject({ quota: 1, source: { kind: 'plan' }, ratio: null });
  });

  it('lists every unit no team can be formed for, and why (sr-draw/v2 §1, §9.6)', async () => {
    const big = await w.operator.caller.plans.preview({
      ...base,
      period: '2027',
      team: { size: 10, specialist: true, ownJurisdiction: false },
    });
    expect(big.feasibility.ok).toBe(false);
    expect(big.feasibility.problemCount).toBe(40);
    expect(big.feasibility.problems[0]!.reasons).toContain(
      '8 eligible inspectors, at least 20 (2 × team size) are needed',
    );
    expect(big.feasibility.problems[0]!.unitName).toMatch(/^滨海测试单位/);

    // Seven of eight inspectors declare a conflict with one unit: one eligible inspector is left,
    // fewer than the 2 × team size that keep declared conflicts from forcing a team.
    const unitId = w.unitIds[3]!;
    for (let i = 1; i <= 7; i++)
      await w.admin.caller.conflicts.declare({
        inspectorId: `I120116-${String(i).padStart(4, '0')}`,
        unitId,
        reason: '曾在该单位任职',
      });
    const p = await w.operator.caller.plans.preview({
      ...base,
      period: '2027',
      team: { size: 2, specialist: true, ownJurisdiction: false },
    });
    expect(p.feasibility.ok).toBe(false);
    expect(p.feasibility.problems).toEqual([
      expect.objectContaining({
        unitId,
        eligible: 1,
        reasons: expect.arrayContaining(['1 eligible inspectors, at least 4 (2 × team size) are needed']),
      }),
    ]);
  });

  it('checks roles, bureau and input', async () => {
    const input = { ...base, period: '2027', team: { size: 2, specialist: true, ownJurisdiction: false } };
    expect(await codeOf(w.approver.caller.plans.preview(input))).toBe('FORBIDDEN');
    expect(await codeOf(w.operator.caller.plans.preview({ ...input, bureauCode: HEPING }))).toBe('FORBIDDEN');
    const err = await w.operator.caller.plans
      .preview({ ...input, team: { ...input.team, size: 1 } })
      .catch((e: unknown) => e as Error & { code: string });
    expect((err as { code: string }).code).toBe('BAD_REQUEST');
    expect((err as Error).message).toMatch(/^team\.size: /);
    const empty = await w.operator.caller.plans
      .preview({ ...input, scope: { industries: ['fireworks'] } })
      .catch((e: unknown) => e as Error & { code: string });
    expect((empty as Error).message).toMatch(/^scope: no active unit/);
  });
});
