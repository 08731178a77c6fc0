#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerDb } from './commands/db';
import { registerStart } from './commands/start';
import { registerRules } from './commands/rules';
import { findPublishedPacks, findUnitFacts } from './lib/units';
import { registerConformance } from './commands/conformance';
import { registerVerify } from './commands/verify';
import { registerAudit } from './commands/audit';
import { registerTransparency } from './commands/transparency';
import { registerReplacements } from './commands/replacements';

/** The `spotcheck` command. Each command family lives in ./commands/<family>.ts. */
const program = new Command('spotcheck')
  .description('Spotcheck — 双随机、一公开 supervision platform')
  .showHelpAfterError()
  .exitOverride();

registerDb(program);
registerStart(program);
registerRules(program, { lookupUnit: findUnitFacts, publishedPacks: findPublishedPacks });
registerConformance(program);
registerVerify(program);
registerAudit(program);
registerTransparency(program);
registerReplacements(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`spotcheck: ${message}\n`);
  if (process.env.SPOTCHECK_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
}
