import type { Database } from '@spotcheck/db';
import { seedDemoCity, type SeedSummary } from '@spotcheck/demo';
import { createDemoAccounts } from './accounts';
import { publishDemoBaseline } from './packs';

/** Seeds the demo city with progress on stderr, creates the demo accounts and publishes the rule packs. */
export async function seedDemo(
  database: Database,
  opts: { units: number; seed: number },
): Promise<SeedSummary> {
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
  await createDemoAccounts(database);
  await publishDemoBaseline(database);
  return summary;
}
