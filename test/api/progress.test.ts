/**
 * Progress of long requests (issue 16): `plans.approve`, `draws.run` and `draws.verify` report
 * their phases under the operation id the caller gave; `progress.get` answers the caller alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERIFY_STEPS_V2, type DrawBundleV2 } from '@spotcheck/core';
import {
  checkOffThread,
  logVerificationInputs,
  progressReporter,
  signedBundleBytesOf,
} from '@spotcheck/api/testing';
import { draws, plans } from '@spotcheck/db';
import { eq } from 'drizzle-orm';
import { codeOf, downloadedBundle, openTestDb, type TestDb } from './harness';
import { buildWorld, drawAndSign, passSources, submittedPlan, type World } from './fixtures';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
});
afterAll(async () => t?.close());

const PHASES = ['roster', 'computing', 'writing', 'verifying', 'done', 'failed', 'cancelled'];

describe('progress of approval and the draw', () => {
  it('reports phases to the caller only, ends done or failed, and keeps nothing without an id', async () => {
    const planId = await submittedPlan(w, '进度计划');
    const operationId = crypto.randomUUID();
    expect(await w.approver.caller.progress.get({ operationId })).toBeNull();
    // Asked while the approval runs (same process: the questions interleave with its batches).
    const seen: (string | undefined)[] = [];
    let finished = false;
    const approving = w.approver.caller.plans
      .approve({ planId, operationId })
      .finally(() => (finished = true));
    while (!finished) {
      seen.push((await w.approver.caller.progress.get({ operationId }))?.phase);
      await new Promise((r) => setTimeout(r, 5));
    }
    const { draw } = await approving;
    expect(seen.filter((p) => p !== undefined).every((p) => PHASES.includes(p))).toBe(true);
    expect(await w.approver.caller.progress.get({ operationId })).toEqual({
      phase: 'done',
      done: 0,
      total: null,
      step: null,
    });
    // Another official, even of the same bureau, learns nothing of it.
    expect(await w.approver2.caller.progress.get({ operationId })).toBeNull();
    expect(await w.operator.caller.progress.get({ operationId })).toBeNull();

    // A refused request ends `failed`.
    const again = crypto.randomUUID();
    expect(await codeOf(w.approver.caller.plans.approve({ planId, operationId: again }))).toBe('CONFLICT');
    expect((await w.approver.caller.progress.get({ operationId: again }))?.phase).toBe('failed');

    passSources(draw.commitment);
    await w.operator.caller.draws.enterRandomness({
      drawId: draw.id,
      values: draw.commitment.sources.map(() => null),
    });
    const run = crypto.randomUUID();
    await w.operator.caller.draws.run({ drawId: draw.id, operationId: run });
    expect(await w.operator.caller.progress.get({ operationId: run })).toEqual({
      phase: 'done',
      done: 0,
      total: null,
      step: null,
    });
    expect(await w.approver.caller.progress.get({ operationId: run })).toBeNull();
    // Not an id: refused by name.
    expect(await codeOf(w.operator.caller.progress.get({ operationId: 'run-1' }))).toBe('BAD_REQUEST');
  });
});

describe('progress of a draw’s verification', () => {
  it('reports each step of the check as the thread begins it, in order, then done', async () => {
    const { draw } = await drawAndSign(w, await submittedPlan(w, '核验进度计划'));
    // The thread tells each step as it begins.
    const steps: string[] = [];
    const direct = await checkOffThread(
      {
        algorithm: 'sr-draw/v2',
        isVoid: false,
        content: await signedBundleBytesOf(t.database.db, draw.id),
        inputs: await logVerificationInputs(
          t.database.db,
          draw.id,
          draw.commitment.plan.bureau,
          (await downloadedBundle<{ bundle: DrawBundleV2 }>(t.database, w.approver, draw.id)).bundle.signOff
            .signedAt,
        ),
        production: false,
      },
      (step) => steps.push(step),
    );
    expect(direct).toMatchObject({ ok: true });
    expect(steps).toEqual([...VERIFY_STEPS_V2]);

    // Through draws.verify: every progress seen is a step in order, and the last is done.
    const operationId = crypto.randomUUID();
    const seen: { phase: string; done: number; total: number | null; step: string | null }[] = [];
    let finished = false;
    const verifying = w.operator.caller.draws
      .verify({ drawId: draw.id, operationId })
      .finally(() => (finished = true));
    while (!finished) {
      const p = await w.operator.caller.progress.get({ operationId });
      if (p) seen.push(p);
      await new Promise((r) => setTimeout(r, 1));
    }
    expect((await verifying).ok).toBe(true);
    for (const p of seen.filter((x) => x.phase === 'verifying')) {
      expect(p.total).toBe(VERIFY_STEPS_V2.length);
      expect(VERIFY_STEPS_V2[p.done - 1]).toBe(p.step);
    }
    const dones = seen.filter((x) => x.phase === 'verifying').map((x) => x.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect((await w.operator.caller.progress.get({ operationId }))?.phase).toBe('done');
    expect(await w.approver.caller.progress.get({ operationId })).toBeNull();

    // A refused check ends failed.
    const refused = crypto.randomUUID();
    const { draw: undrawn } = await w.approver.caller.plans.approve({
      planId: await submittedPlan(w, '未抽取计划'),
    });
    expect(await codeOf(w.operator.caller.draws.verify({ drawId: undrawn.id, operationId: refused }))).toBe(
      'CONFLICT',
    );
    expect((await w.operator.caller.progress.get({ operationId: refused }))?.phase).toBe('failed');
  });
});

describe('cancelling an approval or a draw before it writes', () => {
  it('stops at the next report with nothing written; refused once writing, over, or another user’s', async () => {
    const planId = await submittedPlan(w, '取消计划');
    // The approval as its first batch of the roster has been read (reported as the request would).
    const operationId = crypto.randomUUID();
    progressReporter(w.approver.user.id, operationId)('roster', 0, 40);
    expect(await w.approver2.caller.progress.cancel({ operationId })).toEqual({ cancelled: false });
    expect(await w.approver.caller.progress.cancel({ operationId })).toEqual({ cancelled: true });
    expect(await codeOf(w.approver.caller.plans.approve({ planId, operationId }))).toBe(
      'CLIENT_CLOSED_REQUEST',
    );
    expect(await w.approver.caller.progress.get({ operationId })).toMatchObject({ phase: 'cancelled' });
    // Nothing was written: the plan is still submitted, with no attempt.
    const [plan] = await t.database.db.select().from(plans).where(eq(plans.id, planId));
    expect(plan!.status).toBe('submitted');
    expect(await t.database.db.select({ id: draws.id }).from(draws).where(eq(draws.planId, planId))).toEqual(
      [],
    );
    // Over: nothing left to cancel. Unknown: likewise.
    expect(await w.approver.caller.progress.cancel({ operationId })).toEqual({ cancelled: false });
    expect(await w.approver.caller.progress.cancel({ operationId: crypto.randomUUID() })).toEqual({
      cancelled: false,
    });

    // The approval goes through when asked again; the draw is cancelled while it computes.
    const { draw } = await w.approver.caller.plans.approve({ planId });
    passSources(draw.commitment);
    await w.operator.caller.draws.enterRandomness({
      drawId: draw.id,
      values: draw.commitment.sources.map(() => null),
    });
    const run = crypto.randomUUID();
    progressReporter(w.operator.user.id, run)('computing');
    expect(await w.operator.caller.progress.cancel({ operationId: run })).toEqual({ cancelled: true });
    expect(await codeOf(w.operator.caller.draws.run({ drawId: draw.id, operationId: run }))).toBe(
      'CLIENT_CLOSED_REQUEST',
    );
    const [kept] = await t.database.db.select().from(draws).where(eq(draws.id, draw.id));
    expect(kept!.status).toBe('committed');
    expect(kept!.randomness).not.toBeNull();
    expect(kept!.result).toBeNull();
    // Writing: too late to cancel.
    const late = crypto.randomUUID();
    progressReporter(w.operator.user.id, late)('writing');
    expect(await w.operator.caller.progress.cancel({ operationId: late })).toEqual({ cancelled: false });
    const drawn = await w.operator.caller.draws.run({ drawId: draw.id });
    expect(drawn).toBeTruthy();
  });
});
