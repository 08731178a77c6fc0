/**
 * The roster's counts as a job: the statement triggers on `units` append signed deltas to
 * `unit_counts` (so roster writes never wait for each other over them); every ten minutes the
 * rows of each key are folded into one, so the roster list's total stays a sum over a few hundred rows.
 */
import { sql } from 'drizzle-orm';
import { registerJob } from './registry';

/** Every ten minutes: folds the count deltas of each (bureau, industry, risk grade, status). */
export const unitCountsCompactJob = registerJob({
  name: 'unit-counts-compact',
  cron: '*/10 * * * *',
  description:
    "Folds the roster counts' appended deltas into one row per bureau, industry, risk grade and status",
  async run({ db }) {
    // node-postgres and PGlite both answer with `rows`.
    const result = await db.execute(sql`SELECT unit_counts_compact() AS folded`);
    const rows = (result as { rows: { folded: number }[] }).rows;
    return { folded: Number(rows[0]?.folded ?? 0) };
  },
});
