import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { jobRuns } from '@spotcheck/db';
import { activeJobRuntime, jobNamed, nextRunAt, registeredJobs, runJob } from '../../jobs';
import { fail } from '../../lib/errors';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { rowSchema } from '../../lib/outputs';

/** Scheduled jobs as the admin sees them: schedule, next and last run, failures; retry. */
export const jobsRouter = router({
  /** Every registered job with its next run, last runs and consecutive failures (staff). */
  list: roleProcedure(ROLE_GROUPS.staff)
    .output(
      z.array(
        z.object({
          name: z.string(),
          cron: z.string(),
          description: z.string(),
          mode: z.enum(['pg-boss', 'in-process']).nullable(),
          nextRunAt: z.date(),
          running: z.boolean(),
          lastRun: rowSchema(jobRuns).nullable(),
          lastSuccessAt: z.date().nullable(),
          failures: z.number(),
          runs: z.array(rowSchema(jobRuns)),
        }),
      ),
    )
    .query(async ({ ctx }) => {
      const now = ctx.now();
      const runtime = activeJobRuntime();
      // Jobs run city-wide: a run's summary and error may name any bureau's units (the units
      // proposed for the blacklist, say), so only staff who reach every bureau read them.
      const cityWide = ctx.access.scope === 'all';
      const shown = (r: typeof jobRuns.$inferSelect) => (cityWide ? r : { ...r, summary: {}, error: null });
      return Promise.all(
        registeredJobs().map(async (job) => {
          const runs = await ctx.db
            .select()
            .from(jobRuns)
            .where(eq(jobRuns.name, job.name))
            .orderBy(desc(jobRuns.startedAt))
            .limit(10);
          const finished = runs.filter((r) => r.outcome !== 'running');
          let failures = 0;
          for (const r of finished) {
            if (r.outcome !== 'failed') break;
            failures++;
          }
          return {
            name: job.name,
            cron: job.cron,
            description: job.description,
            mode: runtime?.mode ?? null,
            nextRunAt: nextRunAt(job, now),
            running: runs.some((r) => r.outcome === 'running'),
            lastRun: finished[0] ? shown(finished[0]) : null,
            lastSuccessAt: finished.find((r) => r.outcome === 'ok')?.startedAt ?? null,
            failures,
            runs: runs.slice(0, 5).map(shown),
          };
        }),
      );
    }),

  /**
   * Runs a job now (city admins): on the queue when the scheduler runs on PostgreSQL, else in
   * this process, waiting for the outcome. Audited.
   */
  retry: roleProcedure(['city-admin'])
    .input(z.object({ name: z.string().max(64) }))
    .output(
      z.object({
        queued: z.boolean(),
        outcome: z.enum(['ok', 'failed']).nullable(),
        error: z.string().nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (!jobNamed(input.name)) fail('NOT_FOUND', 'name', 'job.notFound', { name: input.name });
      await ctx.db.transaction((tx) =>
        ctx.audit(tx, {
          bureauCode: null,
          action: 'job.retry',
          entity: 'job_runs',
          entityId: input.name,
          after: { name: input.name },
        }),
      );
      const runtime = activeJobRuntime();
      if (runtime?.mode === 'pg-boss') {
        await runtime.trigger(input.name, 'retry', ctx.user.id);
        return { queued: true as const, outcome: null, error: null };
      }
      const r = await runJob(ctx.db, input.name, {
        trigger: 'retry',
        now: ctx.now(),
        requestedBy: ctx.user.id,
      });
      return { queued: false as const, outcome: r.outcome, error: r.error };
    }),
});
