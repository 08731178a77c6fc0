import { count } from 'drizzle-orm';
import { units, type Database } from '@spotcheck/db';
import { seedDemoCity, type SeedSummary } from '@spotcheck/demo';
import { createDemoAccounts } from './accounts';
import { publishDemoBaseline } from './packs';

/**
 * Completes a demo whose roster is in place: creates the missing demo accounts, publishes the rule
 * packs not yet published and the baseline publications. Every step is idempotent, so a seed or
 * start killed at any point is repaired by running either again.
 */
export async function completeDemo(database: Database): Promise<void> {
  await createDemoAccounts(database);
  await publishDemoBaseline(database);
}

/**
 * Seeds the demo city with progress on stderr, creates the demo accounts and publishes the rule
 * packs. The roster is written in one transaction (all or nothing); when it is already there, the
 * rest is resumed ({@link completeDemo}) instead of refusing.
 */
export async function seedDemo(
  database: Database,
  opts: { units: number; seed: number },
): Promise<SeedSummary | { resumed: true }> {
  const [row] = await database.db.select({ n: count() }).from(units);
  if (row!.n > 0) {
    await completeDemo(database);
    return { resumed: true };
  }
  const tty = process.stderr.isTTY;
  const summary = await seedDemoCity(database, {
    units: opts.units,
    seed: opts.seed,
    onProgress: (written, total) => {
      if (tty)
        process.stderr.write(`\r  units ${written.toLocaleString('en')} / ${total.toLocaleString('en')}`);
      if (tty && written === total) process.stderr.write('\n');
    },
  });
  await completeDemo(database);
  return summary;
}
