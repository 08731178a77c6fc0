/**
 * `draws.replacements` checks a draw's replacement records (§9.6) against what the verifier reads,
 * read in SQL (the named units' frame rows and result entries, every inspector's load), not the
 * whole draw (~10^8 bytes for a city, issue 16). The report must be the whole bundle's, line for
 * line, for valid records and for tampered ones alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import {
  nextReplacementV2,
  verifyReplacementsV2,
  type DrawBundleV2,
  type PersonRow,
  type ReplacementRecordV2,
} from '@spotcheck/core';
import { drawReplacements, draws } from '@spotcheck/db';
import { replacementBundleOf } from '@spotcheck/api/testing';
import { BINHAI, codeOf, downloadedBundle, HEPING, openTestDb, signedInUser, type TestDb } from './harness';
import { buildWorld, issuedPlan, type IssuedPlan, type World } from './fixtures';

let t: TestDb;
let w: World;
let plan: IssuedPlan;
let bundle: DrawBundleV2;
let records: ReplacementRecordV2[];
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database, 30);
  plan = await issuedPlan(w, { title: '2027年度一般检查（替换核验）' });
  bundle = (await downloadedBundle<{ bundle: DrawBundleV2 }>(t.database, w.auditor, plan.drawId)).bundle;
  const sick = plan.selected[0]!.team[1]!;
  await w.operator.caller.draws.replaceMember({
    drawId: plan.drawId,
    unitId: plan.selected[0]!.unit,
    inspectorId: sick,
    reason: 'unavailable',
    note: '病假（住院）',
  });
  records = (await w.auditor.caller.draws.replacements({ drawId: plan.drawId })).records;
});
afterAll(async () => t?.close());

/** The report from what the server reads against the one from the whole bundle. */
async function bothReports(list: unknown[]) {
  const partial = await replacementBundleOf(t.database.db, plan.drawId, list);
  return { partial: verifyReplacementsV2(partial, list), whole: verifyReplacementsV2(bundle, list) };
}

describe('draws.replacements', () => {
  it('reports what the whole bundle reports, reading only the named units', async () => {
    expect(records.length).toBeGreaterThan(0);
    const { partial, whole } = await bothReports(records);
    expect(whole.ok).toBe(true);
    expect(partial).toEqual(whole);
    const staff = await w.auditor.caller.draws.replacements({ drawId: plan.drawId });
    expect(staff.report).toEqual(whole);
    const read = await replacementBundleOf(t.database.db, plan.drawId, records);
    const named = new Set(records.map((r) => r.unit));
    expect(read.result.selected.map((s) => s.unit).sort()).toEqual([...named].sort());
    // The frame is read for the specialty only (asked by a draw with `team.specialist`, as here).
    expect(bundle.commitment.team.specialist).toBe(true);
    expect(read.frame).toEqual(bundle.frame.filter((r) => named.has(r[0])));
    expect(read.inspectors).toEqual(bundle.inspectors);
    // Loads over the whole result, not over the units read.
    const loads: Record<string, number> = {};
    for (const s of bundle.result.selected) for (const i of s.team) loads[i] = (loads[i] ?? 0) + 1;
    expect(read.loads).toEqual(loads);
    // No record: nothing of the frame or result is read.
    const empty = await replacementBundleOf(t.database.db, plan.drawId, []);
    expect(empty).toMatchObject({ frame: [], result: { selected: [] }, loads: {} });
    expect(verifyReplacementsV2(empty, [])).toEqual(verifyReplacementsV2(bundle, []));
  });

  it('ranks by the loads over the whole result, as the whole bundle does, when teams are full', async () => {
    // The world leaves everyone room, so loads would not matter: capacities are set to each
    // inspector's drawn load (full), but one candidate's (the verifier reads them from the rows).
    const loads: Record<string, number> = {};
    for (const s of bundle.result.selected) for (const i of s.team) loads[i] = (loads[i] ?? 0) + 1;
    const requestFor = (u: (typeof plan.selected)[number]) => ({
      unit: u.unit,
      out: u.team[0]!,
      reason: 'avoid' as const,
      recordedAt: '2027-02-01T08:00:00Z',
    });
    // By shuffle position alone (nobody full), the first candidate; the one with room is another.
    // The first candidate must have drawn units: with none, its capacity here is 0, it is full
    // whichever loads are counted, and the draw (from the clock's beacon round) could then make
    // the next candidate the roomy one.
    const unit = [...plan.selected.slice(2), ...plan.selected.slice(0, 2)].find(
      (u) => (loads[nextReplacementV2(bundle, [], requestFor(u)).in] ?? 0) > 0,
    )!;
    const request = requestFor(unit);
    const first = nextReplacementV2(bundle, [], request).in;
    const roomy = bundle.inspectors.map((r) => r[0]).find((i) => i !== first && !unit.team.includes(i))!;
    const tight = (rows: PersonRow[]) =>
      rows.map((r): PersonRow => [r[0], (loads[r[0]] ?? 0) + (r[0] === roomy ? 1 : 0), r[2], r[3]]);
    const whole = { ...bundle, inspectors: tight(bundle.inspectors) };
    const list = [nextReplacementV2(whole, [], request)];
    expect(list[0]!.in).toBe(roomy);
    const read = await replacementBundleOf(t.database.db, plan.drawId, list);
    const partial = { ...read, inspectors: tight(read.inspectors) };
    expect(verifyReplacementsV2(whole, list).ok).toBe(true);
    expect(verifyReplacementsV2(partial, list)).toEqual(verifyReplacementsV2(whole, list));
    // Loads counted over the named units alone would rank otherwise: the loads are needed.
    const { loads: _whole, ...alone } = partial;
    expect(verifyReplacementsV2(alone, list).ok).toBe(false);
    const forged = [{ ...list[0]!, in: first, skipped: [] }];
    expect(verifyReplacementsV2(partial, forged)).toEqual(verifyReplacementsV2(whole, forged));
    expect(verifyReplacementsV2(partial, forged).ok).toBe(false);
  });

  it('reads no frame row when the draw asks for no specialist', async () => {
    // The walk reads a unit's specialty only under `team.specialist`; the commitment is changed
    // here behind the digests' back (the records' check compares digests, not the commitment).
    const [row] = await t.owner.db
      .select({ c: draws.commitment })
      .from(draws)
      .where(eq(draws.id, plan.drawId));
    const commitment = row!.c as DrawBundleV2['commitment'];
    const plain = { ...commitment, team: { ...commitment.team, specialist: false } };
    await t.owner.db.update(draws).set({ commitment: plain }).where(eq(draws.id, plan.drawId));
    try {
      const read = await replacementBundleOf(t.database.db, plan.drawId, records);
      expect(read.frame).toEqual([]);
      const whole = { ...bundle, commitment: plain };
      expect(verifyReplacementsV2(read, records)).toEqual(verifyReplacementsV2(whole, records));
    } finally {
      await t.owner.db.update(draws).set({ commitment }).where(eq(draws.id, plan.drawId));
    }
  });

  it('fails tampered records exactly as the whole bundle does', async () => {
    const first = records[0]!;
    const team = plan.selected.find((s) => s.unit === first.unit)!.team;
    const other = bundle.inspectors.map((r) => r[0]).find((i) => i !== first.in && !team.includes(i))!;
    const notSelected = bundle.frame.map((r) => r[0]).find((u) => !plan.selected.some((s) => s.unit === u))!;
    const tampered: unknown[][] = [
      [{ ...first, in: other }, ...records.slice(1)],
      [{ ...first, skipped: [[other, 'avoid']] }, ...records.slice(1)],
      [{ ...first, number: 2 }],
      [{ ...first, resultDigest: 'cd'.repeat(32) }],
      [{ ...first, unit: notSelected }],
      [{ ...first, out: other }],
      [{ ...first, extra: true }],
      [first, first],
      [{ ...first, unit: 42 }],
    ];
    for (const list of tampered) {
      const { partial, whole } = await bothReports(list);
      expect(whole.ok).toBe(false);
      expect(partial).toEqual(whole);
    }
  });

  it('says ✗ for a record tampered in the database', async () => {
    const first = records[0]!;
    const team = plan.selected.find((s) => s.unit === first.unit)!.team;
    const other = bundle.inspectors.map((r) => r[0]).find((i) => i !== first.in && !team.includes(i))!;
    const forged = { ...first, in: other };
    // The records are append-only for the application: the schema owner lifts that to forge one.
    await t.owner.exec('ALTER TABLE draw_replacements DISABLE TRIGGER USER');
    try {
      await t.owner.db
        .update(drawReplacements)
        .set({ record: forged })
        .where(and(eq(drawReplacements.drawId, plan.drawId), eq(drawReplacements.number, 1)));
      const staff = await w.auditor.caller.draws.replacements({ drawId: plan.drawId });
      expect(staff.records[0]).toEqual(forged);
      expect(staff.report?.ok).toBe(false);
      expect(staff.report?.checks[0]).toMatchObject({ id: 'replacement.1', status: 'fail' });
      expect(staff.report).toEqual(verifyReplacementsV2(bundle, staff.records));
    } finally {
      await t.owner.db
        .update(drawReplacements)
        .set({ record: first })
        .where(and(eq(drawReplacements.drawId, plan.drawId), eq(drawReplacements.number, 1)));
      await t.owner.exec('ALTER TABLE draw_replacements ENABLE TRIGGER USER');
    }
    expect((await w.auditor.caller.draws.replacements({ drawId: plan.drawId })).report?.ok).toBe(true);
  });

  it('refuses another district and a sealed covert plan', async () => {
    const heping = await signedInUser(t.database, 'rv-heping', HEPING, ['district-admin']);
    expect(await codeOf(heping.caller.draws.replacements({ drawId: plan.drawId }))).toBe('FORBIDDEN');
    const covert = await issuedPlan(w, { title: '2027年度暗查暗访（替换核验）', kind: 'covert' });
    expect(await codeOf(w.admin.caller.draws.replacements({ drawId: covert.drawId }))).toBe('FORBIDDEN');
    const inspector = await signedInUser(t.database, 'rv-insp', BINHAI, ['inspector'], {
      inspectorId: plan.selected[0]!.team[0],
    });
    expect(await codeOf(inspector.caller.draws.replacements({ drawId: plan.drawId }))).toBe('FORBIDDEN');
  });
});
