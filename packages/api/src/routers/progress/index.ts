import { z } from 'zod';
import { progressOf } from '../../lib/progress';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';

/** Progress of the caller's own long requests (`plans.approve`, `draws.run`) by the id they gave. */
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
          phase: z.enum(['roster', 'computing', 'writing', 'done', 'failed']),
          done: z.number(),
          total: z.number().nullable(),
        })
        .nullable(),
    )
    .query(({ ctx, input }) => progressOf(ctx.user.id, input.operationId)),
});
