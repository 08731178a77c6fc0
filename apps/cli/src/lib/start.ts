import { count } from 'drizzle-orm';
import { units } from '@spotcheck/db';
import { startJobRuntime } from '@spotcheck/api';
import { DEMO_PASSWORD, demoAccounts } from '@spotcheck/demo';
import { assertProductionSecrets, isProduction } from '@spotcheck/api';
import { defaultStaticMounts, startServer } from '@spotcheck/server';
import { activeWitnesses, enableDemoWitnesses, keySecretFor } from '@spotcheck/api';
import { openMigrated } from './database';
import { completeDemo, seedDemo } from './seed';

/** Options of {@link runStart}. */
export interface StartOptions {
  port: number;
  host: string;
  units: number;
  trustProxy?: boolean | number;
  production?: boolean;
}

/** Migrates, seeds the demo city and its logins once, serves, and prints URLs and logins. */
export async function runStart(opts: StartOptions): Promise<void> {
  // Refuse at once, naming the secret, rather than after migrating and seeding.
  if (opts.production || isProduction())
    assertProductionSecrets({ ...process.env, SPOTCHECK_PRODUCTION: '1' });
  const database = await openMigrated();
  const [row] = await database.db.select({ n: count() }).from(units);
  if (row!.n === 0) {
    process.stderr.write(
      `seeding the demo city (${opts.units.toLocaleString('en')} units) into ${database.describe}…\n`,
    );
    await seedDemo(database, { units: opts.units, seed: 20270101 });
  } else {
    // An interrupted earlier start or seed (kill -9) may have left the demo incomplete: finish
    // it. Every step is idempotent, so this is cheap when nothing is missing.
    await completeDemo(database);
  }
  const mounts = defaultStaticMounts();
  const server = await startServer({
    database,
    port: opts.port,
    host: opts.host,
    staticMounts: mounts,
    trustProxy: opts.trustProxy,
    production: opts.production,
  });
  // Outside production two demo witnesses (演示见证人, labelled as such everywhere) co-sign the
  // log's checkpoints in this process, so a demo draw's commitment time is proven (§9.1). A
  // production deployment registers real witnesses, who run `spotcheck witness` themselves.
  const production = opts.production === true || isProduction();
  const witnesses = production
    ? []
    : await enableDemoWitnesses(database.db, { keySecret: keySecretFor(database), production });
  if (production) {
    const demo = (await activeWitnesses(database.db)).filter((w) => w.name.startsWith('demo-'));
    if (demo.length)
      process.stderr.write(
        `warning: demo witnesses are still registered (${demo.map((w) => w.name).join(', ')}); retire them in the admin (日志见证方) and register real ones\n`,
      );
  }
  // Scheduled jobs (log and audit checkpoints, quarterly publication, reminders, blacklist
  // publication…): pg-boss on PostgreSQL, in this process on PGlite.
  const jobs = await startJobRuntime(database);
  // A first checkpoint now, not in a minute.
  void jobs.trigger('log-checkpoint', 'manual', null);
  const label = (prefix: string) => (prefix === '/' ? 'Public portal 公开专栏' : 'Staff admin 管理端');
  const lines = [
    '',
    `Spotcheck 双随机、一公开 is running on ${database.describe}`,
    ...mounts.map((m) => `  ${label(m.prefix).padEnd(20)} ${server.url}${m.prefix}`),
    `  ${'API'.padEnd(20)} ${server.url}/trpc`,
    ...(server.beacon?.demo
      ? [
          `  ${'演示信标 demo beacon'.padEnd(20)} ${server.url}/beacon/${server.beacon.chain}/info (unpinned, a round every 3 s; set SPOTCHECK_DRAND_URL for drand quicknet)`,
        ]
      : server.beacon
        ? [`  ${'drand beacon'.padEnd(20)} chain ${server.beacon.chain}`]
        : []),
    `  ${'Scheduled jobs'.padEnd(20)} ${jobs.mode === 'pg-boss' ? 'pg-boss queue on PostgreSQL' : 'in this process (embedded database)'}`,
    ...(witnesses.length
      ? [
          `  ${'演示见证人 demo witnesses'.padEnd(20)} ${witnesses.map((w) => w.name).join(', ')} co-sign log checkpoints in this process (demo only; register real witnesses in production)`,
        ]
      : []),
    ...(mounts.length < 2
      ? ['  (web apps not built: run `npx turbo run build` first, as `npm start` does)']
      : []),
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
  // A signal handler's promise goes nowhere: a failed shutdown is reported and exits 1 here
  // instead of surfacing as an unhandled rejection.
  const stop = () => {
    (async () => {
      await jobs.stop();
      await server.close();
      await database.close();
    })().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(
          `spotcheck: shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`,
        );
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
