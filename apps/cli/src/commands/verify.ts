import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  nobleHasher,
  parseStrictJson,
  SR_DRAW_V2,
  verifyBundle,
  verifyBundleV2,
  type DrawHasher,
  type VerificationReport,
} from '@spotcheck/core';
import { nodeCryptoHasher } from '@spotcheck/core/node';

/** Reads and parses a JSON file (strictly: duplicate keys are errors), or explains in one line why it cannot. */
async function readStrictJson(
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
    return { ok: true, value: parseStrictJson(text, `${what} ${path}`) };
  } catch (err) {
    return { ok: false, error: `${what} ${path} is not valid strict JSON: ${(err as Error).message}` };
  }
}

/** Prints a v2 report: one line per check, then the verdict. */
function printReport(file: string, report: VerificationReport, ms: number): void {
  const lines = [`${report.algorithm} bundle ${file}`];
  for (const c of report.checks)
    lines.push(`  ${c.status.toUpperCase().padEnd(4)}  ${c.id.padEnd(26)}  ${c.message}`);
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  lines.push(
    report.ok
      ? `verified${warned ? ` with ${warned} warning${warned === 1 ? '' : 's'}` : ''} (recomputed in ${ms} ms)`
      : `NOT verified: ${failed} check${failed === 1 ? '' : 's'} failed`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

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

interface VerifyOptions {
  frame?: string;
  inspectors?: string;
  excluded?: string;
  experts?: string;
  keys?: string;
  production?: boolean;
  backend: string;
}

/** The sr-draw/v2 path: strict parsing of every file, then the report. */
async function verifyV2(file: string, opts: VerifyOptions, hasher: DrawHasher): Promise<void> {
  const fail = (message: string): void => {
    process.stderr.write(`spotcheck verify: ${message}\n`);
    process.exitCode = 2;
  };
  const started = performance.now();
  const read = await readStrictJson(file, 'bundle');
  if (!read.ok) {
    // Duplicate keys and other strictness failures are a verdict on the bundle, not a read error.
    printReport(
      file,
      {
        algorithm: SR_DRAW_V2,
        ok: false,
        checks: [{ id: 'parse', status: 'fail', params: {}, message: read.error }],
      },
      0,
    );
    process.exitCode = 1;
    return;
  }
  const parts = read.value as Record<string, unknown>;
  for (const key of ['frame', 'excluded', 'inspectors', 'experts'] as const) {
    const path = opts[key];
    if (!path) continue;
    const extra = await readStrictJson(path, key);
    if (!extra.ok) return fail(extra.error);
    parts[key] = extra.value;
  }
  let registry: unknown;
  if (opts.keys) {
    const keys = await readStrictJson(opts.keys, 'key registry');
    if (!keys.ok) return fail(keys.error);
    registry = keys.value;
  }
  const report = verifyBundleV2(parts, { registry, production: opts.production === true, hasher });
  printReport(file, report, Math.round(performance.now() - started));
  process.exitCode = report.ok ? 0 : 1;
}

/**
 * `spotcheck verify <bundle.json> [--keys registry.json]`: recomputes every digest and the whole
 * result of a published bundle. sr-draw/v1 prints a summary as it always has; sr-draw/v2 prints one
 * line per check (SPEC §II.6, §II.8.13). Exit 0 when it verifies, 1 when a check fails, 2 when the
 * files cannot be read.
 */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify a published sr-draw/v1 or sr-draw/v2 bundle (digests, sources, result, sign-off)')
    .argument('<bundle>', 'bundle JSON file')
    .option('--frame <file>', 'frame rows published as a separate file')
    .option('--inspectors <file>', 'inspector rows published as a separate file')
    .option('--excluded <file>', 'v2: excluded rows published as a separate file')
    .option('--experts <file>', 'v2: expert rows published as a separate file')
    .option('--keys <registry>', "v2: the bureau's published key registry, to check the sign-off")
    .option('--production', 'v2: refuse unpinned drand chains (demo beacons)')
    .option(
      '--backend <name>',
      'hashing backend: noble (pure JS, as in browsers; the faster one here) or node (node:crypto)',
      'noble',
    )
    .action(async (file: string, opts: VerifyOptions) => {
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
      if ((bundle as { algorithm?: unknown } | null)?.algorithm === SR_DRAW_V2)
        return verifyV2(file, opts, hasher);
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
