import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voidedBundleDigest, type CommitmentV2, type VoidedBundleV2 } from '@spotcheck/core';
import { draws, plans, publications, tasks } from '@spotcheck/db';
import { anonymousCaller, BINHAI, drawEnv, openTestDb, signedInUser, type TestDb } from './harness';
import { buildWorld, drawAndSign, passSources, proposedSources, type World } from './fixtures';
import { browserVoidSignature, wholeSecondsOf } from '../support/official-keys';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
});
afterAll(async () => t?.close());

/** Requests a void as the operator and has `w.approver2` sign it in the browser's way. */
async function voidAttempt(drawId: string) {
  await w.operator.caller.draws.requestVoid({
    drawId,
    reasonId: 'emergency',
    reason: '演练：突发事件，本次抽取作废',
  });
  const d = await w.approver2.caller.draws.get({ drawId });
  const signed = await browserVoidSignature(
    w.keys.approver2,
    { id: w.approver2.user.id, name: w.approver2.user.displayName },
    wholeSecondsOf(drawEnv.now()),
    { commitmentDigest: d.commitmentDigest, reason: 'emergency', requestedBy: w.operator.user.id },
  );
  return w.approver2.caller.draws.signVoid({ drawId, void: signed });
}

/** The void publications of a draw, oldest first, with their contents as anyone reads them. */
async function voidsOf(drawId: string) {
  const anon = await anonymousCaller(t.database);
  const heads = (await anon.publications.list({ kind: 'void', limit: 200 }))
    .filter((p) => p.refId === drawId)
    .sort((a, b) => Date.parse(String(a.publishedAt)) - Date.parse(String(b.publishedAt)));
  return Promise.all(
    heads.map(async (h) => ({ ...h, content: (await anon.publications.get({ id: h.id })).content })),
  );
}

describe('a covert plan’s void (R10, §9.4)', () => {
  it('publishes only the signed void and digests until the plan is executed, then the whole attempt with the digest the redraw named', async () => {
    const plan = await w.operator.caller.plans.create({
      bureauCode: BINHAI,
      title: '2027年度暗查暗访（作废重抽）',
      period: '2027',
      kind: 'covert',
      sources: await proposedSources(w),
      checklistVersionId: w.checklistVersionId,
    });
    await w.operator.caller.plans.submit({ planId: plan.id });
    // Attempt 1 is drawn (its units and teams exist) and then voided.
    const { draw: first } = await w.approver.caller.plans.approve({ planId: plan.id });
    passSources(first.commitment);
    await w.operator.caller.draws.enterRandomness({
      drawId: first.id,
      values: first.commitment.sources.map(() => null),
    });
    await w.operator.caller.draws.run({ drawId: first.id });
    const voided = await voidAttempt(first.id);
    expect(voided).toMatchObject({ status: 'voided', afterRandomness: true });
    const [row] = await t.database.db.select().from(draws).where(eq(draws.id, first.id));
    const frame = row!.frame as unknown[][];
    const officers = (row!.inspectorRows as unknown[][]).map((r) => r[0] as string);
    const selected = (row!.result as { selected: { unit: string; team: string[] }[] }).selected;
    expect(selected.length).toBeGreaterThan(0);

    // The public record: the signed void and the digests, not one unit, officer or team of it.
    const [sealed] = await voidsOf(first.id);
    const content = sealed!.content as Record<string, unknown>;
    expect(content.sealed).toBe(true);
    expect(content).not.toHaveProperty('bundle');
    expect(Object.keys(content).sort()).toEqual(
      [
        'afterRandomness',
        'algorithm',
        'attempt',
        'bundleDigest',
        'commitment',
        'commitmentDigest',
        'demoBeacon',
        'plan',
        'randomness',
        'reason',
        'registry',
        'requestedAt',
        'requestedBy',
        'resultDigest',
        'sealed',
        'signedBy',
        'voidReasons',
        'void',
        ...Object.keys(content).filter((k) => k.startsWith('registryIn') || k === 'registryHistory'),
      ].sort(),
    );
    const text = JSON.stringify(content);
    for (const unit of frame.map((r) => r[0] as string)) expect(text).not.toContain(unit);
    for (const officer of officers) expect(text).not.toContain(officer);
    expect(content.resultDigest).toBe(row!.resultDigest);
    expect(content.commitmentDigest).toBe(row!.commitmentDigest);
    // Its bundle digest is the whole attempt's, fixed now (what the redraw names).
    const attempt: VoidedBundleV2 = {
      algorithm: 'sr-draw/v2',
      commitment: row!.commitment as CommitmentV2,
      commitmentDigest: row!.commitmentDigest,
      frame: row!.frame as VoidedBundleV2['frame'],
      excluded: row!.excluded ?? [],
      inspectors: row!.inspectorRows as VoidedBundleV2['inspectors'],
      experts: row!.expertRows ?? [],
      randomness: row!.randomness as VoidedBundleV2['randomness'],
      result: row!.result as VoidedBundleV2['result'],
      resultDigest: row!.resultDigest,
      void: row!.voidSignOff as VoidedBundleV2['void'],
    };
    expect(content.bundleDigest).toBe(voidedBundleDigest(attempt));
    expect(row!.voidBundleDigest).toBe(content.bundleDigest);
    // Anyone checks the signed void now, and is told the rows come at execution.
    const anon = await anonymousCaller(t.database);
    const sealedReport = await anon.publications.verifyDraw({ id: sealed!.id });
    expect(sealedReport.ok).toBe(true);
    const lines = new Map(sealedReport.checks.map((c) => [c.id, c.status]));
    expect(lines.get('sealed')).toBe('info');
    expect(lines.get('void')).toBe('pass');

    // The redraw names the sealed attempt by that digest; it is drawn, signed and issued.
    await w.operator.caller.plans.update({
      planId: plan.id,
      patch: { sources: await proposedSources(w, 300) },
    });
    await w.operator.caller.plans.submit({ planId: plan.id });
    const { draw: second } = await drawAndSign(w, plan.id);
    expect(second.commitment.previous).toMatchObject({
      attempt: 1,
      bundleDigest: content.bundleDigest,
      knownVoids: 1,
    });
    await w.operator.caller.draws.issueTasks({ drawId: second.id });
    expect(await voidsOf(first.id)).toHaveLength(1);

    // The teams inspect: the plan is executed and attempt 1 is published whole, replacing the sealed void.
    const members = new Map<string, Awaited<ReturnType<typeof signedInUser>>>();
    for (const task of await t.database.db.select().from(tasks).where(eq(tasks.drawId, second.id))) {
      const id = task.team[0]!;
      if (!members.has(id))
        members.set(
          id,
          await signedInUser(t.database, `cv-${id}`, BINHAI, ['inspector'], { inspectorId: id }),
        );
      await members
        .get(id)!
        .caller.results.record({ taskId: task.id, outcome: 'compliant', inspectedOn: '2027-03-02' });
    }
    const after = await voidsOf(first.id);
    expect(after).toHaveLength(2);
    expect(after[1]!.replacesId).toBe(sealed!.id);
    const full = after[1]!.content as { bundle: VoidedBundleV2; bundleDigest: string; sealed?: unknown };
    expect(full.sealed).toBeUndefined();
    expect(full.bundleDigest).toBe(content.bundleDigest);
    expect(voidedBundleDigest(full.bundle)).toBe(content.bundleDigest);
    expect(full.bundle.result!.selected.map((s) => s.unit)).toEqual(selected.map((s) => s.unit));
    const fullReport = await anon.publications.verifyDraw({ id: after[1]!.id });
    expect(fullReport.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(fullReport.ok).toBe(true);
    const drawPub = (await anon.publications.list({ kind: 'draw', limit: 200 })).find(
      (p) => p.refId === second.id,
    )!;
    expect((await anon.publications.verifyDraw({ id: drawPub.id })).ok).toBe(true);

    // Sealed content for a plan that is not covert on record fails (an insider hiding an open
    // plan's voided rows), whatever the content says of its plan.
    await t.database.db.update(plans).set({ sealed: false }).where(eq(plans.id, plan.id));
    const open = await anon.publications.verifyDraw({ id: sealed!.id });
    expect(open.ok).toBe(false);
    expect(open.checks.find((c) => c.id === 'sealed' && c.status === 'fail')).toBeTruthy();
    await t.database.db.update(plans).set({ sealed: true }).where(eq(plans.id, plan.id));
    // A sealed void edited behind the platform's back (another signer's name) fails its check.
    await t.database.db
      .update(publications)
      .set({
        content: {
          ...content,
          void: {
            ...(content.void as object),
            signer: { ...(content.void as { signer: object }).signer, name: '他人' },
          },
        },
      })
      .where(and(eq(publications.id, sealed!.id), eq(publications.kind, 'void')));
    const edited = await anon.publications.verifyDraw({ id: sealed!.id });
    expect(edited.ok).toBe(false);
    expect(edited.checks.find((c) => c.id === 'void')?.status).toBe('fail');
  });
});
