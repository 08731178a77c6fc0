import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { nobleHasher, verifyBundle, type DrawHasher } from '@spotcheck/core';
import { nodeCryptoHasher } from '@spotcheck/core/node';

/** Reads and parses a JSON file, or explains in one line why it cannot. */
async function readJson(
  path: string,
  what: string,
): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return {
      ok: false,
      error: `cannot read ${what} ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`,
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: `${what} ${path} is not valid JSON: ${(err as Error).message}` };
  }
}

/**
 * `spotcheck verify <bundle.json>`: recomputes every digest and the whole result of a published
 * sr-draw/v1 bundle. Exit 0 when it verifies, 1 on a mismatch, 2 when the files cannot be read.
 */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify a published sr-draw/v1 bundle (recompute digests and the result)')
    .argument('<bundle>', 'bundle JSON file')
    .option('--frame <file>', 'frame rows published as a separate file')
    .option('--inspectors <file>', 'inspector rows published as a separate file')
    .option(
      '--backend <name>',
      'hashing backend: noble (pure JS, as in browsers; the faster one here) or node (node:crypto)',
      'noble',
    )
    .action(async (file: string, opts: { frame?: string; inspectors?: string; backend: string }) => {
      const fail = (message: string): void => {
        process.stderr.write(`spotcheck verify: ${message}\n`);
        process.exitCode = 2;
      };
      const hashers: Record<string, DrawHasher> = { node: nodeCryptoHasher, noble: nobleHasher };
      const hasher = hashers[opts.backend];
      if (!hasher) return fail(`unknown backend "${opts.backend}" (expected node or noble)`);
      const read = await readJson(file, 'bundle');
      if (!read.ok) return fail(read.error);
      const bundle = read.value;
      if (bundle === null || typeof bundle !== 'object' || Array.isArray(bundle))
        return fail(`bundle ${file} is not a JSON object`);
      const parts = bundle as Record<string, unknown>;
      for (const [key, path] of [
        ['frame', opts.frame],
        ['inspectors', opts.inspectors],
      ] as const) {
        if (!path) continue;
        const extra = await readJson(path, key);
        if (!extra.ok) return fail(extra.error);
        parts[key] = extra.value;
      }
      const started = performance.now();
      const outcome = verifyBundle(bundle, { hasher });
      const ms = Math.round(performance.now() - started);
      if (!outcome.ok) {
        process.stdout.write(`NOT verified: ${outcome.reason}\n`);
        process.exitCode = 1;
        return;
      }
      const s = outcome.summary;
      process.stdout.write(
        [
          'verified',
          `  plan              ${s.plan}`,
          `  frame             ${s.units} units in ${s.strata} strata`,
          `  inspectors        ${s.inspectors}`,
          `  selected          ${s.selected}`,
          `  overloads         ${s.overloads}`,
          `  commitmentDigest  ${s.commitmentDigest}`,
          `  resultDigest      ${s.resultDigest}`,
          `  recomputed in     ${ms} ms`,
          '',
        ].join('\n'),
      );
    });
}
