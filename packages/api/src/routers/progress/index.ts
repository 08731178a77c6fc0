import { z } from 'zod';
import { PROGRESS_PHASES, progressOf, requestCancel } from '../../lib/progress';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';

/**
 * Progress of the caller's own long requests (`plans.approve`, `draws.run`, `draws.verify`) by the
 * id they gave.
 */
export const progressRouter = router({
  /**
   * The last progress the caller's operation reported: phase and, while reading the roster, units
   * read of units in scope. Null when unknown (not started yet, another user's, or long over).
   */
  get: roleProcedure(ROLE_GROUPS.all)
    .input(z.object({ operationId: z.uuid() }))
    .output(
      z
        .object({
          phase: z.enum(PROGRESS_PHASES),
          done: z.number(),
          total: z.number().nullable(),
          step: z.string().nullable(),
        })
        .nullable(),
    )
    .query(({ ctx, input }) => progressOf(ctx.user.id, input.operationId, ctx.db)),

  /**
   * Asks the caller's own approval or draw to stop before it writes anything (it stops at its next
   * report, and its transaction leaves nothing behind). `cancelled: false` when it is unknown,
   * another user's, already writing or over: then it goes on, or went, to its end.
   */
  cancel: roleProcedure(ROLE_GROUPS.all)
    .input(z.object({ operationId: z.uuid() }))
    .output(z.object({ cancelled: z.boolean() }))
    .mutation(async ({ ctx, input }) => ({
      cancelled: await requestCancel(ctx.user.id, input.operationId, ctx.db),
    })),
});
