import { eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  drawSrV1,
  randomnessString,
  type Commitment,
  type FrameRow,
  type InspectorRow,
  type SourceValue,
} from '@spotcheck/core';
import { nodeCryptoHasher } from '@spotcheck/core/node';
import { draws } from '@spotcheck/db';
import { fail } from '../../lib/errors';
import { drawStep, loadDraw, transitionDraw, transitionPlan } from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { roleProcedure } from '../../trpc';

/** Input of `draws.enterRandomness`: one value per committed source, in order. */
export const ZRandomnessSchema = z.object({
  drawId: ZIdSchema,
  values: z
    .array(
      z.union([
        z.array(z.number().int().min(0)).min(1).max(1000),
        z
          .string()
          .regex(/^[0-9a-f]+$/, 'must be lowercase hex')
          .max(1024),
      ]),
    )
    .min(1)
    .max(10),
});

/**
 * `draws.enterRandomness` (draw-operator): records the published values of the committed
 * sources, once. The randomness string R is computed and stored with them.
 */
export const enterRandomness = roleProcedure(['draw-operator'])
  .input(ZRandomnessSchema)
  .mutation(async ({ ctx, input }) => {
    const { draw, plan } = await loadDraw(ctx.db, input.drawId, ctx.access);
    const commitment = draw.commitment as Commitment;
    const string = drawStep('values', () => randomnessString(commitment.sources, input.values, 'values'));
    const now = ctx.now();
    return ctx.db.transaction(async (tx) => {
      await transitionPlan(tx, plan.id, ['approved'], 'randomness-entered', now);
      const [row] = await tx
        .update(draws)
        .set({ randomness: { values: input.values, string } })
        .where(eq(draws.id, draw.id))
        .returning();
      if (row!.status !== 'committed')
        fail('CONFLICT', 'drawId', `draw attempt ${row!.attempt} is ${row!.status}`);
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.enter-randomness',
        entity: 'draws',
        entityId: draw.id,
        after: { values: input.values, string },
      });
      return { drawId: draw.id, randomness: string };
    });
  });

/**
 * `draws.run` (draw-operator): computes the draw, exactly once per commitment. The status moves
 * committed → drawn with a conditional UPDATE inside the transaction, so of two concurrent
 * calls one draws and the other gets CONFLICT.
 */
export const runDraw = roleProcedure(['draw-operator'])
  .input(z.object({ drawId: ZIdSchema }))
  .mutation(async ({ ctx, input }) => {
    const { plan } = await loadDraw(ctx.db, input.drawId, ctx.access);
    const now = ctx.now();
    return ctx.db.transaction(async (tx) => {
      const claimed = await transitionDraw(tx, input.drawId, ['committed'], 'drawn', {
        drawnAt: now,
        drawnBy: ctx.user.id,
      });
      if (!claimed.randomness) fail('PRECONDITION_FAILED', 'drawId', 'enter the randomness first');
      const r = claimed.randomness as { values: SourceValue[] };
      const bundle = drawStep('drawId', () =>
        drawSrV1(
          {
            commitment: claimed.commitment as Commitment,
            frame: claimed.frame as FrameRow[],
            inspectors: claimed.inspectorRows as InspectorRow[],
            values: r.values,
          },
          { hasher: nodeCryptoHasher },
        ),
      );
      const [row] = await tx
        .update(draws)
        .set({ result: bundle.result, resultDigest: bundle.resultDigest })
        .where(eq(draws.id, claimed.id))
        .returning();
      await transitionPlan(tx, plan.id, ['randomness-entered'], 'drawn', now);
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.run',
        entity: 'draws',
        entityId: claimed.id,
        before: { status: 'committed' },
        after: {
          status: 'drawn',
          resultDigest: bundle.resultDigest,
          selected: bundle.result.selected.length,
        },
      });
      return { drawId: row!.id, resultDigest: bundle.resultDigest, result: bundle.result };
    });
  });
