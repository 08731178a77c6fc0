import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import {
  teamsAfterReplacements,
  verifyBundleV2,
  verifyReplacementsV2,
  type DrawBundleV2,
  type ReplacementRecordV2,
} from '@spotcheck/core';
import { draws, inspectors, tasks } from '@spotcheck/db';
import {
  anonymousCaller,
  BINHAI,
  codeOf,
  downloadedBundle,
  openTestDb,
  signedInUser,
  type TestDb,
} from './harness';
import { buildWorld, drawAndSign, issuedPlan, submittedPlan, type IssuedPlan, type World } from './fixtures';

/**
 * §9.6: a member who becomes unavailable after the draw is replaced by the next eligible inspector
 * of the unit's committed shuffle — replayed as the insider who would like to choose.
 */
describe('team member replacement after the draw', () => {
  let t: TestDb;
  let w: World;
  let plan: IssuedPlan;
  beforeAll(async () => {
    t = await openTestDb();
    w = await buildWorld(t.database, 30);
    plan = await issuedPlan(w, { title: '2027年度一般检查（替换）' });
  });
  afterAll(async () => t?.close());

  /** What anyone reads without logging in: the published bundle and the published records. */
  async function published(): Promise<{ bundle: DrawBundleV2; records: ReplacementRecordV2[] }> {
    const anon = await anonymousCaller(t.database);
    const draws = await anon.publications.list({ kind: 'draw', limit: 50 });
    const header = draws.find((d) => d.refId === plan.drawId)!;
    const bundle = ((await anon.publications.get({ id: header.id })).content as { bundle: DrawBundleV2 })
      .bundle;
    const heads = (await anon.publications.list({ kind: 'replacement', limit: 100 })).filter(
      (p) => p.refId === plan.drawId,
    );
    const records = await Promise.all(
      heads.map(
        async (h) =>
          ((await anon.publications.get({ id: h.id })).content as { record: ReplacementRecordV2 }).record,
      ),
    );
    records.sort((a, b) => a.number - b.number);
    return { bundle, records };
  }

  it('refuses an operator naming the replacement of his choice: the input has no such field', async () => {
    const unit = plan.selected[0]!;
    const chosen = 'I120116-0008';
    for (const extra of [{ replacement: chosen }, { in: chosen }, { inInspectorId: chosen }]) {
      const call = w.operator.caller.draws.replaceMember({
        drawId: plan.drawId,
        unitId: unit.unit,
        inspectorId: unit.team[1]!,
        reason: 'unavailable',
        note: '病假（住院）',
        ...extra,
      } as never);
      expect(await codeOf(call)).toBe('BAD_REQUEST');
    }
    // Nothing was recorded.
    expect((await w.operator.caller.draws.replacements({ drawId: plan.drawId })).records).toEqual([]);
  });

  it('replaces an unavailable member from the committed shuffle on every team they are on, and anyone recomputes it', async () => {
    const sick = plan.selected[0]!.team[1]!;
    const onTeams = plan.selected.filter((s) => s.team.includes(sick));
    const r = await w.operator.caller.draws.replaceMember({
      drawId: plan.drawId,
      unitId: plan.selected[0]!.unit,
      inspectorId: sick,
      reason: 'unavailable',
      note: '病假（住院）',
    });
    expect(r.records.map((x) => x.unit)).toEqual(onTeams.map((s) => s.unit));
    for (const rec of r.records) {
      expect(rec.out).toBe(sick);
      expect(rec.in).not.toBe(sick);
    }
    // The tasks now carry the new teams.
    const rows = await t.database.db.select().from(tasks).where(eq(tasks.drawId, plan.drawId));
    for (const rec of r.records) {
      const task = rows.find((x) => x.unitId === rec.unit)!;
      expect(task.team).toContain(rec.in);
      expect(task.team).not.toContain(sick);
    }
    // The public: the bundle still verifies, and the published records recompute line by line.
    const { bundle, records } = await published();
    expect(verifyBundleV2(bundle).checks.find((c) => c.id === 'result')!.status).toBe('pass');
    expect(records).toEqual(r.records);
    const report = verifyReplacementsV2(bundle, records);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.status)).toEqual(records.map(() => 'pass'));
    // A record edited to name another inspector fails the public check.
    const other = ['I120116-0001', 'I120116-0002', 'I120116-0003', 'I120116-0004', 'I120116-0005'].find(
      (i) =>
        i !== records[0]!.in && !plan.selected.find((s) => s.unit === records[0]!.unit)!.team.includes(i),
    )!;
    const forged = verifyReplacementsV2(bundle, [{ ...records[0]!, in: other }, ...records.slice(1)]);
    expect(forged.ok).toBe(false);
    expect(forged.checks[0]!.message).toContain(`must be replaced by ${records[0]!.in}`);
    // The staff view reports the same verdict.
    expect((await w.auditor.caller.draws.replacements({ drawId: plan.drawId })).report?.ok).toBe(true);
  });

  it('a conflict named as the reason must be on record, and declared conflicts are passed in the walk', async () => {
    const unit = plan.selected[1]!;
    const current = (await w.operator.caller.draws.replacements({ drawId: plan.drawId })).records
      .filter((x) => x.unit === unit.unit)
      .reduce((team, x) => team.map((i) => (i === x.out ? x.in : i)), [...unit.team]);
    const member = current[0]!;
    const noConflict = w.operator.caller.draws.replaceMember({
      drawId: plan.drawId,
      unitId: unit.unit,
      inspectorId: member,
      reason: 'avoid',
      note: '新申报回避',
    });
    expect(await codeOf(noConflict)).toBe('PRECONDITION_FAILED');
    await w.admin.caller.conflicts.declare({
      inspectorId: member,
      unitId: unit.unit,
      reason: '亲属在该单位任职',
    });
    const r = await w.operator.caller.draws.replaceMember({
      drawId: plan.drawId,
      unitId: unit.unit,
      inspectorId: member,
      reason: 'avoid',
      note: '新申报回避',
    });
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.in).not.toBe(member);
    const { bundle, records } = await published();
    expect(verifyReplacementsV2(bundle, records).ok).toBe(true);
  });

  it('refuses replacing someone not on the team, by a role that may not, or on a finished inspection', async () => {
    const unit = plan.selected[2]!;
    // The team as it stands after the earlier tests' replacements (an unavailable officer leaves
    // every team of the draw, so which units changed, and who joined them, depends on the draw):
    // the outsider is someone on neither the drawn team nor the current one.
    const [current] = await t.database.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.unitId, unit.unit), eq(tasks.drawId, plan.drawId)));
    const outsider = [
      'I120116-0001',
      'I120116-0002',
      'I120116-0003',
      'I120116-0004',
      'I120116-0005',
      'I120116-0006',
    ].find((i) => !unit.team.includes(i) && !current!.team.includes(i))!;
    const input = {
      drawId: plan.drawId,
      unitId: unit.unit,
      inspectorId: outsider,
      reason: 'avoid' as const,
      note: '测试替换',
    };
    expect(await codeOf(w.operator.caller.draws.replaceMember(input))).toBe('BAD_REQUEST');
    expect(await codeOf(w.auditor.caller.draws.replaceMember(input))).toBe('FORBIDDEN');
    expect(await codeOf(w.approver.caller.draws.replaceMember(input))).toBe('FORBIDDEN');
    await t.database.db.update(tasks).set({ status: 'done' }).where(eq(tasks.unitId, unit.unit));
    expect(
      await codeOf(
        w.operator.caller.draws.replaceMember({
          ...input,
          inspectorId: current!.team[0]!,
          reason: 'unavailable',
        }),
      ),
    ).toBe('CONFLICT');
  });

  it('keeps the records append-only in the database', async () => {
    await expect(
      t.database.exec('update draw_replacements set in_inspector_id = $1', ['I120116-0008']),
    ).rejects.toThrow(/append-only/);
    await expect(t.database.exec('delete from draw_replacements')).rejects.toThrow(/append-only/);
  });

  it('withholds a covert plan’s replacements while it is sealed, and publishes them all with its draw', async () => {
    const covert = await issuedPlan(w, { title: '2027年度暗查暗访（替换）', kind: 'covert' });
    const first = covert.selected[0]!;
    const sick = first.team[1]!;
    // While sealed, staff cannot probe it: a unit not drawn and a member of no team at a drawn
    // unit get one and the same answer, naming neither the team nor whether the unit was drawn.
    const drawn = new Set(covert.selected.map((s) => s.unit));
    const notDrawn = w.unitIds.find((u) => !drawn.has(u))!;
    const outsider = (await t.database.db.select().from(inspectors)).find(
      (i) => i.bureauCode === BINHAI && !first.team.includes(i.id),
    )!.id;
    // The drawn pair named with a conflict not on record must not answer otherwise either.
    const probes = [
      { unitId: notDrawn, inspectorId: sick, reason: 'unavailable' as const },
      { unitId: first.unit, inspectorId: outsider, reason: 'unavailable' as const },
      { unitId: notDrawn, inspectorId: sick, reason: 'avoid' as const },
      { unitId: first.unit, inspectorId: sick, reason: 'avoid' as const },
    ];
    const answers = [];
    for (const probe of probes) {
      const err = await w.operator.caller.draws
        .replaceMember({ drawId: covert.drawId, ...probe, note: '探测封存的检查组' })
        .then(
          () => null,
          (e: unknown) => e as { code?: string; message: string; reason?: unknown },
        );
      expect(err).not.toBeNull();
      answers.push([err!.code, err!.message, JSON.stringify(err!.reason ?? null)]);
      for (const id of first.team) expect(err!.message).not.toContain(id);
    }
    for (const a of answers) expect(a).toEqual(answers[0]);
    const r = await w.operator.caller.draws.replaceMember({
      drawId: covert.drawId,
      unitId: first.unit,
      inspectorId: sick,
      reason: 'unavailable',
      note: '病假（住院）',
    });
    expect(r.records.length).toBeGreaterThan(0);
    // Only the named unit's records come back: the member's other covert units stay untold.
    expect(r.records.every((rec) => rec.unit === first.unit)).toBe(true);
    // Nor does the audit trail tell its staff and auditors the teams before the inspection.
    const replaceEvents = async () =>
      (await w.auditor.caller.audit.list({ entity: 'draws', entityId: covert.drawId, limit: 500 })).filter(
        (e) => e.action === 'draw.replace-member',
      );
    const sealedEvents = await replaceEvents();
    expect(sealedEvents).toHaveLength(r.records.length + r.withheld);
    for (const e of sealedEvents) {
      expect(e.after).toEqual({ withheld: 'covert-sealed' });
      for (const id of first.team) expect(JSON.stringify(e)).not.toContain(id);
    }
    const anon = await anonymousCaller(t.database);
    const ofDraw = async (kind?: 'replacement' | 'draw') =>
      (await anon.publications.list({ ...(kind ? { kind } : {}), limit: 500 })).filter(
        (p) => p.refId === covert.drawId,
      );
    // Before: nothing names the covert team — no replacement, no draw, and no publication about
    // this draw (the sealed commitment) mentions who leaves or joins.
    expect(await ofDraw('replacement')).toEqual([]);
    expect(await ofDraw('draw')).toEqual([]);
    for (const h of await ofDraw()) {
      const text = JSON.stringify(await anon.publications.get({ id: h.id }));
      for (const rec of r.records) {
        expect(text).not.toContain(rec.in);
        expect(text).not.toContain(rec.out);
      }
    }
    // The teams inspect (each task's current team records its result): the plan is executed.
    const members = new Map<string, Awaited<ReturnType<typeof signedInUser>>>();
    const rows = await t.database.db.select().from(tasks).where(eq(tasks.drawId, covert.drawId));
    for (const task of rows) {
      const id = task.team[0]!;
      if (!members.has(id))
        members.set(
          id,
          await signedInUser(t.database, `rp-${id}`, BINHAI, ['inspector'], { inspectorId: id }),
        );
      await members.get(id)!.caller.results.record({
        taskId: task.id,
        outcome: 'compliant',
        inspectedOn: '2027-03-02',
      });
    }
    // After: the draw is published, and every replacement with it, in order; anyone recomputes them.
    expect(await ofDraw('draw')).toHaveLength(1);
    const heads = await ofDraw('replacement');
    expect(heads).toHaveLength(r.records.length + r.withheld);
    const drawPub = await anon.publications.get({ id: (await ofDraw('draw'))[0]!.id });
    const bundle = (drawPub.content as { bundle: DrawBundleV2 }).bundle;
    const records = (
      await Promise.all(
        heads.map(
          async (h) =>
            ((await anon.publications.get({ id: h.id })).content as { record: ReplacementRecordV2 }).record,
        ),
      )
    ).sort((a, b) => a.number - b.number);
    expect(records.filter((rec) => rec.unit === first.unit)).toEqual(r.records);
    const report = verifyReplacementsV2(bundle, records);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.status)).toEqual(records.map(() => 'pass'));
    // The staff view holds exactly the records the public now has, and so does the audit trail.
    expect((await w.auditor.caller.draws.replacements({ drawId: covert.drawId })).records).toEqual(records);
    expect(
      (await replaceEvents())
        .map((e) => (e.after as unknown as { record: ReplacementRecordV2 }).record)
        .sort((a, b) => a.number - b.number),
    ).toEqual(records);
  });

  it('issues the tasks with the teams as replaced between the sign-off and the issue', async () => {
    const planId = await submittedPlan(w, '2027年度一般检查（签发后替换）');
    const { draw } = await drawAndSign(w, planId);
    const { bundle } = await downloadedBundle<{ bundle: DrawBundleV2 }>(t.database, w.auditor, draw.id);
    const first = bundle.result.selected[0]!;
    const sick = first.team[0]!;
    const r = await w.operator.caller.draws.replaceMember({
      drawId: draw.id,
      unitId: first.unit,
      inspectorId: sick,
      reason: 'unavailable',
      note: '病假（住院）',
    });
    expect(r.records.length).toBeGreaterThan(0);
    await w.operator.caller.draws.issueTasks({ drawId: draw.id });
    const issued = await t.database.db.select().from(tasks).where(eq(tasks.drawId, draw.id));
    // The officer taken off is on no task, and each team is the published records applied in order.
    expect(issued.filter((x) => x.team.includes(sick)).map((x) => x.unitId)).toEqual([]);
    const teams = teamsAfterReplacements(bundle, r.records);
    for (const x of issued) expect(x.team, x.unitId).toEqual(teams.get(x.unitId));
    expect(issued.filter((x) => x.team.includes(r.records[0]!.in)).length).toBeGreaterThan(0);
  });

  // On PostgreSQL (PGlite has one connection, so nothing runs beside a transaction).
  it.runIf(process.env.SPOTCHECK_TEST_PG_URL)(
    'issues no task while a replacement holds the draw, so none is lost between the two',
    async () => {
      const planId = await submittedPlan(w, '2027年度一般检查（下达时替换）');
      const { draw } = await drawAndSign(w, planId);
      // Another connection holds the draw's row as `draws.replaceMember` does while it records.
      let release!: () => void;
      let taken!: () => void;
      const lockTaken = new Promise<void>((r) => (taken = r));
      const holder = t.owner.db.transaction(async (tx) => {
        await tx.select({ id: draws.id }).from(draws).where(eq(draws.id, draw.id)).for('update');
        taken();
        await new Promise<void>((r) => (release = r));
      });
      await lockTaken;
      let issued = false;
      const issuing = w.operator.caller.draws.issueTasks({ drawId: draw.id }).then(() => {
        issued = true;
      });
      await new Promise((r) => setTimeout(r, 1500));
      expect(issued).toBe(false);
      release();
      await holder;
      await issuing;
      expect(issued).toBe(true);
    },
  );
});
