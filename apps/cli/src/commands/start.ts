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
      '--trust-proxy [proxies]',
      'behind reverse proxies (default 1): the client address is that many entries from the right of X-Forwarded-For (or SPOTCHECK_TRUST_PROXY=<proxies>)',
      wholeNumber('--trust-proxy'),
    )
    .option('--production', 'production mode: secrets required, Secure cookies (or NODE_ENV=production)')
    .action(
      async (opts: {
        port: number;
        host: string;
        units: number;
        trustProxy?: boolean | number;
        production?: boolean;
      }) => {
        if (opts.production) process.env.SPOTCHECK_PRODUCTION = '1';
        const { runStart } = await import('../lib/start');
        await runStart(opts);
      },
    );
}
