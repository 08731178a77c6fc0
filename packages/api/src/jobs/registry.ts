import parser from 'cron-parser';
import { desc, eq } from 'drizzle-orm';
import { jobRuns, type Db } from '@spotcheck/db';

/** The time zone every job schedule is read in. */
export const JOB_TIME_ZONE = 'Asia/Shanghai';

/** What a job function gets: the database, the clock, and how it was started. */
export interface JobContext {
  db: Db;
  now: Date;
  trigger: JobTrigger;
}

/** How a run was started. */
export type JobTrigger = 'schedule' | 'manual' | 'retry';

/**
 * A named job. `run` must be idempotent (a run may repeat after a crash or a retry) and take the
 * time from `ctx.now`, so tests pin the clock. It returns a small summary for the admin page.
 */
export interface JobDefinition {
  name: string;
  /** Cron expression (5 fields) in {@link JOB_TIME_ZONE}. */
  cron: string;
  /** One line for people, in English (the admin translates by name). */
  description: string;
  run(ctx: JobContext): Promise<Record<string, unknown>>;
}

const registry = new Map<string, JobDefinition>();

/**
 * Registers a job (at module load; a feature imports its jobs file from `jobs/index.ts`). The
 * name is the queue name on PostgreSQL (pg-boss) and the key of its runs; registering the same
 * name twice is a programming error.
 */
export function registerJob(def: JobDefinition): JobDefinition {
  if (!/^[a-z][a-z0-9-]{1,60}$/.test(def.name)) throw new Error(`job name "${def.name}": use kebab-case`);
  if (registry.has(def.name)) throw new Error(`job "${def.name}" is registered twice`);
  nextRunAt(def, new Date()); // throws on a bad cron expression
  registry.set(def.name, def);
  return def;
}

/** Every registered job, by name. */
export function registeredJobs(): JobDefinition[] {
  return [...registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** One registered job, or undefined. */
export function jobNamed(name: string): JobDefinition | undefined {
  return registry.get(name);
}

/** The next time a job's schedule fires after `after`. */
export function nextRunAt(def: Pick<JobDefinition, 'cron'>, after: Date): Date {
  return parser.parseExpression(def.cron, { currentDate: after, tz: JOB_TIME_ZONE }).next().toDate();
}

/** How many runs in a row, newest first, failed. */
async function consecutiveFailures(db: Db, name: string): Promise<number> {
  const rows = await db
    .select({ outcome: jobRuns.outcome })
    .from(jobRuns)
    .where(eq(jobRuns.name, name))
    .orderBy(desc(jobRuns.startedAt))
    .limit(50);
  let n = 0;
  for (const r of rows) {
    if (r.outcome === 'running') continue;
    if (r.outcome !== 'failed') break;
    n++;
  }
  return n;
}

/** Result of one run. */
export interface JobRunResult {
  runId: string;
  outcome: 'ok' | 'failed';
  summary: Record<string, unknown>;
  error: string | null;
}

/**
 * Runs a registered job once, recording the run in `job_runs` (running → ok/failed with its
 * summary or error). Never throws for a failing job: the failure is recorded and returned.
 */
export async function runJob(
  db: Db,
  name: string,
  opts: { trigger: JobTrigger; now?: Date; requestedBy?: string | null },
): Promise<JobRunResult> {
  const def = registry.get(name);
  if (!def) throw new Error(`no job named "${name}"`);
  const now = opts.now ?? new Date();
  const attempt = (await consecutiveFailures(db, name)) + 1;
  const [run] = await db
    .insert(jobRuns)
    .values({
      name,
      trigger: opts.trigger,
      startedAt: now,
      outcome: 'running',
      attempt,
      requestedBy: opts.requestedBy ?? null,
    })
    .returning();
  let result: JobRunResult;
  try {
    const summary = await def.run({ db, now, trigger: opts.trigger });
    result = { runId: run!.id, outcome: 'ok', summary, error: null };
  } catch (err) {
    const e = err as Error;
    result = { runId: run!.id, outcome: 'failed', summary: {}, error: e.message || String(err) };
  }
  await db
    .update(jobRuns)
    .set({
      outcome: result.outcome,
      summary: result.summary,
      error: result.error,
      finishedAt: opts.now ? now : new Date(),
    })
    .where(eq(jobRuns.id, run!.id));
  return result;
}
