/**
 * What the draw room reads of an attempt (issue 16): `draws.get` gives the header and a summary of
 * the result, never the frame, rows or result (~10^8 bytes for a city); `draws.selected` gives the
 * selected units a page at a time, by name, with teams after replacements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DrawBundleV2 } from '@spotcheck/core';
import { draws, inspectors } from '@spotcheck/db';
import { forgetDrawSummaries } from '@spotcheck/api/testing';
import { BINHAI, codeOf, downloadedBundle, HEPING, openTestDb, signedInUser, type TestDb } from './harness';
import { buildWorld, issuedPlan, submittedPlan, type IssuedPlan, type World } from './fixtures';

let t: TestDb;
let w: World;
let plan: IssuedPlan;
let bundle: DrawBundleV2;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database, 30);
  plan = await issuedPlan(w, { title: '2027年度一般检查（分页）' });
  // What `spotcheck verify` downloads: the whole attempt, to compare the pages with.
  bundle = (await downloadedBundle<{ bundle: DrawBundleV2 }>(t.database, w.auditor, plan.drawId)).bundle;
});
afterAll(async () => t?.close());

const BIG = ['frame', 'excluded', 'inspectorRows', 'expertRows', 'avoidanceReasons', 'result'];

describe('draws.get', () => {
  it('gives the header and the result summary, without the frame, rows or result', async () => {
    const d = await w.approver.caller.draws.get({ drawId: plan.drawId });
    for (const k of BIG) expect(d).not.toHaveProperty(k);
    expect(d).toMatchObject({
      id: plan.drawId,
      status: 'signed',
      sealed: false,
      commitmentDigest: bundle.commitmentDigest,
      resultDigest: bundle.resultDigest,
    });
    expect(d.signOff).toEqual(bundle.signOff);
    const certain: Record<string, number> = {};
    for (const s of bundle.result.selected)
      if (s.reason === 'mandatory') certain[s.stratum] = (certain[s.stratum] ?? 0) + 1;
    // The world has units certain to be taken (mandatory), so the per-stratum count is exercised.
    expect(Object.values(certain).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(d.summary).toEqual({
      selected: bundle.result.selected.length,
      strata: bundle.result.strata,
      certain,
      overloads: bundle.result.overloads.map((o) => ({ ...o, name: expect.any(String) })),
    });
  });

  it('keeps the summary per result digest, naming overloaded officers as they are now', async () => {
    forgetDrawSummaries();
    const first = await w.auditor.caller.draws.get({ drawId: plan.drawId });
    // Tampering the stored result behind the cache's back does not show: the summary is kept for
    // this result digest (a drawn result never changes; a new result has a new digest).
    const [row] = await t.owner.db
      .select({ result: draws.result })
      .from(draws)
      .where(eq(draws.id, plan.drawId));
    const result = row!.result as DrawBundleV2['result'];
    const shrunk = { ...result, selected: result.selected.slice(0, 1) };
    await t.owner.db.update(draws).set({ result: shrunk }).where(eq(draws.id, plan.drawId));
    try {
      expect((await w.auditor.caller.draws.get({ drawId: plan.drawId })).summary).toEqual(first.summary);
      // Names are read fresh: an inspector renamed shows at once.
      const inspectorId = bundle.inspectors[0]![0];
      const overloaded = { kind: 'inspector' as const, id: inspectorId, load: 9, capacity: 1 };
      const digest = 'ab'.repeat(32);
      await t.owner.db
        .update(draws)
        .set({ result: { ...result, overloads: [overloaded] }, resultDigest: digest })
        .where(eq(draws.id, plan.drawId));
      const renamed = `执法员（更名）${inspectorId.slice(-4)}`;
      const [before] = await t.owner.db
        .select({ name: inspectors.name })
        .from(inspectors)
        .where(eq(inspectors.id, inspectorId));
      await t.owner.db.update(inspectors).set({ name: renamed }).where(eq(inspectors.id, inspectorId));
      // Another digest is another result: read again, with its one overload by its current name.
      const other = (await w.auditor.caller.draws.get({ drawId: plan.drawId })).summary!;
      expect(other.overloads).toEqual([{ ...overloaded, name: renamed }]);
      expect(other.selected).toBe(result.selected.length);
      await t.owner.db.update(inspectors).set({ name: before!.name }).where(eq(inspectors.id, inspectorId));
      expect((await w.auditor.caller.draws.get({ drawId: plan.drawId })).summary!.overloads).toEqual([
        { ...overloaded, name: before!.name },
      ]);
    } finally {
      await t.owner.db
        .update(draws)
        .set({ result, resultDigest: bundle.resultDigest })
        .where(eq(draws.id, plan.drawId));
    }
    expect((await w.auditor.caller.draws.get({ drawId: plan.drawId })).summary).toEqual(first.summary);
  });

  it('has no summary before the draw', async () => {
    const planId = await submittedPlan(w, '2027年度一般检查（未抽取）');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    const d = await w.operator.caller.draws.get({ drawId: draw.id });
    expect(d).toMatchObject({ status: 'committed', summary: null, resultDigest: null });
    for (const k of BIG) expect(d).not.toHaveProperty(k);
    expect(await codeOf(w.operator.caller.draws.selected({ drawId: draw.id }))).toBe('CONFLICT');
  });
});

describe('draws.selected', () => {
  it('pages through every selected unit exactly once, in draw order, by name, with the total', async () => {
    const all = bundle.result.selected;
    expect(all.length).toBeGreaterThan(7);
    const seen: { sequence: number; unitId: string }[] = [];
    for (let offset = 0; ; offset += 7) {
      const page = await w.auditor.caller.draws.selected({ drawId: plan.drawId, offset, limit: 7 });
      expect(page.total).toBe(all.length);
      expect(page.rows.length).toBeLessThanOrEqual(7);
      if (!page.rows.length) break;
      for (const r of page.rows) {
        expect(r.unitName).toMatch(/^滨海测试单位/);
        expect(r.team.length).toBe(2);
        for (const m of r.team) expect(m.name).toMatch(/^执法员/);
      }
      seen.push(...page.rows.map((r) => ({ sequence: r.sequence, unitId: r.unitId })));
    }
    expect(seen).toEqual(all.map((s) => ({ sequence: s.sequence, unitId: s.unit })));
    const first = (await w.auditor.caller.draws.selected({ drawId: plan.drawId, limit: 1 })).rows[0]!;
    expect(first).toMatchObject({
      sequence: all[0]!.sequence,
      unitId: all[0]!.unit,
      stratum: all[0]!.stratum,
      reason: all[0]!.reason,
      key: all[0]!.key,
    });
    expect(first.team.map((m) => m.id)).toEqual(all[0]!.team);
  });

  it('finds units by id or by part of their name, and counts the matches', async () => {
    const target = bundle.result.selected[3]!;
    const byId = await w.operator.caller.draws.selected({ drawId: plan.drawId, search: target.unit });
    expect(byId.total).toBe(1);
    expect(byId.rows.map((r) => r.unitId)).toEqual([target.unit]);
    const name = byId.rows[0]!.unitName!;
    const byName = await w.operator.caller.draws.selected({ drawId: plan.drawId, search: name.slice(-3) });
    expect(byName.rows.map((r) => r.unitId)).toContain(target.unit);
    expect(byName.total).toBe(byName.rows.length);
    const everyone = await w.operator.caller.draws.selected({
      drawId: plan.drawId,
      search: '滨海测试单位',
      limit: 200,
    });
    expect(everyone.total).toBe(bundle.result.selected.length);
    // LIKE wildcards are taken literally.
    expect((await w.operator.caller.draws.selected({ drawId: plan.drawId, search: '%' })).total).toBe(0);
    expect((await w.operator.caller.draws.selected({ drawId: plan.drawId, search: '_' })).total).toBe(0);
  });

  it('refuses pages over 200 units, naming the field', async () => {
    const err = await w.operator.caller.draws.selected({ drawId: plan.drawId, limit: 201 }).catch((e) => e);
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toContain('limit');
  });

  it('refuses another district and a sealed covert plan', async () => {
    const heping = await signedInUser(t.database, 'dv-heping', HEPING, ['district-admin']);
    expect(await codeOf(heping.caller.draws.selected({ drawId: plan.drawId }))).toBe('FORBIDDEN');
    expect(await codeOf(heping.caller.draws.get({ drawId: plan.drawId }))).toBe('FORBIDDEN');
    const inspector = await signedInUser(t.database, 'dv-insp', BINHAI, ['inspector'], {
      inspectorId: plan.selected[0]!.team[0],
    });
    expect(await codeOf(inspector.caller.draws.selected({ drawId: plan.drawId }))).toBe('FORBIDDEN');
    const covert = await issuedPlan(w, { title: '2027年度暗查暗访（分页）', kind: 'covert' });
    const err = await w.admin.caller.draws.selected({ drawId: covert.drawId }).catch((e) => e);
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/sealed|暗查|封/i);
    const sealed = await w.admin.caller.draws.get({ drawId: covert.drawId });
    expect(sealed).toMatchObject({ sealed: true, summary: null });
    expect(JSON.stringify(sealed)).not.toContain(covert.selected[0]!.unit);
  });

  it('shows the team after a replacement, by name', async () => {
    const unit = plan.selected[1]!;
    const out = unit.team[0]!;
    const { records } = await w.operator.caller.draws.replaceMember({
      drawId: plan.drawId,
      unitId: unit.unit,
      inspectorId: out,
      reason: 'unavailable',
      note: '病假（住院）',
    });
    const mine = records.find((r) => r.unit === unit.unit)!;
    const page = await w.auditor.caller.draws.selected({ drawId: plan.drawId, search: unit.unit });
    const row = page.rows[0]!;
    expect(row.team.map((m) => m.id)).toEqual(unit.team.map((id) => (id === out ? mine.in : id)));
    expect(row.team.map((m) => m.id)).not.toContain(out);
    expect(row.team.every((m) => /^执法员/.test(m.name ?? ''))).toBe(true);
    // Every team the unavailable member was on changed, page by page as in one go.
    const pages = await w.auditor.caller.draws.selected({ drawId: plan.drawId, limit: 200 });
    for (const r of records)
      expect(pages.rows.find((x) => x.unitId === r.unit)!.team.map((m) => m.id)).toContain(r.in);
    expect(pages.rows.flatMap((r) => r.team.map((m) => m.id))).not.toContain(out);
  });
});
