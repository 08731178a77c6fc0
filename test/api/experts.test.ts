import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundleV2 } from '@spotcheck/core';
import { buildWorld, drawAndSign, proposedSources, type World } from './fixtures';
import { BINHAI, codeOf, downloadedBundle, openTestDb, type TestDb } from './harness';

/** R5: units whose rules require an expert get one from the library, recomputably. */
describe('experts join the teams where the rules require one', () => {
  let t: TestDb;
  let w: World;
  let hazchem: string[];
  beforeAll(async () => {
    t = await openTestDb();
    w = await buildWorld(t.database, 40);
    // Registered major hazard sources in hazardous chemicals: tianjin/binhai requires an expert.
    hazchem = w.unitIds.filter((_, i) => i % 4 === 2).slice(0, 6);
    for (const id of hazchem) {
      await w.admin.caller.units.update({ id, patch: { majorHazardSource: true } });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  async function submitted(title: string) {
    const plan = await w.operator.caller.plans.create({
      bureauCode: BINHAI,
      title,
      period: '2027',
      kind: 'general',
      sources: await proposedSources(w),
      checklistVersionId: w.checklistVersionId,
    });
    await w.operator.caller.plans.submit({ planId: plan.id });
    return plan.id;
  }

  it('refuses to approve a plan needing experts while the library has none, naming the field', async () => {
    const planId = await submitted('专家缺失');
    const err = await w.approver.caller.plans.approve({ planId }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('PRECONDITION_FAILED');
    expect((err as Error).message).toMatch(/experts.*require an expert/);
  });

  it('assigns a specialist expert to each selected unit that needs one, as the bundle recomputes', async () => {
    for (const [id, specialties] of [
      ['E-CHEM-1', ['hazardous-chemicals']],
      ['E-CHEM-2', ['hazardous-chemicals']],
      ['E-MET-1', ['metallurgy']],
    ] as const) {
      await w.cityAdmin.caller.experts.create({ id, name: id, specialties: [...specialties] });
    }
    const planId = await submitted('专家参与');
    const { draw } = await drawAndSign(w, planId);
    // The experts and the units needing one are frozen in the commitment (frame rows' `expert` flag).
    expect(draw.commitment.experts.count).toBe(3);
    await w.operator.caller.draws.issueTasks({ drawId: draw.id });
    const dl = await downloadedBundle(t.database, w.operator, draw.id);
    if (dl.algorithm !== 'sr-draw/v2') throw new Error('expected an sr-draw/v2 bundle');
    const { bundle } = dl;
    expect(bundle.frame.filter((r) => r[5] === 1).map((r) => r[0])).toEqual([...hazchem].sort());
    expect(verifyBundleV2(bundle, { registry: dl.registry }).ok).toBe(true);
    const expected = new Map(
      bundle.result.selected.flatMap((s) => (s.expert ? [[s.unit, s.expert] as const] : [])),
    );
    const tasks = (await w.operator.caller.tasks.list({ planId })).rows.map((r) => r.task);
    const withExperts = tasks.filter((task) => task.experts.length > 0);
    // Mandatory (twice a year) units are all selected, so every one of them has an expert.
    expect(withExperts.map((task) => task.unitId).sort()).toEqual([...hazchem].sort());
    for (const task of tasks) {
      expect(task.experts).toEqual(expected.has(task.unitId) ? [expected.get(task.unitId)] : []);
    }
    // Experts holding the unit's specialty rank first.
    for (const task of withExperts) expect(['E-CHEM-1', 'E-CHEM-2']).toContain(task.experts[0]);
    // Staff see the expert by name beside the team.
    const detail = await w.operator.caller.tasks.get({ id: withExperts[0]!.id });
    expect(detail.expertMembers).toEqual([
      expect.objectContaining({ id: withExperts[0]!.experts[0], name: withExperts[0]!.experts[0] }),
    ]);
    expect(await codeOf(w.operator.caller.draws.issueTasks({ drawId: draw.id }))).toBe('CONFLICT');
    // The public record names every assigned expert (and no other), beside the units and officers.
    const [pub] = (await w.operator.caller.publications.list({ kind: 'draw' })).filter(
      (p) => p.refId === draw.id,
    );
    const published = (await w.operator.caller.publications.get({ id: pub!.id })).content as {
      roster: { units: Record<string, unknown>; experts: Record<string, { name: string }> };
    };
    expect(published.roster.experts).toEqual(
      Object.fromEntries([...new Set(expected.values())].map((id) => [id, { name: id }])),
    );
    expect(Object.keys(published.roster.units).sort()).toEqual(
      bundle.result.selected.map((s) => s.unit).sort(),
    );
  });
});
