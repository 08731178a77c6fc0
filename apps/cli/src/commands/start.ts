import type { Command } from 'commander';
import { wholeNumber } from '../lib/options';

/** `spotcheck start`: migrate, seed the demo city if empty, serve the API and web apps. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('start the platform (embedded PGlite unless DATABASE_URL is set) with demo data')
    .option('--port <n>', 'HTTP port', wholeNumber('--port'), Number(process.env.PORT ?? 3000))
    .option('--host <host>', 'interface to listen on', process.env.HOST ?? '127.0.0.1')
    .option('--units <n>', 'units in the demo roster when seeding', wholeNumber('--units'), 20_000)
    .option(
      '--trust-proxy',
      'trust X-Forwarded-For/-Proto/-Host (behind a reverse proxy; or SPOTCHECK_TRUST_PROXY=1)',
    )
    .option('--production', 'production mode: secrets required, Secure cookies (or NODE_ENV=production)')
    .action(
      async (opts: {
        port: number;
        host: string;
        units: number;
        trustProxy?: boolean;
        production?: boolean;
      }) => {
        if (opts.production) process.env.SPOTCHECK_PRODUCTION = '1';
        const { runStart } = await import('../lib/start');
        await runStart(opts);
      },
    );
}
