import type { Database } from '@spotcheck/db';
import { seedDemoCity, type DemoAccount, type SeedSummary } from '@spotcheck/demo';

/** Seeds the demo city with progress on stderr, then creates the demo accounts. */
export async function seedDemo(
  database: Database,
  opts: { units: number; seed: number },
): Promise<{ summary: SeedSummary; accounts: DemoAccount[] }> {
  const tty = process.stderr.isTTY;
  const result = await seedDemoCity(database, {
    units: opts.units,
    seed: opts.seed,
    onProgress: (written, total) => {
      if (tty) process.stderr.write(`\r  units ${written.toLocaleString('en')} / ${total.toLocaleString('en')}`);
      if (tty && written === total) process.stderr.write('\n');
    },
  });
  return result;
}
