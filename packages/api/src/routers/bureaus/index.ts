import { asc } from 'drizzle-orm';
import { z } from 'zod';
import { bureaus } from '@spotcheck/db';
import { fail } from '../../lib/errors';
import { ZBureauCodeSchema } from '../../lib/zod';
import { CITY_BUREAU, publicProcedure, roleProcedure, router } from '../../trpc';
import { rowSchema } from '../../lib/outputs';

/** Input of `bureaus.create`. */
export const ZCreateBureauSchema = z.object({
  code: ZBureauCodeSchema,
  name: z.string().min(1).max(100),
  level: z.enum(['city', 'district']),
});

/** The city and district bureaus. */
export const bureausRouter = router({
  /** Every bureau (public: the portal names them). */
  list: publicProcedure
    .output(z.array(rowSchema(bureaus)))
    .query(({ ctx }) => ctx.db.select().from(bureaus).orderBy(asc(bureaus.code))),

  /** Registers a bureau (city admins only). */
  create: roleProcedure(['city-admin'])
    .input(ZCreateBureauSchema)
    .output(rowSchema(bureaus))
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(CITY_BUREAU);
      if (input.level === 'city' && input.code !== CITY_BUREAU)
        fail('BAD_REQUEST', 'level', 'bureau.onlyCity', { cityCode: CITY_BUREAU });
      if (input.level === 'district' && !input.code.startsWith('1201'))
        fail('BAD_REQUEST', 'code', 'bureau.notTianjin');
      return ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(bureaus)
          .values({ ...input, parentCode: input.level === 'district' ? CITY_BUREAU : null })
          .returning();
        await ctx.audit(tx, {
          bureauCode: input.code,
          action: 'bureau.create',
          entity: 'bureaus',
          entityId: input.code,
          after: row,
        });
        return row!;
      });
    }),
});
