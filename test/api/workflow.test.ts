import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoBeacon,
  digestOf,
  sha256hex,
  voidedBundleDigest,
  type CommitmentV2,
  type SourceSpecV2,
  type VoidedBundleV2,
} from '@spotcheck/core';
import { draws, publications, tasks, units } from '@spotcheck/db';
import { KEY_VALIDITY_DELAY_SECONDS, verifyAuditChain } from '@spotcheck/api';
import {
  anonymousCaller,
  BINHAI,
  codeOf,
  downloadedBundle,
  drawEnv,
  openTestDb,
  signedInUser,
  type TestDb,
} from './harness';
import {
  buildWorld,
  drawAndSign,
  passSources,
  proposedSources,
  registeredKey,
  signAs,
  submittedPlan,
  witnessTheLog,
  type World,
} from './fixtures';
import {
  browserSignOff,
  browserStyleKey,
  browserVoidSignature,
  wholeSecondsOf,
} from '../support/official-keys';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
});
afterAll(async () => t?.close());

/** The error (code and message) of a rejected call. */
async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
    return { code: 'OK', message: '' };
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
}

/** Requests a void as the operator and has `w.approver2` sign it in the browser's way. */
async function voidAttempt(drawId: string, reasonId: 'frame-error' | 'emergency' | 'source-late') {
  await w.operator.caller.draws.requestVoid({
    drawId,
    reasonId,
    reason: '演练：随机数产生前发现抽取名录错误',
  });
  const d = await w.approver2.caller.draws.get({ drawId });
  const signed = await browserVoidSignature(
    w.keys.approver2,
    { id: w.approver2.user.id, name: w.approver2.user.displayName },
    wholeSecondsOf(drawEnv.now()),
    { commitmentDigest: d.commitmentDigest, reason: reasonId, requestedBy: w.operator.user.id },
  );
  return w.approver2.caller.draws.signVoid({ drawId, void: signed });
}

describe('sr-draw/v2: plan → approve → demo beacon → draw → browser sign-off → publish → verify', () => {
  it('runs the whole workflow and every check of the published bundle passes', async () => {
    const planId = await submittedPlan(w);
    expect(await codeOf(w.operator.caller.plans.approve({ planId }))).toBe('FORBIDDEN');
    const approved = await w.approver.caller.plans.approve({ planId });
    const c = approved.draw.commitment;
    expect(c.algorithm).toBe('sr-draw/v2');
    expect(c.plan).toEqual({ id: planId, bureau: BINHAI, period: '2027', kind: 'general', attempt: 1 });
    expect(c.rulePacks.map((p) => p.id)).toEqual(['tianjin/binhai', 'tianjin/city']);
    expect(c.frame.count + c.excluded.count).toBe(40);
    expect(c.team).toMatchObject({ assign: true, size: 2 });
    expect(c.previous).toBeNull();
    // The plan's id was published before its commitment (§9.2).
    const portal = await anonymousCaller(t.database);
    const pubs = await portal.publications.list({ limit: 200 });
    const idPub = pubs.find((p) => p.kind === 'plan-id' && p.refId === planId)!;
    const cPub = pubs.find((p) => p.kind === 'commitment' && p.refId === approved.draw.id)!;
    expect(idPub && cPub).toBeTruthy();
    expect(new Date(idPub.publishedAt) <= new Date(cPub.publishedAt)).toBe(true);
    // Nothing can be drawn before the randomness exists; the beacon has no value yet.
    const drawId = approved.draw.id;
    expect(await codeOf(w.operator.caller.draws.run({ drawId }))).toBe('PRECONDITION_FAILED');
    expect(
      (await errorOf(w.operator.caller.draws.enterRandomness({ drawId, values: [null] }))).message,
    ).toMatch(/^values: the beacon has no value yet for drand demo beacon round \d+/);
    passSources(c);
    const entered = await w.operator.caller.draws.enterRandomness({ drawId, values: [null] });
    expect(entered.values[0]).toMatch(/^[0-9a-f]{96}$/);
    expect(await codeOf(w.operator.caller.draws.enterRandomness({ drawId, values: [null] }))).toBe(
      'CONFLICT',
    );
    const drawn = await w.operator.caller.draws.run({ drawId });
    expect(drawn.selected).toBeGreaterThan(0);
    expect(drawn.summary!.selected).toBe(drawn.selected);
    // The draw room pages the selected units (a city draws 2·10^5).
    const page = await w.operator.caller.draws.selected({ drawId, limit: 200 });
    expect(page.total).toBe(drawn.selected);
    expect(page.rows).toHaveLength(drawn.selected);
    expect(page.rows.every((s) => s.team.length === 2)).toBe(true);
    expect(await codeOf(w.operator.caller.draws.run({ drawId }))).toBe('CONFLICT');
    await signAs(w.approver, w.keys.approver, drawId);
    // Signed once: a second sign-off (a later signing time, a new publication) is refused before
    // anything is published, and the record keeps the one publication of the draw.
    drawEnv.advance(2);
    expect(await codeOf(signAs(w.approver, w.keys.approver, drawId))).toBe('CONFLICT');
    const drawPublications = await t.database.db
      .select({ id: publications.id })
      .from(publications)
      .where(and(eq(publications.kind, 'draw'), eq(publications.refId, drawId)));
    expect(drawPublications).toHaveLength(1);
    const verified = await w.auditor.caller.draws.verify({ drawId });
    expect(verified.ok).toBe(true);
    const lines = Object.fromEntries(verified.checks.map((l) => [l.id, l.status]));
    expect(lines).toMatchObject({ result: 'pass', signOff: 'pass', 'digest.excluded': 'pass' });
    // The check reads the stored rows themselves: a result edited in the database (a team member
    // swapped for another) fails it, and the same row put back passes again.
    const [stored] = await t.database.db
      .select({ result: draws.result })
      .from(draws)
      .where(eq(draws.id, drawId));
    const edited = structuredClone(stored!.result!) as { selected: { team: string[] }[] };
    const outsider = edited.selected
      .flatMap((u) => u.team)
      .find((id) => !edited.selected[0]!.team.includes(id))!;
    edited.selected[0]!.team[1] = outsider;
    await t.database.db
      .update(draws)
      .set({ result: edited as never })
      .where(eq(draws.id, drawId));
    const rigged = await w.auditor.caller.draws.verify({ drawId });
    expect(rigged.ok).toBe(false);
    expect(rigged.checks.find((l) => l.id === 'result')?.status).toBe('fail');
    await t.database.db.update(draws).set({ result: stored!.result }).where(eq(draws.id, drawId));
    expect((await w.auditor.caller.draws.verify({ drawId })).ok).toBe(true);
    // The downloaded bundle carries its sign-off, and the registry travels beside it.
    const dl = await downloadedBundle(t.database, w.auditor, drawId);
    expect(dl.algorithm).toBe('sr-draw/v2');
    if (dl.algorithm !== 'sr-draw/v2') throw new Error('v2 expected');
    expect(dl.bundle.signOff.signer).toEqual({
      id: w.approver.user.id,
      name: w.approver.user.displayName,
      keyId: w.keys.approver.keyId,
    });
    expect(dl.registry.keys.map((k) => k.keyId)).toContain(w.keys.approver.keyId);
    const pub = (await portal.publications.list({ kind: 'draw', limit: 200 })).find(
      (p) => p.refId === drawId,
    )!;
    const content = (await portal.publications.get({ id: pub.id })).content as {
      algorithm: string;
      bundle: { signOff: unknown; result: { selected: { unit: string; team: string[] }[] } };
      registry: { spec: string };
      roster: { units: Record<string, { name: string }>; inspectors: Record<string, { name: string }> };
      demoBeacon: boolean;
    };
    // The digest, hashed from the rows' and the roster's text, is the content's as the public reads it.
    expect(pub.digest).toBe(sha256hex(JSON.parse(JSON.stringify(content))));
    const { selected } = content.bundle.result;
    expect(Object.keys(content.roster.units).sort()).toEqual(selected.map((s) => s.unit).sort());
    expect(Object.values(content.roster.units).every((u) => /[\u4e00-\u9fff]/.test(u.name))).toBe(true);
    expect(Object.keys(content.roster.inspectors).sort()).toEqual(
      [...new Set(selected.flatMap((s) => s.team))].sort(),
    );
    expect(content).toMatchObject({
      algorithm: 'sr-draw/v2',
      registry: { spec: 'sr-draw/v2/keys' },
      demoBeacon: true,
    });
    expect(content.bundle.signOff).toEqual(dl.bundle.signOff);
    const issued = await w.operator.caller.draws.issueTasks({ drawId });
    expect(issued.tasks).toBe(drawn.selected);
    // One task per selected unit, exactly as drawn: sequence, reason, the team in its order, the
    // expert; and the plan's bureau, sealing and the effective checklist of the unit's industry.
    const written = await t.database.db.select().from(tasks).where(eq(tasks.drawId, drawId));
    const byUnit = new Map(written.map((x) => [x.unitId, x]));
    expect(byUnit.size).toBe(dl.bundle.result.selected.length);
    for (const s of dl.bundle.result.selected)
      expect(byUnit.get(s.unit)).toMatchObject({
        bureauCode: BINHAI,
        planId,
        sequence: s.sequence,
        reason: s.reason,
        team: s.team,
        experts: s.expert ? [s.expert] : [],
        sealed: false,
        status: 'issued',
      });
    const industry = new Map(
      (await t.database.db.select({ id: units.id, industry: units.industry }).from(units)).map((u) => [
        u.id,
        u.industry,
      ]),
    );
    expect(written.some((x) => industry.get(x.unitId) === 'hazardous-chemicals')).toBe(true);
    for (const x of written)
      expect(x.checklistItemCodes).toEqual(
        industry.get(x.unitId) === 'hazardous-chemicals' ? ['TJ-GEN-001', 'TJ-WH-001'] : ['TJ-GEN-001'],
      );
    expect((await w.auditor.caller.plans.get({ planId })).status).toBe('tasks-issued');
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });

  it('lets exactly one of two concurrent draws win', async () => {
    const planId = await submittedPlan(w, '并发抽取');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    passSources(draw.commitment);
    await w.operator.caller.draws.enterRandomness({ drawId: draw.id, values: [null] });
    const codes = await Promise.all([
      codeOf(w.operator.caller.draws.run({ drawId: draw.id })),
      codeOf(w.operator.caller.draws.run({ drawId: draw.id })),
    ]);
    expect(codes.sort()).toEqual(['CONFLICT', 'OK']);
  });

  it('allows one commitment per (bureau, plan, attempt) in the database itself', async () => {
    const planId = await submittedPlan(w, '唯一承诺');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, draw.id));
    const copy = { ...row!, id: undefined, status: 'voided' as const, commitmentDigest: 'x'.repeat(64) };
    await expect(t.database.db.insert(draws).values(copy)).rejects.toThrow();
  });
});

describe('rigging paths from issue #9 are refused or detected', () => {
  it('refuses a chosen hex value and a forged drand signature typed as the round', async () => {
    const planId = await submittedPlan(w, '伪造随机数');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    passSources(draw.commitment);
    const src = draw.commitment.sources[0] as Extract<SourceSpecV2, { kind: 'drand' }>;
    // 1. A hex value of the operator's choosing.
    const chosen = await errorOf(
      w.operator.caller.draws.enterRandomness({ drawId: draw.id, values: ['ab'.repeat(48)] }),
    );
    expect(chosen.code).toBe('BAD_REQUEST');
    expect(chosen.message).toMatch(/^values\.0: not the BLS signature of drand demo beacon round \d+/);
    // 2. A real BLS signature of that round, but by a key the operator made (a forged beacon).
    const forger = demoBeacon('the operator’s own beacon', src.info!.genesis, 3);
    const forged = await errorOf(
      w.operator.caller.draws.enterRandomness({
        drawId: draw.id,
        values: [forger.sign(src.round).signature],
      }),
    );
    expect(forged).toMatchObject({ code: 'BAD_REQUEST' });
    expect(forged.message).toMatch(/does not verify/);
    // 3. The genuine signature of another round of the same chain.
    const other = (await drawEnv.beacon.fetchRound(src.round - 1, drawEnv.now()))!;
    expect(await codeOf(w.operator.caller.draws.enterRandomness({ drawId: draw.id, values: [other] }))).toBe(
      'BAD_REQUEST',
    );
    // The genuine value passes.
    const genuine = (await drawEnv.beacon.fetchRound(src.round, drawEnv.now()))!;
    expect(
      (await w.operator.caller.draws.enterRandomness({ drawId: draw.id, values: [genuine] })).values,
    ).toEqual([genuine]);
  });

  it('refuses a value entered before its round time, even the genuine one', async () => {
    const planId = await submittedPlan(w, '提前录入');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    const src = draw.commitment.sources[0] as Extract<SourceSpecV2, { kind: 'drand' }>;
    // Someone holding the demo beacon's key could compute it early: the server still refuses.
    const early = demoBeacon('spotcheck test beacon', src.info!.genesis, 3).sign(src.round).signature;
    const e = await errorOf(w.operator.caller.draws.enterRandomness({ drawId: draw.id, values: [early] }));
    expect(e.code).toBe('PRECONDITION_FAILED');
    expect(e.message).toMatch(/its value cannot exist yet/);
  });

  it('refuses a past round at drafting and a round less than 60 s after the commitment at approval', async () => {
    const [src] = (await proposedSources(w, 5)) as Extract<SourceSpecV2, { kind: 'drand' }>[];
    const past = { ...src!, round: src!.round - 100 };
    const e = await errorOf(
      w.operator.caller.plans.create({
        bureauCode: BINHAI,
        title: '过去的轮次',
        period: '2027',
        kind: 'general',
        sources: [past],
        checklistVersionId: w.checklistVersionId,
      }),
    );
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.message).toMatch(/^sources\.0: drand demo beacon round \d+ exists already/);
    // A round 20 s ahead: fine to draft, but approval would commit less than 60 s before it.
    const info = src!.info!;
    const soon = {
      ...src!,
      round: Math.ceil((drawEnv.now().getTime() / 1000 + 20 - info.genesis) / info.period) + 1,
    };
    const plan = await w.operator.caller.plans.create({
      bureauCode: BINHAI,
      title: '过近的轮次',
      period: '2027',
      kind: 'general',
      sources: [soon],
      checklistVersionId: w.checklistVersionId,
    });
    await w.operator.caller.plans.submit({ planId: plan.id });
    const a = await errorOf(w.approver.caller.plans.approve({ planId: plan.id }));
    expect(a.code).toBe('PRECONDITION_FAILED');
    expect(a.message).toMatch(/less than 60 s after the commitment/);
    expect(await w.auditor.caller.draws.list({ planId: plan.id })).toEqual([]);
    // Lottery draws never suffice alone (§9.3).
    const lotteryOnly = await errorOf(
      w.operator.caller.plans.create({
        bureauCode: BINHAI,
        title: '仅彩票',
        period: '2027',
        kind: 'general',
        sources: [{ kind: 'lottery', game: 'cwl-ssq', issue: '2099001', drawDate: '2099-01-01' }],
        checklistVersionId: w.checklistVersionId,
      }),
    );
    expect(lotteryOnly.message).toMatch(/at least one drand round/);
  });

  it('voids only with a second official, publishes what was known, refuses old sources and a second known void', async () => {
    const planId = await submittedPlan(w, '作废测试');
    const first = await w.approver.caller.plans.approve({ planId });
    const d1 = first.draw.id;
    // A void the requester signs is refused; so is a reason id off the published list.
    await w.operator.caller.draws.requestVoid({
      drawId: d1,
      reasonId: 'frame-error',
      reason: '随机数产生前发现名录错误',
    });
    const self = await browserVoidSignature(
      w.keys.approver,
      { id: w.approver.user.id, name: w.approver.user.displayName },
      wholeSecondsOf(drawEnv.now()),
      {
        commitmentDigest: first.draw.commitmentDigest,
        reason: 'frame-error',
        requestedBy: w.approver.user.id,
      },
    );
    await w.operator.caller.draws.rejectVoid({ drawId: d1, reason: '改由审批人申请' }).catch(() => {});
    await w.approver2.caller.draws.rejectVoid({ drawId: d1, reason: '改由审批人申请' });
    await w.approver.caller.draws.requestVoid({
      drawId: d1,
      reasonId: 'frame-error',
      reason: '随机数产生前发现名录错误',
    });
    expect(await codeOf(w.approver.caller.draws.signVoid({ drawId: d1, void: self }))).toBe('FORBIDDEN');
    await w.approver2.caller.draws.rejectVoid({ drawId: d1, reason: '改由操作员申请' });
    expect(
      await codeOf(
        w.operator.caller.draws.requestVoid({
          drawId: d1,
          reasonId: 'whim' as 'emergency',
          reason: '随便作废一次看看结果',
        }),
      ),
    ).toBe('BAD_REQUEST');
    const v1 = await voidAttempt(d1, 'frame-error');
    expect(v1).toMatchObject({
      status: 'voided',
      planStatus: 'draft',
      afterRandomness: false,
      resultDigest: null,
    });
    // The same sources again: refused at approval with a clear message.
    await w.operator.caller.plans.submit({ planId });
    const same = await errorOf(w.approver.caller.plans.approve({ planId }));
    expect(same.code).toBe('PRECONDITION_FAILED');
    expect(same.message).toMatch(
      /already named by voided attempt 1: a new attempt must name new, later sources/,
    );
    await w.approver.caller.plans.returnToDraft({ planId, reason: '更换随机数来源' });
    await w.operator.caller.plans.update({ planId, patch: { sources: await proposedSources(w, 300) } });
    await w.operator.caller.plans.submit({ planId });
    const second = await w.approver.caller.plans.approve({ planId });
    const prev = second.draw.commitment.previous!;
    expect(prev).toMatchObject({
      attempt: 1,
      commitmentDigest: first.draw.commitmentDigest,
      randomness: null,
      resultDigest: null,
      reason: 'frame-error',
      bundleDigest: v1.bundleDigest,
      knownVoids: 0,
    });
    // Attempt 2: its round passes, nobody presses draw, and it is voided: the platform computes
    // the result from the beacon and publishes it with the void.
    passSources(second.draw.commitment);
    expect(
      await codeOf(
        w.operator.caller.draws.requestVoid({
          drawId: second.draw.id,
          reasonId: 'source-late',
          reason: '来源迟到但其实已产生',
        }),
      ),
    ).toBe('PRECONDITION_FAILED');
    const v2 = await voidAttempt(second.draw.id, 'emergency');
    expect(v2.afterRandomness).toBe(true);
    expect(v2.resultDigest).toMatch(/^[0-9a-f]{64}$/);
    const portal = await anonymousCaller(t.database);
    const voidPub = (await portal.publications.list({ kind: 'void', limit: 200 })).find(
      (p) => p.refId === second.draw.id,
    )!;
    const vc = (await portal.publications.get({ id: voidPub.id })).content as {
      afterRandomness: boolean;
      bundle: {
        randomness: { string: string };
        result: { selected: unknown[] };
        void: { signer: { id: string } };
      };
      bundleDigest: string;
    };
    expect(vc.afterRandomness).toBe(true);
    expect(vc.bundle.result.selected.length).toBeGreaterThan(0);
    // The void is published from the rows in the database (issue 16): its bundle is the row's,
    // member for member, and both digests recompute from the content as read.
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, second.draw.id));
    const { inclusion: _proof, ...attempt } = vc.bundle as unknown as VoidedBundleV2;
    expect(attempt).toEqual({
      algorithm: 'sr-draw/v2',
      commitment: row!.commitment,
      commitmentDigest: row!.commitmentDigest,
      frame: row!.frame,
      excluded: row!.excluded ?? [],
      inspectors: row!.inspectorRows,
      experts: row!.expertRows ?? [],
      randomness: row!.randomness,
      result: row!.result,
      resultDigest: row!.resultDigest,
      void: row!.voidSignOff,
    });
    expect(voidedBundleDigest(vc.bundle as unknown as VoidedBundleV2)).toBe(vc.bundleDigest);
    expect(row!.voidBundleDigest).toBe(vc.bundleDigest);
    expect(voidPub.digest).toBe(sha256hex(JSON.parse(JSON.stringify(vc))));
    expect(vc.bundle.void.signer.id).toBe(w.approver2.user.id);
    // Attempt 3 names attempt 2 with what was known; a void of attempt 3 after its randomness is refused.
    await w.operator.caller.plans.update({ planId, patch: { sources: await proposedSources(w, 300) } });
    await w.operator.caller.plans.submit({ planId });
    const third = await w.approver.caller.plans.approve({ planId });
    expect(third.draw.commitment.previous).toMatchObject({
      attempt: 2,
      randomness: vc.bundle.randomness.string,
      resultDigest: v2.resultDigest,
      bundleDigest: vc.bundleDigest,
      knownVoids: 1,
    });
    passSources(third.draw.commitment);
    await w.operator.caller.draws.enterRandomness({ drawId: third.draw.id, values: [null] });
    await w.operator.caller.draws.run({ drawId: third.draw.id });
    const again = await errorOf(
      w.operator.caller.draws.requestVoid({
        drawId: third.draw.id,
        reasonId: 'emergency',
        reason: '结果不理想，再作废一次',
      }),
    );
    expect(again.code).toBe('PRECONDITION_FAILED');
    expect(again.message).toMatch(/second such void is refused/);
    // And attempt 3 verifies, its previous chain included.
    await signAs(w.approver, w.keys.approver, third.draw.id);
    const report = await w.auditor.caller.draws.verify({ drawId: third.draw.id });
    expect(report.ok).toBe(true);
  });

  it('computes a voided attempt’s randomness and result once its round exists, republishes the void, and names them in the next attempt', async () => {
    const planId = await submittedPlan(w, '作废后随机数补充公布');
    const first = await w.approver.caller.plans.approve({ planId });
    const v1 = await voidAttempt(first.draw.id, 'frame-error');
    expect(v1).toMatchObject({ afterRandomness: false, resultDigest: null });
    // The round the voided attempt named passes before the next approval: nobody can choose
    // whether its value is ever shown, so the approval computes it and republishes the void.
    passSources(first.draw.commitment);
    await w.operator.caller.plans.update({ planId, patch: { sources: await proposedSources(w, 300) } });
    await w.operator.caller.plans.submit({ planId });
    const second = await w.approver.caller.plans.approve({ planId });
    const prev = second.draw.commitment.previous!;
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, first.draw.id));
    expect(row!.resultDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(prev).toMatchObject({
      attempt: 1,
      randomness: (row!.randomness as { string: string }).string,
      resultDigest: row!.resultDigest,
      bundleDigest: row!.voidBundleDigest,
      knownVoids: 0,
    });
    expect(prev.bundleDigest).not.toBe(v1.bundleDigest);
    // The republished void replaces the first, carries the result, and its digest is the one named.
    const portal = await anonymousCaller(t.database);
    const voids = (await portal.publications.list({ kind: 'void', limit: 200 })).filter(
      (p) => p.refId === first.draw.id,
    );
    expect(voids).toHaveLength(2);
    const latest = voids.find((p) => p.replacesId)!;
    expect(latest.replacesId).toBe(voids.find((p) => p !== latest)!.id);
    const content = (await portal.publications.get({ id: latest.id })).content as {
      afterRandomness: boolean;
      bundle: VoidedBundleV2;
      bundleDigest: string;
    };
    expect(content.afterRandomness).toBe(false);
    expect(content.bundleDigest).toBe(prev.bundleDigest);
    expect(content.bundle.resultDigest).toBe(row!.resultDigest);
    expect(content.bundle.result!.selected.length).toBeGreaterThan(0);
    expect(voidedBundleDigest(content.bundle)).toBe(content.bundleDigest);
  });

  it('refuses an attacker key, an unregistered key, an edited signer name and a revoked key', async () => {
    // What approver2 signed so far is witnessed, so that their key can be rotated below.
    await witnessTheLog(w);
    const planId = await submittedPlan(w, '签名攻击');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    passSources(draw.commitment);
    await w.operator.caller.draws.enterRandomness({ drawId: draw.id, values: [null] });
    const drawn = await w.operator.caller.draws.run({ drawId: draw.id });
    const me = { id: w.approver.user.id, name: w.approver.user.displayName };
    const at = () => wholeSecondsOf(drawEnv.now());
    const sign = (so: Awaited<ReturnType<typeof browserSignOff>>) =>
      errorOf(w.approver.caller.draws.sign({ drawId: draw.id, signOff: so }));
    // An attacker's key, never registered.
    const attacker = await browserStyleKey();
    const a = await sign(
      await browserSignOff(attacker, me, at(), drawn.commitmentDigest, drawn.resultDigest),
    );
    expect(a).toMatchObject({ code: 'FORBIDDEN' });
    expect(a.message).toMatch(/^signOff\.key: .*not in the bureau's registry/);
    // A key proposed but not registered by an admin.
    const pending = await browserStyleKey();
    await w.approver.caller.keys.propose({ bureauCode: BINHAI, publicKey: pending.publicKey });
    expect(
      (await sign(await browserSignOff(pending, me, at(), drawn.commitmentDigest, drawn.resultDigest))).code,
    ).toBe('FORBIDDEN');
    // The registered key, but an edited signer name (signed over the edited name).
    const edited = await sign(
      await browserSignOff(
        w.keys.approver,
        { ...me, name: '滨海新区分管领导' },
        at(),
        drawn.commitmentDigest,
        drawn.resultDigest,
      ),
    );
    expect(edited.message).toMatch(/^signOff\.signer: /);
    // A genuine sign-off whose name was changed afterwards: the signature no longer verifies.
    const genuine = await browserSignOff(
      w.keys.approver,
      me,
      at(),
      drawn.commitmentDigest,
      drawn.resultDigest,
    );
    const relabelled = await sign({ ...genuine, signer: { ...genuine.signer, name: '滨海新区分管领导' } });
    expect(relabelled.code).toBe('FORBIDDEN');
    // A sign-off over another result digest.
    const wrong = await sign(
      await browserSignOff(w.keys.approver, me, at(), drawn.commitmentDigest, 'f'.repeat(64)),
    );
    expect(wrong.message).toMatch(/^signOff\.signature: /);
    // Signing as someone else.
    const other = await sign(
      await browserSignOff(
        w.keys.approver2,
        { id: w.approver2.user.id, name: w.approver2.user.displayName },
        at(),
        drawn.commitmentDigest,
        drawn.resultDigest,
      ),
    );
    expect(other.message).toMatch(/^signOff\.signer\.id: you can sign only as yourself/);
    // Rotation: a new key for approver2 ends the old one, published in the registry.
    const oldKey = w.keys.approver2;
    w.keys.approver2 = await registeredKey(w.approver2, w.admin);
    const registry = await w.auditor.caller.keys.registry({ bureauCode: BINHAI });
    expect(registry.keys.find((k) => k.keyId === oldKey.keyId)!.validUntil).not.toBeNull();
    expect(registry.keys.find((k) => k.keyId === w.keys.approver2.keyId)!.validUntil).toBeNull();
    // Revocation of the approver's key: it no longer signs.
    expect(await codeOf(w.approver.caller.keys.register({ keyId: pending.keyId }))).toBe('FORBIDDEN');
    await w.admin.caller.keys.revoke({ keyId: w.keys.approver.keyId, reason: '设备遗失' });
    drawEnv.advance(1);
    const revoked = await sign(
      await browserSignOff(w.keys.approver, me, at(), drawn.commitmentDigest, drawn.resultDigest),
    );
    expect(revoked.message).toMatch(/^signOff\.window: /);
    // The pending key, once an admin registers it, signs — not before the registry naming it can
    // be in a witnessed checkpoint (§9.7: its validFrom is never earlier than its log time).
    const registeredAt = drawEnv.now();
    const { validFrom } = await w.admin.caller.keys.register({ keyId: pending.keyId });
    expect(validFrom.getTime()).toBeGreaterThanOrEqual(
      registeredAt.getTime() + KEY_VALIDITY_DELAY_SECONDS * 1000,
    );
    drawEnv.advance(1);
    const early = await sign(
      await browserSignOff(pending, me, at(), drawn.commitmentDigest, drawn.resultDigest),
    );
    expect(early.message).toMatch(/^signOff\.window: /);
    // Nor with a clock running ahead into its validity: its record is logged now, when the key is
    // not valid yet, and would never verify (§9.7).
    const ahead = await sign(
      await browserSignOff(
        pending,
        me,
        wholeSecondsOf(new Date(drawEnv.now().getTime() + (KEY_VALIDITY_DELAY_SECONDS + 60) * 1000)),
        drawn.commitmentDigest,
        drawn.resultDigest,
      ),
    );
    expect(ahead.message).toMatch(/^signOff\.window: /);
    drawEnv.advance(KEY_VALIDITY_DELAY_SECONDS);
    w.keys.approver = pending;
    await signAs(w.approver, pending, draw.id);
    expect((await w.auditor.caller.draws.verify({ drawId: draw.id })).ok).toBe(true);
  });

  it('ends a key before it became valid as never valid, and the bureau goes on signing', async () => {
    // A key registered, then replaced and the replacement revoked, each before it became valid
    // (an admin's slip corrected at once): neither was ever valid, and the registry stays well
    // formed (a malformed one would stop every sign-off of the bureau).
    const me = { id: w.approver2.user.id, name: w.approver2.user.displayName };
    const kept = w.keys.approver2;
    await witnessTheLog(w);
    const slip = await browserStyleKey();
    await w.approver2.caller.keys.propose({ bureauCode: BINHAI, publicKey: slip.publicKey });
    await w.admin.caller.keys.register({ keyId: slip.keyId });
    drawEnv.advance(1);
    const replacement = await browserStyleKey();
    await w.approver2.caller.keys.propose({ bureauCode: BINHAI, publicKey: replacement.publicKey });
    const { rotated } = await w.admin.caller.keys.register({ keyId: replacement.keyId });
    expect(rotated).toEqual([slip.keyId]);
    drawEnv.advance(1);
    await w.admin.caller.keys.revoke({ keyId: replacement.keyId, reason: '登记有误' });
    const registry = await w.auditor.caller.keys.registry({ bureauCode: BINHAI });
    for (const k of [slip, replacement]) {
      const entry = registry.keys.find((e) => e.keyId === k.keyId)!;
      expect(entry.validUntil).toBe(entry.validFrom);
    }
    // Past their validFrom, neither signs; the official's earlier key (rotated out by the slip) neither.
    drawEnv.advance(KEY_VALIDITY_DELAY_SECONDS + 1);
    const { draw } = await w.approver.caller.plans.approve({
      planId: await submittedPlan(w, '密钥登记有误'),
    });
    passSources(draw.commitment);
    await w.operator.caller.draws.enterRandomness({ drawId: draw.id, values: [null] });
    const drawn = await w.operator.caller.draws.run({ drawId: draw.id });
    for (const k of [slip, replacement, kept]) {
      const refused = await errorOf(
        w.approver2.caller.draws.sign({
          drawId: draw.id,
          signOff: await browserSignOff(
            k,
            me,
            wholeSecondsOf(drawEnv.now()),
            drawn.commitmentDigest,
            drawn.resultDigest,
          ),
        }),
      );
      expect(refused.message).toMatch(/^signOff\.window: /);
    }
    // A key registered properly signs, and the draw verifies against the registry.
    w.keys.approver2 = await registeredKey(w.approver2, w.admin);
    await signAs(w.approver2, w.keys.approver2, draw.id);
    expect((await w.auditor.caller.draws.verify({ drawId: draw.id })).ok).toBe(true);
  });

  it('refuses a void signed with a clock running ahead into a new key’s validity, then takes it once the key is valid', async () => {
    await witnessTheLog(w); // what approver2 signed so far, so that their key can be rotated
    // The void's record is logged when the server takes it, and verifiers check the key at that
    // log time (§9.7): a key not valid yet at the server's now would make a void that never verifies.
    const { draw } = await w.approver.caller.plans.approve({
      planId: await submittedPlan(w, '作废签名时钟超前'),
    });
    await w.operator.caller.draws.requestVoid({
      drawId: draw.id,
      reasonId: 'frame-error',
      reason: '随机数产生前发现名录错误',
    });
    const me = { id: w.approver2.user.id, name: w.approver2.user.displayName };
    const pending = await browserStyleKey();
    await w.approver2.caller.keys.propose({ bureauCode: BINHAI, publicKey: pending.publicKey });
    const { validFrom } = await w.admin.caller.keys.register({ keyId: pending.keyId });
    const body = {
      commitmentDigest: draw.commitmentDigest,
      reason: 'frame-error',
      requestedBy: w.operator.user.id,
    };
    const ahead = await errorOf(
      w.approver2.caller.draws.signVoid({
        drawId: draw.id,
        void: await browserVoidSignature(
          pending,
          me,
          wholeSecondsOf(new Date(validFrom.getTime() + 60_000)),
          body,
        ),
      }),
    );
    expect(ahead.code).toBe('FORBIDDEN');
    expect(ahead.message).toMatch(/^void\.window: /);
    expect((await w.approver2.caller.draws.get({ drawId: draw.id })).status).toBe('void-requested');
    drawEnv.advance(KEY_VALIDITY_DELAY_SECONDS + 1);
    w.keys.approver2 = pending;
    const signed = await w.approver2.caller.draws.signVoid({
      drawId: draw.id,
      void: await browserVoidSignature(pending, me, wholeSecondsOf(drawEnv.now()), body),
    });
    expect(signed.status).toBe('voided');
  });

  it('lists a unit closed before the commitment in `excluded` with its reason, and the change beside it', async () => {
    const closed = w.unitIds[5]!;
    await w.admin.caller.units.setStatus({ id: closed, status: 'closed' });
    const planId = await submittedPlan(w, '关闭单位');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    const portal = await anonymousCaller(t.database);
    const pub = (await portal.publications.list({ kind: 'commitment', limit: 200 })).find(
      (p) => p.refId === draw.id,
    )!;
    const content = (await portal.publications.get({ id: pub.id })).content as {
      commitment: CommitmentV2;
      frame: [string][];
      excluded: [string, string][];
      excludedByReason: Record<string, number>;
      excludedReasons: Record<string, [string, string]>;
      rosterChanges: { action: string; entityId: string | null }[];
    };
    // Its rows are the draw's, copied in PostgreSQL; the digest, hashed from their text, is the
    // content's as the public reads it, and the commitment names the rows' own digests.
    expect(pub.digest).toBe(sha256hex(JSON.parse(JSON.stringify(content))));
    expect(digestOf(content.frame)).toBe(content.commitment.frame.digest);
    expect(digestOf(content.excluded)).toBe(content.commitment.excluded.digest);
    expect(content.excluded).toContainEqual([closed, 'closed']);
    expect(content.frame.map((r) => r[0])).not.toContain(closed);
    expect(content.frame.length + content.excluded.length).toBe(40);
    expect(content.excludedReasons.closed![0]).toMatch(/关闭/);
    expect(content.rosterChanges).toContainEqual(
      expect.objectContaining({ action: 'unit.set-status', entityId: closed }),
    );
    await w.admin.caller.units.setStatus({ id: closed, status: 'active' });
  });

  it('refuses, before committing, a plan that declared conflicts could staff with a forced team', async () => {
    // A unit no earlier draw here picked: a picked unit may be left out of the frame (sampled this
    // year, or at its ceiling) and then needs no team; which units were picked depends on the
    // demo beacon's randomness in the tests above.
    const picked = new Set(
      (await w.database.db.select({ result: draws.result }).from(draws)).flatMap((d) =>
        ((d.result as { selected?: { unit: string }[] } | null)?.selected ?? []).map((s) => s.unit),
      ),
    );
    const index = w.unitIds.findIndex((u, i) => i >= 6 && !picked.has(u));
    const target = w.unitIds[index]!;
    for (let i = 1; i <= 5; i++)
      await w.admin.caller.conflicts.declare({
        inspectorId: `I120116-${String(i).padStart(4, '0')}`,
        unitId: target,
        reason: '亲属关系',
      });
    const planId = await submittedPlan(w, '强制组队');
    const e = await errorOf(w.approver.caller.plans.approve({ planId }));
    expect(e.code).toBe('PRECONDITION_FAILED');
    expect(e.message).toContain(
      `${target} 滨海测试单位${index}: 3 eligible inspectors, at least 4 (2 × team size) are needed`,
    );
    expect(await w.auditor.caller.draws.list({ planId })).toEqual([]);
    const conflicts = await w.admin.caller.conflicts.list({ unitId: target });
    for (const c of conflicts)
      await w.admin.caller.conflicts.revoke({ id: c.conflict.id, reason: '测试结束' });
  });
});

describe('plan checks', () => {
  it('refuses a plan whose checklist version is not published (R2), and keeps published versions immutable', async () => {
    const draft = await w.admin.caller.checklist.createDraft({ bureauCode: '120116' });
    const plan = await w.operator.caller.plans.create({
      bureauCode: '120116',
      title: '未发布清单',
      period: '2027',
      kind: 'general',
      sources: await proposedSources(w),
      checklistVersionId: draft.id,
    });
    await w.operator.caller.plans.submit({ planId: plan.id });
    const err = await w.approver.caller.plans
      .approve({ planId: plan.id })
      .catch((e: unknown) => e as Error & { code: string });
    expect((err as { code: string }).code).toBe('PRECONDITION_FAILED');
    expect((err as Error).message).toMatch(/^checklistVersionId: .*draft.*R2/);
    expect(
      await codeOf(w.admin.caller.checklist.setItems({ versionId: w.checklistVersionId, items: [] })),
    ).toBe('CONFLICT');
  });
});

describe('tasks, results, publications, dashboards and the external API', () => {
  it('publishes redacted, verifiable data that the portal reads without login', async () => {
    const planId = await submittedPlan(w, '公开测试');
    const { draw } = await drawAndSign(w, planId);
    await w.operator.caller.draws.issueTasks({ drawId: draw.id });

    const portal = await anonymousCaller(t.database);
    const kinds = (await portal.publications.list({ limit: 200 })).map((p) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(['checklist', 'commitment', 'draw', 'void']));
    const pub = (await portal.publications.list({ kind: 'draw', limit: 200 })).find(
      (p) => p.refId === draw.id,
    )!;
    expect(await portal.publications.verifyDraw({ id: pub.id })).toMatchObject({ ok: true });
    const published = (await portal.publications.get({ id: pub.id })).content as {
      roster: { units: Record<string, { name: string }>; inspectors: Record<string, object> };
    };
    expect(JSON.stringify(published)).not.toMatch(/法人/);
    // The public sees who was drawn by name: units by name and sector, officers by name and certificate.
    const { bundle } = await downloadedBundle(t.database, w.auditor, draw.id);
    const drawnResult = (bundle as { result: { selected: { unit: string; team: string[] }[] } }).result;
    const first = drawnResult.selected[0]!;
    expect(published.roster.units[first.unit]!.name).toMatch(/^滨海测试单位/);
    expect(Object.keys(published.roster.inspectors).sort()).toEqual(
      [...new Set(drawnResult.selected.flatMap((s) => s.team))].sort(),
    );
    expect(Object.values(published.roster.inspectors)[0]).toEqual({
      name: expect.stringMatching(/^执法员/),
      certificateNo: expect.stringMatching(/^TJ-ZF-/),
    });

    // An inspector of the first team sees their task and records its result.
    const inspector = await signedInUser(t.database, 'w-insp', BINHAI, ['inspector'], {
      inspectorId: first.team[0],
    });
    const mine = (await inspector.caller.tasks.list({ planId })).rows;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.task.team.includes(first.team[0]!))).toBe(true);
    const task = mine.find((r) => r.task.unitId === first.unit)!.task;
    await inspector.caller.tasks.start({ taskId: task.id });
    expect(
      await codeOf(
        inspector.caller.results.record({
          taskId: task.id,
          outcome: 'violations',
          inspectedOn: '2027-02-01',
          findings: [],
        }),
      ),
    ).toBe('BAD_REQUEST');
    const result = await inspector.caller.results.record({
      taskId: task.id,
      outcome: 'violations',
      inspectedOn: '2027-02-01',
      findings: [
        { kind: 'major-hazard', description: '储罐区未设置紧急切断装置', checklistItemCode: 'TJ-GEN-001' },
      ],
    });
    expect(result.outcome).toBe('violations');
    const unit = await w.admin.caller.units.get({ id: first.unit });
    expect(unit.majorHazard).toBe(true);
    expect(unit.facts.some((f) => f.kind === 'major-hazard' && f.source === `result:${result.id}`)).toBe(
      true,
    );
  });

  it('gives the city a cross-district dashboard and the completion assessment', async () => {
    const overview = await w.cityAdmin.caller.stats.overview({ year: '2027' });
    expect(overview.map((b) => b.bureauCode)).toEqual(['120000', '120101', '120116']);
    const binhai = overview.find((b) => b.bureauCode === BINHAI)!;
    expect(binhai.units).toBe(40);
    expect(binhai.signedDraws).toBeGreaterThan(0);
    // The task figures are the tasks of the bureau's plans of the year, counted here.
    const [counted] = (
      await t.database.exec(
        `select count(*) filter (where t.status <> 'cancelled')::int as tasks,
                count(*) filter (where t.status = 'done')::int as done
         from tasks t join plans p on p.id = t.plan_id where p.bureau_code = $1 and p.period like '2027%'`,
        [BINHAI],
      )
    ).rows as [{ tasks: number; done: number }];
    expect(counted.done).toBeGreaterThan(0);
    expect([binhai.tasks, binhai.tasksDone]).toEqual([counted.tasks, counted.done]);
    expect((await w.admin.caller.stats.overview({ year: '2027' })).map((b) => b.bureauCode)).toEqual([
      BINHAI,
    ]);
    const assessment = await w.auditor.caller.stats.assessment({ year: '2027' });
    expect(assessment.find((b) => b.bureauCode === '120101')!.missing).toEqual([
      'checklist',
      'target-roster',
      'inspector-roster',
      'procedure',
      'plan',
      'draw',
    ]);
    expect(await codeOf(w.admin.caller.stats.assessment({ year: '2027' }))).toBe('FORBIDDEN');
  });

  it('lets other systems pull publications and push credit facts with bearer tokens', async () => {
    const reader = await w.admin.caller.apiTokens.create({
      name: '信用天津',
      bureauCode: BINHAI,
      scopes: ['publications:read'],
    });
    const writer = await w.admin.caller.apiTokens.create({
      name: '信用平台推送',
      bureauCode: BINHAI,
      scopes: ['facts:write'],
    });
    const r = await anonymousCaller(t.database, { bearerToken: reader.token });
    expect((await r.external.publications({ limit: 5 })).length).toBeGreaterThan(0);
    expect(
      await codeOf(
        r.external.pushFacts({
          facts: [
            {
              unitId: w.unitIds[1]!,
              kind: 'blacklist',
              active: true,
              effectiveOn: '2027-03-01',
              reference: 'X',
            },
          ],
        }),
      ),
    ).toBe('FORBIDDEN');
    const wr = await anonymousCaller(t.database, { bearerToken: writer.token });
    const bad = await wr.external
      .pushFacts({
        facts: [
          {
            unitId: w.unitIds[1]!,
            kind: 'blacklist',
            active: true,
            effectiveOn: '2027-03-01',
            reference: '津信用〔2027〕1号',
          },
          { unitId: w.unitIds[2]!, kind: 'credit-grade', effectiveOn: '2027-03-01', reference: 'Y' },
        ],
      })
      .catch((e: unknown) => e as Error & { code: string });
    expect((bad as Error).message).toMatch(/^facts\.1\.grade: /);
    expect((await w.admin.caller.units.get({ id: w.unitIds[1]! })).blacklisted).toBe(false);
    expect(
      await wr.external.pushFacts({
        facts: [
          {
            unitId: w.unitIds[1]!,
            kind: 'blacklist',
            active: true,
            effectiveOn: '2027-03-01',
            reference: '津信用〔2027〕1号',
          },
        ],
      }),
    ).toEqual({ applied: 1 });
    const u = await w.admin.caller.units.get({ id: w.unitIds[1]! });
    expect(u.blacklisted).toBe(true);
    expect(u.facts.at(-1)).toMatchObject({ kind: 'blacklist', source: 'api:信用平台推送' });
    await w.admin.caller.apiTokens.revoke({ id: writer.id });
    expect(
      await codeOf(
        wr.external.pushFacts({
          facts: [
            {
              unitId: w.unitIds[1]!,
              kind: 'blacklist',
              active: false,
              effectiveOn: '2027-03-02',
              reference: 'Z',
            },
          ],
        }),
      ),
    ).toBe('UNAUTHORIZED');
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });
});
