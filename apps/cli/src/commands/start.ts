import type { Command } from 'commander';
import { count } from 'drizzle-orm';
import { units, users } from '@spotcheck/db';
import { DEMO_PASSWORD, demoAccounts } from '@spotcheck/demo';
import { startServer } from '@spotcheck/server';
import { createDemoAccounts } from '../lib/accounts';
import { publishRulePacks } from '../lib/packs';
import { openMigrated, wholeNumber } from '../lib/database';
import { seedDemo } from '../lib/seed';

/** `spotcheck start`: migrate, seed the demo city if empty, serve the API and web apps. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('start the platform (embedded PGlite unless DATABASE_URL is set) with demo data')
    .option('--port <n>', 'HTTP port', wholeNumber('--port'), Number(process.env.PORT ?? 3000))
    .option('--host <host>', 'interface to listen on', process.env.HOST ?? '127.0.0.1')
    .option('--units <n>', 'units in the demo roster when seeding', wholeNumber('--units'), 20_000)
    .action(async (opts: { port: number; host: string; units: number }) => {
      const database = await openMigrated();
      const [row] = await database.db.select({ n: count() }).from(units);
      if (row!.n === 0) {
        process.stderr.write(
          `seeding the demo city (${opts.units.toLocaleString('en')} units) into ${database.describe}…\n`,
        );
        await seedDemo(database, { units: opts.units, seed: 20270101 });
      }
      // A roster seeded by an interrupted earlier start may still lack its demo logins.
      const [userRow] = await database.db.select({ n: count() }).from(users);
      if (userRow!.n === 0) {
        await createDemoAccounts(database);
        await publishRulePacks(database);
      }
      const server = await startServer({ database, port: opts.port, host: opts.host });
      const lines = [
        '',
        `Spotcheck 双随机、一公开 is running on ${database.describe}`,
        `  API     ${server.url}/trpc`,
        '',
        `Demo logins (password ${DEMO_PASSWORD} for all):`,
        ...demoAccounts({ binhai: '', jinghai: '' }).map(
          (a) =>
            `  ${a.username.padEnd(18)} ${a.displayName} — ${a.roles.map((r) => `${r.role}@${r.bureauCode}`).join(', ')}`,
        ),
        '',
        'Press Ctrl+C to stop.',
      ];
      process.stdout.write(lines.join('\n') + '\n');
      const stop = async () => {
        await server.close();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
