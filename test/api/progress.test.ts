/**
 * Progress of long requests (issue 16): `plans.approve` and `draws.run` report their phases under
 * the operation id the caller gave; `progress.get` answers the caller alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, openTestDb, type TestDb } from './harness';
import { buildWorld, passSources, submittedPlan, type World } from './fixtures';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
});
afterAll(async () => t?.close());

const PHASES = ['roster', 'computing', 'writing', 'done', 'failed'];

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
    });
    expect(await w.approver.caller.progress.get({ operationId: run })).toBeNull();
    // Not an id: refused by name.
    expect(await codeOf(w.operator.caller.progress.get({ operationId: 'run-1' }))).toBe('BAD_REQUEST');
  });
});
