import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  parseStrictJson,
  verifyBundleV2,
  verifyReplacementsV2,
  type ReplacementBundle,
} from '@spotcheck/core';

/** Reads a strict JSON file, or exits 2 naming it. */
async function readStrict(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ReadError(`cannot read ${what} ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  try {
    return parseStrictJson(text, `${what} ${path}`);
  } catch (err) {
    throw new ReadError(`${what} ${path} is not valid strict JSON: ${(err as Error).message}`);
  }
}

class ReadError extends Error {}

/**
 * `spotcheck verify-replacements <bundle.json> <replacements.json> [--keys registry.json]`
 * (sr-draw/v2 §9.6): verifies the draw first (every line of `verify`, the result must recompute),
 * then each published replacement record in order — the replacement must be the next eligible
 * inspector of the unit's committed shuffle. One line per record; exit 0 when all hold, 1 when any
 * fails, 2 when a file cannot be read.
 */
export function registerReplacements(program: Command): void {
  program
    .command('verify-replacements')
    .description('verify the team member replacements published for an sr-draw/v2 draw (§9.6)')
    .argument('<bundle>', 'the draw bundle JSON file')
    .argument('<replacements>', 'the JSON array of replacement records, in order')
    .option('--keys <registry>', "the bureau's published key registry, to check the sign-off")
    .action(async (bundleFile: string, recordsFile: string, opts: { keys?: string }) => {
      let bundle: unknown;
      let records: unknown;
      let registry: unknown;
      try {
        bundle = await readStrict(bundleFile, 'bundle');
        records = await readStrict(recordsFile, 'replacements');
        if (opts.keys) registry = await readStrict(opts.keys, 'key registry');
      } catch (err) {
        if (!(err instanceof ReadError)) throw err;
        process.stderr.write(`spotcheck verify-replacements: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      const draw = verifyBundleV2(bundle, { registry });
      const lines = [`sr-draw/v2 bundle ${bundleFile}`];
      const result = draw.checks.find((c) => c.id === 'result');
      if (!draw.ok || result?.status !== 'pass') {
        for (const c of draw.checks.filter((x) => x.status === 'fail'))
          lines.push(`  FAIL  ${c.id.padEnd(26)}  ${c.message}`);
        lines.push('NOT verified: the draw itself does not verify, so its replacements cannot be checked');
        process.stdout.write(`${lines.join('\n')}\n`);
        process.exitCode = 1;
        return;
      }
      lines.push(
        `  PASS  ${'draw'.padEnd(26)}  the draw verifies (${draw.checks.length} checks; run verify for each line)`,
      );
      const report = verifyReplacementsV2(bundle as ReplacementBundle, records);
      for (const c of report.checks)
        lines.push(`  ${c.status.toUpperCase().padEnd(4)}  ${c.id.padEnd(26)}  ${c.message}`);
      const failed = report.checks.filter((c) => c.status === 'fail').length;
      lines.push(report.ok ? 'replacements verified' : `NOT verified: ${failed} replacement record failed`);
      process.stdout.write(`${lines.join('\n')}\n`);
      process.exitCode = report.ok ? 0 : 1;
    });
}
