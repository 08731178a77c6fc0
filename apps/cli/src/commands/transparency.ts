import type { Command } from 'commander';
import { runMonitor, runWitness } from '../lib/transparency';

/**
 * `spotcheck witness` and `spotcheck monitor`: anyone can watch the public transparency log of a
 * portal. A witness co-signs checkpoints it finds consistent and on time; a monitor checks every
 * entry and reports removed, edited or back-dated publications (exit 1).
 */
export function registerTransparency(program: Command): void {
  program
    .command('witness')
    .description(
      'co-sign the latest log checkpoint of a portal after checking its consistency and time (±30 s)',
    )
    .requiredOption('--portal <url>', 'the portal, e.g. https://portal.example.gov.cn/')
    .requiredOption('--key <file>', 'witness key file (made on first run; keep it secret)')
    .option('--state <file>', 'what this witness saw before (default <key>.state.json)')
    .option('--name <name>', 'key name for a new key (printable ASCII, no spaces)', 'witness')
    .option('--follow <seconds>', 'keep running, one round every <seconds>')
    .action(async (opts: { portal: string; key: string; state?: string; name: string; follow?: string }) => {
      const round = async () => {
        try {
          const r = await runWitness({
            portal: opts.portal,
            keyFile: opts.key,
            stateFile: opts.state,
            name: opts.name,
          });
          process.stdout.write(r.lines.join('\n') + '\n');
          if (!r.ok) process.exitCode = 1;
        } catch (e) {
          process.stderr.write(`spotcheck witness: ${(e as Error).message}\n`);
          process.exitCode = 1;
        }
      };
      await round();
      if (!opts.follow) return;
      const every = Number(opts.follow);
      if (!Number.isFinite(every) || every < 1) throw new Error('--follow must be a number of seconds ≥ 1');
      for (;;) {
        await new Promise((r) => setTimeout(r, every * 1000));
        await round();
      }
    });

  program
    .command('monitor')
    .description(
      'check every entry of a portal’s transparency log; exit 1 on a removed, edited or back-dated publication',
    )
    .argument('<portal-url>', 'the portal, e.g. https://portal.example.gov.cn/')
    .option('--state <file>', 'checkpoints and entries seen before', '.spotcheck-monitor.json')
    .action(async (portal: string, opts: { state: string }) => {
      const r = await runMonitor({ portal, stateFile: opts.state });
      process.stdout.write(r.lines.join('\n') + '\n');
      if (!r.ok) process.exitCode = 1;
    });
}
