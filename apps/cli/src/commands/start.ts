import type { Command } from 'commander';

/** `spotcheck start`: migrate, seed the demo city if empty, serve the API and web apps. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('start the platform on the embedded database with demo data')
    .action(async () => {
      throw new Error('start: not wired yet');
    });
}
