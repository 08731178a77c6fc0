// Every digest of canonical text (frames, rows, results) through node:crypto: the same digests as
// the browser's noble SHA-256, several times faster on a city draw's 10^8 bytes.
import '@spotcheck/core/node';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { apiTokensRouter } from './routers/apiTokens';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { blacklistRouter } from './routers/blacklist';
import { bureausRouter } from './routers/bureaus';
import { casesRouter } from './routers/cases';
import { checklistRouter } from './routers/checklist';
import { conflictsRouter } from './routers/conflicts';
import { creditRouter } from './routers/credit';
import { drawsRouter } from './routers/draws';
import { expertsRouter } from './routers/experts';
import { externalRouter } from './routers/external';
import { inspectorsRouter } from './routers/inspectors';
import { keysRouter } from './routers/keys';
import { jobsRouter } from './routers/jobs';
import { plansRouter } from './routers/plans';
import { proceduresRouter } from './routers/procedures';
import { progressRouter } from './routers/progress';
import { publicationsRouter } from './routers/publications';
import { rectificationsRouter } from './routers/rectifications';
import { resultsRouter } from './routers/results';
import { rulePacksRouter } from './routers/rulePacks';
import { statsRouter } from './routers/stats';
import { supervisionsRouter } from './routers/supervisions';
import { tasksRouter } from './routers/tasks';
import { transferRouter } from './routers/transfer';
import { transparencyRouter } from './routers/transparency';
import { unitsRouter } from './routers/units';
import { usersRouter } from './routers/users';
import { publicProcedure, router } from './trpc';

/** The whole API. */
export const appRouter = router({
  health: publicProcedure
    .output(z.object({ ok: z.literal(true), time: z.string() }))
    .query(async ({ ctx }) => {
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
  progress: progressRouter,
  keys: keysRouter,
  tasks: tasksRouter,
  results: resultsRouter,
  rectifications: rectificationsRouter,
  cases: casesRouter,
  supervisions: supervisionsRouter,
  blacklist: blacklistRouter,
  credit: creditRouter,
  publications: publicationsRouter,
  audit: auditRouter,
  stats: statsRouter,
  apiTokens: apiTokensRouter,
  external: externalRouter,
  transfer: transferRouter,
  jobs: jobsRouter,
  transparency: transparencyRouter,
});

/** The API's type, the only thing web apps import from this package. */
export type AppRouter = typeof appRouter;
