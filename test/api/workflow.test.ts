import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../packages/api/src';
import { anonymousCaller, BINHAI, codeOf, openTestDb, signedInUser, type TestDb } from './harness';
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
    const bad = await w.operator.caller.draws
      .enterRandomness({ drawId, values: ['abc'] })
      .catch((e: unknown) => e as Error & { code: string });
    expect((bad as Error).message).toMatch(/^values: values\[0\]: expected an array/);
    await w.operator.caller.draws.enterRandomness({ drawId, values: [[3, 1, 4]] });
    expect(await codeOf(w.operator.caller.draws.enterRandomness({ drawId, values: [[9, 9, 9]] }))).toBe(
      'CONFLICT',
    );
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
    const codes = await Promise.all([
      codeOf(w.operator.caller.draws.run({ drawId: draw.id })),
      codeOf(w.operator.caller.draws.run({ drawId: draw.id })),
    ]);
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
    expect(
      await codeOf(w.operator.caller.draws.requestVoid({ drawId: first.draw.id, reason: 'short' })),
    ).toBe('BAD_REQUEST');
    await w.approver.caller.draws.requestVoid({
      drawId: first.draw.id,
      reason: '随机数来源期号录入错误，需重新承诺',
    });
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
      bureauCode: '120116',
      title: '未发布清单',
      period: '2027',
      kind: 'general',
      sources: [{ kind: 'hex', name: 'drand', issue: 'round 1' }],
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
    const { draw } = await w.approver.caller.plans.approve({ planId });
    await w.operator.caller.draws.enterRandomness({ drawId: draw.id, values: [[8, 6, 4]] });
    const drawn = await w.operator.caller.draws.run({ drawId: draw.id });
    await w.approver.caller.draws.sign({ drawId: draw.id });
    await w.operator.caller.draws.issueTasks({ drawId: draw.id });

    const portal = await anonymousCaller(t.database);
    const kinds = (await portal.publications.list({ limit: 200 })).map((p) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(['checklist', 'commitment', 'draw', 'void']));
    const pub = (await portal.publications.list({ kind: 'draw', limit: 200 })).find(
      (p) => p.refId === draw.id,
    )!;
    expect(await portal.publications.verifyDraw({ id: pub.id })).toEqual({
      bundle: { ok: true, reason: null },
      signature: { ok: true, reason: null },
    });
    const published = (await portal.publications.get({ id: pub.id })).content as {
      roster: { units: Record<string, { name: string }>; inspectors: Record<string, object> };
    };
    expect(JSON.stringify(published)).not.toMatch(/法人/);
    // The public sees who was drawn by name: units by name and sector, officers by name and certificate.
    const first = drawn.result.selected[0]!;
    expect(published.roster.units[first.unit]!.name).toMatch(/^滨海测试单位/);
    expect(Object.keys(published.roster.inspectors).sort()).toEqual(
      [...new Set(drawn.result.selected.flatMap((s) => s.team))].sort(),
    );
    expect(Object.values(published.roster.inspectors)[0]).toEqual({
      name: expect.stringMatching(/^执法员/),
      certificateNo: expect.stringMatching(/^TJ-ZF-/),
    });

    // An inspector of the first team sees their task and records its result.
    const inspector = await signedInUser(t.database, 'w-insp', BINHAI, ['inspector'], {
      inspectorId: first.team[0],
    });
    const mine = await inspector.caller.tasks.list({ planId });
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
