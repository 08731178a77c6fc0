import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateUtc8, sourceTime, type SourceSpecV2 } from '@spotcheck/core';
import { browserVoidSignature, wholeSecondsOf } from '../support/official-keys';
import { buildWorld, passSources, proposedSources, type World } from './fixtures';
import { BINHAI, codeOf, drawEnv, openTestDb, type TestDb } from './harness';

/** The error (code, message, field) of a rejected call. */
async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
    return { code: 'OK', message: '' };
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
}

/** The plan wizard's sources: proposed before they exist, and only later ones after a void. */
describe('plan sources: proposals, past draws refused, a voided plan needs later sources', () => {
  let t: TestDb;
  let w: World;
  beforeAll(async () => {
    t = await openTestDb();
    w = await buildWorld(t.database, 20);
  });
  afterAll(async () => t?.close());

  const plannedIn = (s: number) => new Date(drawEnv.now().getTime() + s * 1000);

  it('proposes a drand round and the next lottery issues of later dates, and a plan with them is accepted', async () => {
    const p = await w.operator.caller.plans.proposeSources({
      plannedDrawAt: plannedIn(120),
      games: ['cwl-ssq', 'sl-dlt', 'cwl-kl8'],
    });
    const today = dateUtc8(drawEnv.now().getTime() / 1000);
    expect(p.lotteries.map((l) => l.source.game)).toEqual(['cwl-ssq', 'sl-dlt', 'cwl-kl8']);
    for (const l of p.lotteries) {
      expect(l.source.drawDate > today).toBe(true);
      expect(l.drawAt).toBeGreaterThan(drawEnv.now().getTime() / 1000);
      expect(l.estimated).toBe(true);
      expect(l.source.issue).toMatch(l.source.game.startsWith('cwl') ? /^\d{7}$/ : /^\d{5}$/);
    }
    const plan = await w.operator.caller.plans.create({
      bureauCode: BINHAI,
      title: '带彩票来源的计划',
      period: '2027',
      kind: 'general',
      sources: [...p.sources, ...p.lotteries.map((l) => l.source)],
      checklistVersionId: w.checklistVersionId,
    });
    expect(plan.sources.length).toBe(4);
  });

  it('refuses past or already drawn sources: a planned time in the past, a lottery of today, a past round', async () => {
    expect(await codeOf(w.operator.caller.plans.proposeSources({ plannedDrawAt: plannedIn(-60) }))).toBe(
      'BAD_REQUEST',
    );
    const today = dateUtc8(drawEnv.now().getTime() / 1000);
    const drand = await proposedSources(w);
    const base = {
      bureauCode: BINHAI,
      title: '当天彩票',
      period: '2027',
      kind: 'general' as const,
      checklistVersionId: w.checklistVersionId,
    };
    const sameDay = await errorOf(
      w.operator.caller.plans.create({
        ...base,
        sources: [...drand, { kind: 'lottery', game: 'cwl-3d', issue: '2027001', drawDate: today }],
      }),
    );
    expect(sameDay.code).toBe('BAD_REQUEST');
    expect(sameDay.message).toContain('not after today');
    const past = { ...(drand[0] as Extract<SourceSpecV2, { kind: 'drand' }>), round: 2 };
    const pastRound = await errorOf(w.operator.caller.plans.create({ ...base, sources: [past] }));
    expect(pastRound.code).toBe('BAD_REQUEST');
    expect(pastRound.message).toContain('exists already');
  });

  it('after a void, editing the plan with the same or earlier sources is refused at once; later proposals pass', async () => {
    const sources = await proposedSources(w);
    const plan = await w.operator.caller.plans.create({
      bureauCode: BINHAI,
      title: '作废后重选来源',
      period: '2027',
      kind: 'general',
      sources,
      checklistVersionId: w.checklistVersionId,
    });
    await w.operator.caller.plans.submit({ planId: plan.id });
    const { draw } = await w.approver.caller.plans.approve({ planId: plan.id });
    // Voided before its round exists (frame error), signed by a second official.
    await w.operator.caller.draws.requestVoid({
      drawId: draw.id,
      reasonId: 'frame-error',
      reason: '演练：随机数产生前发现抽取名录错误',
    });
    const env = await browserVoidSignature(
      w.keys.approver2,
      { id: w.approver2.user.id, name: w.approver2.user.displayName },
      wholeSecondsOf(drawEnv.now()),
      { commitmentDigest: draw.commitmentDigest, reason: 'frame-error', requestedBy: w.operator.user.id },
    );
    await w.approver2.caller.draws.signVoid({ drawId: draw.id, void: env });
    expect((await w.operator.caller.plans.get({ planId: plan.id })).status).toBe('draft');

    // The same sources: refused now, naming the voided attempt.
    const same = await errorOf(w.operator.caller.plans.update({ planId: plan.id, patch: { sources } }));
    expect(same.code).toBe('PRECONDITION_FAILED');
    expect(same.message).toContain('already named by voided attempt 1');
    // An earlier (still future) round: refused as not later.
    const prev = sources[0] as Extract<SourceSpecV2, { kind: 'drand' }>;
    const earlier = await errorOf(
      w.operator.caller.plans.update({
        planId: plan.id,
        patch: { sources: [{ ...prev, round: prev.round - 1 }] },
      }),
    );
    expect(earlier.code).toBe('PRECONDITION_FAILED');
    expect(earlier.message).toContain('not later than every source of voided attempt 1');
    // Submitted unchanged, the plan is refused at approval for the same reason.
    await w.operator.caller.plans.submit({ planId: plan.id });
    const atApproval = await errorOf(w.approver.caller.plans.approve({ planId: plan.id }));
    expect(atApproval.code).toBe('PRECONDITION_FAILED');
    expect(atApproval.message).toContain('already named by voided attempt 1');
    await w.approver.caller.plans.returnToDraft({ planId: plan.id, reason: '更换随机数来源' });

    // The proposal for this plan is later than the voided attempt even for an early planned time.
    const next = await w.operator.caller.plans.proposeSources({
      plannedDrawAt: plannedIn(1),
      planId: plan.id,
      games: ['sl-pl5'],
    });
    expect(next.previous?.attempt).toBe(1);
    expect(sourceTime(next.sources[0]!)).toBeGreaterThan(sourceTime(prev));
    const updated = await w.operator.caller.plans.update({
      planId: plan.id,
      patch: { sources: [...next.sources, ...next.lotteries.map((l) => l.source)] },
    });
    expect(updated.sources[0]).toEqual(next.sources[0]);
    await w.operator.caller.plans.submit({ planId: plan.id });
    const second = await w.approver.caller.plans.approve({ planId: plan.id });
    expect(second.draw.commitment.previous?.attempt).toBe(1);
    passSources(second.draw.commitment);
  });
});
