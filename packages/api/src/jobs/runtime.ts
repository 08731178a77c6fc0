import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Database } from '@spotcheck/db';
import { JOB_TIME_ZONE, nextRunAt, registeredJobs, runJob, type JobTrigger } from './registry';
import { keySecretFor } from '../auth/signing-keys';

/** A running scheduler: pg-boss on PostgreSQL, an in-process timer on embedded PGlite. */
export interface JobRuntime {
  mode: 'pg-boss' | 'in-process';
  /** Starts a run of a job now (a retry or a manual run); resolves once it is queued or done. */
  trigger(name: string, trigger: JobTrigger, requestedBy: string | null): Promise<{ queued: boolean }>;
  stop(): Promise<void>;
}

let active: JobRuntime | null = null;

/** The runtime started in this process, if any (the admin's retry button uses it). */
export function activeJobRuntime(): JobRuntime | null {
  return active;
}

/**
 * Starts a `log-checkpoint` run now, without waiting for it, when a job runtime runs in this
 * process (a server; not the API tests, which issue checkpoints with a pinned clock). Called
 * right after a commitment is published, so its checkpoint time is its commitment time.
 */
export function requestLogCheckpoint(requestedBy: string | null): void {
  const runtime = active;
  if (!runtime) return;
  runtime
    .trigger('log-checkpoint', 'manual', requestedBy)
    .catch((err: Error) => process.stderr.write(`jobs: log-checkpoint: ${err.message}\n`));
}

/**
 * Starts the scheduled jobs of every registered job. On PostgreSQL the jobs run on pg-boss (a
 * queue per job, its cron schedule in {@link JOB_TIME_ZONE}, retries with backoff, one worker
 * per job across processes); pg-boss does not run on PGlite (it needs a server connection), so
 * in embedded mode the same job functions run in this process on a minute timer.
 */
export async function startJobRuntime(
  database: Database,
  opts: { tickMs?: number; retryDelaySeconds?: number } = {},
): Promise<JobRuntime> {
  if (active) return active;
  const jobs = registeredJobs();
  const db = database.db;
  keySecretFor(database); // the secret the checkpoint jobs find for this database (keySecretOf)
  if (database.kind === 'postgres') {
    const pool = database.raw as pg.Pool;
    const boss = new PgBoss({
      db: { executeSql: (text: string, values: unknown[]) => pool.query(text, values) },
      schema: 'pgboss',
    });
    boss.on('error', (err: Error) => process.stderr.write(`jobs: ${err.message}\n`));
    await boss.start();
    for (const job of jobs) {
      await boss.createQueue(job.name, {
        name: job.name,
        retryLimit: 3,
        retryDelay: opts.retryDelaySeconds ?? 300,
        retryBackoff: true,
      });
      await boss.schedule(job.name, job.cron, { trigger: 'schedule' }, { tz: JOB_TIME_ZONE });
      await boss.work<{ trigger?: JobTrigger; requestedBy?: string | null }>(job.name, async ([j]) => {
        const r = await runJob(db, job.name, {
          trigger: j?.data?.trigger ?? 'schedule',
          requestedBy: j?.data?.requestedBy ?? null,
        });
        // A failure goes back to pg-boss, which retries with backoff (each attempt is a run).
        if (r.outcome === 'failed') throw new Error(r.error ?? 'failed');
        return r.summary;
      });
    }
    active = {
      mode: 'pg-boss',
      async trigger(name, trigger, requestedBy) {
        await boss.send(name, { trigger, requestedBy });
        return { queued: true };
      },
      async stop() {
        active = null;
        await boss.stop({ graceful: true, wait: true, close: false });
      },
    };
    return active;
  }
  const due = new Map(jobs.map((j) => [j.name, nextRunAt(j, new Date())]));
  const running = new Set<string>();
  // A manual run asked for while the job runs is run once more right after (it may have been
  // asked for something the running one did not see yet, e.g. a commitment just published).
  const again = new Map<string, { trigger: JobTrigger; requestedBy: string | null }>();
  const start = (name: string, trigger: JobTrigger, requestedBy: string | null): Promise<void> => {
    if (running.has(name)) {
      if (trigger !== 'schedule') again.set(name, { trigger, requestedBy });
      return Promise.resolve();
    }
    running.add(name);
    return runJob(db, name, { trigger, requestedBy })
      .then(() => undefined)
      .catch((err: Error) => {
        process.stderr.write(`jobs: ${name}: ${err.message}\n`);
      })
      .finally(() => {
        running.delete(name);
        const next = again.get(name);
        again.delete(name);
        if (next && active) void start(name, next.trigger, next.requestedBy);
      });
  };
  const timer = setInterval(() => {
    const now = new Date();
    for (const j of jobs) {
      if (now >= due.get(j.name)!) {
        due.set(j.name, nextRunAt(j, now));
        void start(j.name, 'schedule', null);
      }
    }
  }, opts.tickMs ?? 30_000);
  timer.unref();
  active = {
    mode: 'in-process',
    async trigger(name, trigger, requestedBy) {
      await start(name, trigger, requestedBy);
      return { queued: false };
    },
    async stop() {
      active = null;
      clearInterval(timer);
      while (running.size) await new Promise((r) => setTimeout(r, 50));
    },
  };
  return active;
}
