import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { draws } from '@spotcheck/db';
import { bundleOf, signOffOf, verifyPublishedDraw } from '../../lib/bundle';
import { fail } from '../../lib/errors';
import { loadDraw, loadPlan } from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { issueTasks } from './issue-tasks';
import { enterRandomness, runDraw } from './run';
import { signDraw } from './sign';
import { approveVoid, rejectVoid, requestVoid } from './void';

const reader = roleProcedure(ROLE_GROUPS.staff);

/** Draw attempts 抽取 of a plan: randomness → draw (once) → sign-off → tasks; void, never redo. */
export const drawsRouter = router({
  /** Attempts of a plan (without frames). */
  list: reader.input(z.object({ planId: ZIdSchema })).query(async ({ ctx, input }) => {
    const plan = await loadPlan(ctx.db, input.planId, ctx.access);
    return ctx.db
      .select({
        id: draws.id,
        attempt: draws.attempt,
        status: draws.status,
        commitmentDigest: draws.commitmentDigest,
        resultDigest: draws.resultDigest,
        committedAt: draws.committedAt,
        drawnAt: draws.drawnAt,
        signedAt: draws.signedAt,
        voidReason: draws.voidReason,
        voidRequestedBy: draws.voidRequestedBy,
        voidApprovedBy: draws.voidApprovedBy,
      })
      .from(draws)
      .where(eq(draws.planId, plan.id))
      .orderBy(asc(draws.attempt));
  }),

  /** One attempt in full, with the avoidance reasons the platform keeps. */
  get: reader
    .input(z.object({ drawId: ZIdSchema }))
    .query(async ({ ctx, input }) => (await loadDraw(ctx.db, input.drawId, ctx.access)).draw),

  /** The sr-draw/v1 bundle of a drawn attempt and its sign-off. */
  bundle: reader.input(z.object({ drawId: ZIdSchema })).query(async ({ ctx, input }) => {
    const { draw } = await loadDraw(ctx.db, input.drawId, ctx.access);
    if (!draw.resultDigest) fail('CONFLICT', 'drawId', `draw attempt ${draw.attempt} is not drawn yet`);
    return { bundle: bundleOf(draw), signOff: await signOffOf(ctx.db, draw) };
  }),

  /** Recomputes the attempt from its bundle and checks the signature (auditors included). */
  verify: reader.input(z.object({ drawId: ZIdSchema })).query(async ({ ctx, input }) => {
    const { draw } = await loadDraw(ctx.db, input.drawId, ctx.access);
    if (!draw.resultDigest) fail('CONFLICT', 'drawId', `draw attempt ${draw.attempt} is not drawn yet`);
    return verifyPublishedDraw(bundleOf(draw), await signOffOf(ctx.db, draw));
  }),

  enterRandomness,
  run: runDraw,
  sign: signDraw,
  issueTasks,
  requestVoid,
  approveVoid,
  rejectVoid,
});
