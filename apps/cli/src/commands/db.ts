import type { Command } from 'commander';
import { wholeNumber } from '../lib/options';

// Database modules load inside the actions, so other commands start fast.
const dbModule = () => import('@spotcheck/db');

/** `spotcheck db migrate|seed|reset`. */
export function registerDb(program: Command): void {
  const db = program
    .command('db')
    .description('database: migrate, seed, reset (DATABASE_URL or the embedded PGlite)');

  db.command('migrate')
    .description('apply pending migrations (all in one transaction)')
    .action(async () => {
      const { migrateDatabase, openDatabase } = await dbModule();
      const database = await openDatabase();
      try {
        await migrateDatabase(database);
        process.stdout.write(`migrated ${database.describe}\n`);
      } finally {
        await database.close();
      }
    });

  db.command('seed')
    .description('write the deterministic demo city into an empty database')
    .option('--units <n>', 'units in the target roster', wholeNumber('--units'), 20_000)
    .option('--seed <n>', 'generator seed', wholeNumber('--seed'), 20270101)
    .action(async (opts: { units: number; seed: number }) => {
      const [{ checkUnitCount }, { seedDemo }, { withDatabase }] = await Promise.all([
        import('@spotcheck/demo'),
        import('../lib/seed'),
        import('../lib/database'),
      ]);
      checkUnitCount(opts.units);
      await withDatabase(async (database) => {
        const started = Date.now();
        const summary = await seedDemo(database, opts);
        process.stdout.write(
          `seeded ${database.describe} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(summary)}\n`,
        );
      });
    });

  db.command('reset')
    .description('drop every table and migrate afresh (destroys all data)')
    .option('--yes', 'confirm')
    .action(async (opts: { yes?: boolean }) => {
      if (!opts.yes) throw new Error('db reset destroys all data: add --yes to confirm');
      const { migrateDatabase, openDatabase, resetDatabase } = await dbModule();
      const database = await openDatabase();
      try {
        await resetDatabase(database);
        await migrateDatabase(database);
        process.stdout.write(`reset ${database.describe}\n`);
      } finally {
        await database.close();
      }
    });
}
