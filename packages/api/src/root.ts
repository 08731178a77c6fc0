import { sql } from 'drizzle-orm';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { bureausRouter } from './routers/bureaus';
import { checklistRouter } from './routers/checklist';
import { conflictsRouter } from './routers/conflicts';
import { drawsRouter } from './routers/draws';
import { expertsRouter } from './routers/experts';
import { inspectorsRouter } from './routers/inspectors';
import { plansRouter } from './routers/plans';
import { proceduresRouter } from './routers/procedures';
import { rulePacksRouter } from './routers/rulePacks';
import { unitsRouter } from './routers/units';
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
  checklist: checklistRouter,
  inspectors: inspectorsRouter,
  units: unitsRouter,
  experts: expertsRouter,
  conflicts: conflictsRouter,
  procedures: proceduresRouter,
  rulePacks: rulePacksRouter,
  plans: plansRouter,
  draws: drawsRouter,
  audit: auditRouter,
});

/** The API's type, the only thing web apps import from this package. */
export type AppRouter = typeof appRouter;
