import { asc, eq, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import { experts } from '@spotcheck/db';
import { fail, notFound } from '../../lib/errors';
import { ZExpertSchema } from '../../lib/roster-schemas';
import { bureauFilter } from '../../lib/scope';
import { patchSchemaOf, ZBureauCodeSchema, ZDrawIdSchema } from '../../lib/zod';
import { CITY_BUREAU, ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { rowSchema } from '../../lib/outputs';

/** Input of `experts.update`. */
export const ZExpertUpdateSchema = z.object({
  id: ZDrawIdSchema,
  patch: patchSchemaOf(ZExpertSchema.omit({ id: true, bureauCode: true })),
});

const reader = roleProcedure(ROLE_GROUPS.staff);
const admin = roleProcedure(ROLE_GROUPS.admins);

/** The expert library 行业专家信息库 (R5); experts without a bureau serve the whole city. */
export const expertsRouter = router({
  /** Experts in reach, city-wide ones included. */
  list: reader
    .input(z.object({ bureauCode: ZBureauCodeSchema.optional() }).default({}))
    .output(z.array(rowSchema(experts)))
    .query(({ ctx, input }) =>
      ctx.db
        .select()
        .from(experts)
        .where(or(bureauFilter(ctx.access, experts.bureauCode, input.bureauCode), isNull(experts.bureauCode)))
        .orderBy(asc(experts.id)),
    ),

  /** Adds an expert (city-wide experts: city admins). */
  create: admin
    .input(ZExpertSchema)
    .output(rowSchema(experts))
    .mutation(async ({ ctx, input }) => {
      const bureau = input.bureauCode ?? CITY_BUREAU;
      ctx.access.bureau(bureau);
      return ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(experts)
          .values({ ...input, bureauCode: input.bureauCode ?? null })
          .returning();
        await ctx.audit(tx, {
          bureauCode: bureau,
          action: 'expert.create',
          entity: 'experts',
          entityId: input.id,
          after: row,
        });
        return row!;
      });
    }),

  /** Changes an expert. */
  update: admin
    .input(ZExpertUpdateSchema)
    .output(rowSchema(experts))
    .mutation(async ({ ctx, input }) => {
      if (Object.keys(input.patch).length === 0) fail('BAD_REQUEST', 'patch', 'patch.empty');
      return ctx.db.transaction(async (tx) => {
        const [before] = await tx.select().from(experts).where(eq(experts.id, input.id)).for('update');
        if (!before) notFound('id', 'expert', input.id);
        const bureau = before.bureauCode ?? CITY_BUREAU;
        ctx.access.bureau(bureau);
        const [after] = await tx
          .update(experts)
          .set({ ...input.patch, updatedAt: ctx.now() })
          .where(eq(experts.id, input.id))
          .returning();
        await ctx.audit(tx, {
          bureauCode: bureau,
          action: 'expert.update',
          entity: 'experts',
          entityId: input.id,
          before,
          after,
        });
        return after!;
      });
    }),
});
