import type { Command } from 'commander';

/** `spotcheck db migrate|seed|reset`. */
export function registerDb(program: Command): void {
  program.command('db').description('database: migrate, seed, reset');
}
