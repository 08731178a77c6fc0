import { sql } from 'drizzle-orm';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { bureausRouter } from './routers/bureaus';
import { usersRouter } from './routers/users';
import { publicProcedure, router } from './trpc';

/** The whole API. */
export const appRouter = router({
  health: publicProcedure.query(async ({ ctx }) => {
    await ctx.db.execute(sql`select 1`);
    return { ok: true as const, time: ctx.now().toISOString() };
  }),
  auth: authRouter,
  bureaus: bureausRouter,
  users: usersRouter,
  audit: auditRouter,
});

/** The API's type, the only thing web apps import from this package. */
export type AppRouter = typeof appRouter;
