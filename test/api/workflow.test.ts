import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../packages/api/src';
import { codeOf, openTestDb, type TestDb } from './harness';
import { buildWorld, submittedPlan, type World } from './fixtures';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
});
afterAll(async () => t?.close());

describe('plan → approve → randomness → draw → sign → tasks', () => {
  it('runs the whole workflow with server-side state checks', async () => {
    const planId = await submittedPlan(w);
    // Only an approver approves; drawing before approval is refused.
    expect(await codeOf(w.operator.caller.plans.approve({ planId }))).toBe('FORBIDDEN');
    const approved = await w.approver.caller.plans.approve({ planId });
    expect(approved.plan.status).toBe('approved');
    expect(approved.draw.commitment.frame.count).toBe(40);
    expect(approved.plan.rulePacks).toEqual([
      expect.objectContaining({ id: 'tianjin/city' }),
      expect.objectContaining({ id: 'tianjin/binhai' }),
    ]);
    const drawId = approved.draw.id;
    expect(await codeOf(w.operator.caller.draws.run({ drawId }))).toBe('PRECONDITION_FAILED');
    const bad = await w.operator.caller.draws.enterRandomness({ drawId, values: ['abc'] }).catch((e: Error) => e);
    expect((bad as Error).message).toMatch(/^values: values\[0\]: expected an array/);
    await w.operator.caller.draws.enterRandomness({ drawId, values: [[3, 1, 4]] });
    expect(await codeOf(w.operator.caller.draws.enterRandomness({ drawId, values: [[9, 9, 9]] }))).toBe('CONFLICT');
    const drawn = await w.operator.caller.draws.run({ drawId });
    expect(drawn.result.selected.length).toBeGreaterThan(0);
    expect(drawn.result.selected.every((s) => s.team.length === 2)).toBe(true);
    // Exactly once per commitment.
    expect(await codeOf(w.operator.caller.draws.run({ drawId }))).toBe('CONFLICT');
    expect(await codeOf(w.operator.caller.draws.sign({ drawId }))).toBe('FORBIDDEN');
    const signed = await w.approver.caller.draws.sign({ drawId });
    expect(signed.publicKey).toBe(w.approver.user.signingPublicKey);
    const verified = await w.auditor.caller.draws.verify({ drawId });
    expect(verified).toEqual({ bundle: { ok: true, reason: null }, signature: { ok: true, reason: null } });
    const issued = await w.operator.caller.draws.issueTasks({ drawId });
    expect(issued.tasks).toBe(drawn.result.selected.length);
    expect(await codeOf(w.operator.caller.draws.issueTasks({ drawId }))).toBe('CONFLICT');
    const plan = await w.auditor.caller.plans.get({ planId });
    expect(plan.status).toBe('tasks-issued');
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });

  it('lets exactly one of two concurrent draws win', async () => {
    const planId = await submittedPlan(w, '并发抽取');
    const { draw } = await w.approver.caller.plans.approve({ planId });
    await w.operator.caller.draws.enterRandomness({ drawId: draw.id, values: [[7, 2, 5]] });
    const codes = await Promise.all([codeOf(w.operator.caller.draws.run({ drawId: draw.id })), codeOf(w.operator.caller.draws.run({ drawId: draw.id }))]);
    expect(codes.sort()).toEqual(['CONFLICT', 'OK']);
    const attempts = await w.auditor.caller.draws.list({ planId });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.status).toBe('drawn');
  });

  it('voids only with a second person, then needs a new commitment', async () => {
    const planId = await submittedPlan(w, '作废测试');
    const first = await w.approver.caller.plans.approve({ planId });
    await w.operator.caller.draws.enterRandomness({ drawId: first.draw.id, values: [[1, 2, 3]] });
    await w.operator.caller.draws.run({ drawId: first.draw.id });
    expect(await codeOf(w.operator.caller.draws.requestVoid({ drawId: first.draw.id, reason: 'short' }))).toBe('BAD_REQUEST');
    await w.approver.caller.draws.requestVoid({ drawId: first.draw.id, reason: '随机数来源期号录入错误，需重新承诺' });
    expect(await codeOf(w.approver.caller.draws.approveVoid({ drawId: first.draw.id }))).toBe('FORBIDDEN');
    expect(await codeOf(w.operator.caller.draws.approveVoid({ drawId: first.draw.id }))).toBe('FORBIDDEN');
    const voided = await w.approver2.caller.draws.approveVoid({ drawId: first.draw.id });
    expect(voided).toMatchObject({ status: 'voided', planStatus: 'submitted' });
    const second = await w.approver.caller.plans.approve({ planId });
    expect(second.draw.attempt).toBe(2);
    expect(second.draw.commitmentDigest).not.toBe(first.draw.commitmentDigest);
    const attempts = await w.auditor.caller.draws.list({ planId });
    expect(attempts.map((a) => a.status)).toEqual(['voided', 'committed']);
    expect(attempts[0]!.voidRequestedBy).toBe(w.approver.user.id);
    expect(attempts[0]!.voidApprovedBy).toBe(w.approver2.user.id);
  });

  it('refuses a plan whose checklist version is not published (R2), and keeps published versions immutable', async () => {
    const draft = await w.admin.caller.checklist.createDraft({ bureauCode: '120116' });
    const plan = await w.operator.caller.plans.create({
      bureauCode: '120116', title: '未发布清单', period: '2027', kind: 'general',
      sources: [{ kind: 'hex', name: 'drand', issue: 'round 1' }], checklistVersionId: draft.id,
    });
    await w.operator.caller.plans.submit({ planId: plan.id });
    const err = await w.approver.caller.plans.approve({ planId: plan.id }).catch((e: Error) => e);
    expect((err as { code: string }).code).toBe('PRECONDITION_FAILED');
    expect((err as Error).message).toMatch(/^checklistVersionId: .*draft.*R2/);
    expect(await codeOf(w.admin.caller.checklist.setItems({ versionId: w.checklistVersionId, items: [] }))).toBe('CONFLICT');
  });
});
