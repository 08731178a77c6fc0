/**
 * The job runtime on both databases: pg-boss on PostgreSQL (queue, schedule, worker) and the
 * in-process timer on PGlite run the same registered job functions and record their runs.
 */
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { registerJob, registeredJobs, startJobRuntime } from '@spotcheck/api';
import { jobRuns } from '@spotcheck/db';
import { openTestDatabase, testDrivers } from '../support/databases';

let calls = 0;
registerJob({
  name: 'test-flaky',
  cron: '0 3 * * *',
  description: 'fails on its first run, then succeeds',
  async run() {
    calls++;
    if (calls === 1) throw new Error('first run fails');
    return { calls };
  },
});

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

describe.each(testDrivers())('job runtime on %s', (driver) => {
  it('runs a job on demand, records the failure, retries, and schedules every registered job', async () => {
    calls = 0;
    const { database, dispose } = await openTestDatabase(driver);
    const runtime = await startJobRuntime(database, { retryDelaySeconds: 1 });
    closers.push(dispose, () => runtime.stop());
    expect(runtime.mode).toBe(driver === 'postgres' ? 'pg-boss' : 'in-process');
    if (driver === 'postgres') {
      // Every registered job has its queue and cron schedule in pg-boss.
      const { rows } = await database.exec('select name, cron, timezone from pgboss.schedule order by name');
      expect(rows.map((r) => r.name)).toEqual(registeredJobs().map((j) => j.name));
      expect(new Set(rows.map((r) => r.timezone))).toEqual(new Set(['Asia/Shanghai']));
    }
    await runtime.trigger('test-flaky', 'manual', null);
    const runs = async () =>
      database.db.select().from(jobRuns).where(eq(jobRuns.name, 'test-flaky')).orderBy(jobRuns.startedAt);
    await expect
      .poll(async () => (await runs()).filter((r) => r.outcome !== 'running').length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const first = (await runs())[0]!;
    expect(first).toMatchObject({ outcome: 'failed', error: 'first run fails', attempt: 1 });
    if (driver === 'pglite') await runtime.trigger('test-flaky', 'retry', null);
    // pg-boss retries the failed job itself (retryLimit, backoff); in-process the retry button does.
    await expect
      .poll(async () => (await runs()).some((r) => r.outcome === 'ok'), { timeout: 60_000, interval: 1000 })
      .toBe(true);
    const ok = (await runs()).find((r) => r.outcome === 'ok')!;
    expect(ok.attempt).toBe(2);
    await runtime.stop();
  }, 120_000);
});
