/**
 * The roster's counts as a job: the statement triggers on `units` append signed deltas to
 * `unit_counts` (so roster writes never wait for each other over them); every ten minutes the
 * rows of each key are folded into one, so the roster list's total stays a sum over a few hundred rows.
 */
import { sql } from 'drizzle-orm';
import { executeRows } from '../lib/db';
import { registerJob } from './registry';

/** Every ten minutes: folds the count deltas of each (bureau, industry, risk grade, status). */
export const unitCountsCompactJob = registerJob({
  name: 'unit-counts-compact',
  cron: '*/10 * * * *',
  description:
    "Folds the roster counts' appended deltas into one row per bureau, industry, risk grade and status",
  async run({ db }) {
    const rows = await executeRows<{ folded: number }>(db, sql`SELECT unit_counts_compact() AS folded`);
    return { folded: Number(rows[0]?.folded ?? 0) };
  },
});
