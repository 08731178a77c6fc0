import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  nobleHasher,
  parseStrictJson,
  SR_DRAW_V2,
  verifyBundle,
  verifyBundleV2,
  verifySealedVoidV2,
  verifyVoidedBundleV2,
  type DrawHasher,
  type VerificationReport,
  type VerifyStepV2,
} from '@spotcheck/core';
import { nodeCryptoHasher } from '@spotcheck/core/node';
import {
  commitmentInclusionVerifier,
  registryInclusionVerifier,
  signOffInclusionVerifier,
  type WitnessKey,
} from '@spotcheck/core/log';

/**
 * Reads and parses a JSON file, or explains in one line why it cannot. `strict` refuses duplicate
 * keys (sr-draw/v2 files: `JSON.parse` would silently keep the last one).
 */
async function readJsonFile(
  path: string,
  what: string,
  strict: boolean,
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
    return { ok: true, value: strict ? parseStrictJson(text, `${what} ${path}`) : JSON.parse(text) };
  } catch (err) {
    return {
      ok: false,
      error: `${what} ${path} is not valid ${strict ? 'strict ' : ''}JSON: ${(err as Error).message}`,
    };
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

interface VerifyOptions {
  frame?: string;
  inspectors?: string;
  excluded?: string;
  experts?: string;
  keys?: string;
  witnesses?: string;
  production?: boolean;
  backend: string;
  /** Steps on stderr as they begin (default: when stderr is a terminal). */
  progress?: boolean;
}

/** What each step of a v2 verification does, as the progress lines say it. */
const STEP_LINES: Record<VerifyStepV2, string> = {
  parse: 'checking the bundle is well formed',
  digests: 'hashing the commitment, frame, exclusions and people',
  sources: 'checking the randomness sources and the commitment time',
  feasibility: 'checking the plan was feasible',
  result: 'recomputing the draw',
  signOff: 'checking the sign-off against the key registry',
};

/** Writes progress lines on stderr (`--progress`, or stderr a terminal), each with the time since `started`. */
function progressLines(opts: VerifyOptions, started: number): ((line: string) => void) | null {
  if (!(opts.progress ?? process.stderr.isTTY)) return null;
  return (line) =>
    process.stderr.write(
      `spotcheck verify: ${line} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
    );
}

/**
 * What a v2 file holds: a bare bundle, or the portal's download `{bundle, registry}` (optionally
 * with `registryInclusion`, `registryHistory` and `witnesses`), or a draw or void publication's
 * content (the same keys and more). The registry and witnesses come beside the bundle, never from inside it.
 */
interface V2Package {
  bundle: unknown;
  registry?: unknown;
  registryInclusion?: unknown;
  registryHistory?: unknown;
  witnesses?: unknown;
  /** §9.7: the sign-off's signature record in its witnessed checkpoint, and the bureau's newest registry. */
  signOffInclusion?: unknown;
  currentRegistry?: unknown;
  currentRegistryInclusion?: unknown;
  /** Every earlier version of the bureau's registry in log order, with its inclusion. */
  currentRegistryHistory?: unknown;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Splits a file's value into the bundle and what came beside it. */
function unpack(value: unknown): V2Package {
  if (isObject(value) && isObject(value.bundle)) {
    const has = (k: string) => value[k] !== undefined && value[k] !== null;
    return {
      bundle: value.bundle,
      ...(has('registry') ? { registry: value.registry } : {}),
      ...(has('registryInclusion') ? { registryInclusion: value.registryInclusion } : {}),
      ...(has('registryHistory') ? { registryHistory: value.registryHistory } : {}),
      ...(has('witnesses') ? { witnesses: value.witnesses } : {}),
      ...(has('signOffInclusion') ? { signOffInclusion: value.signOffInclusion } : {}),
      ...(has('currentRegistry') ? { currentRegistry: value.currentRegistry } : {}),
      ...(has('currentRegistryInclusion')
        ? { currentRegistryInclusion: value.currentRegistryInclusion }
        : {}),
      ...(has('currentRegistryHistory') ? { currentRegistryHistory: value.currentRegistryHistory } : {}),
    };
  }
  return { bundle: value };
}

/**
 * The trusted witnesses from a file or the package: the city's `log-witnesses` publication
 * content (`{spec, witnesses:[…]}`) or a bare list of `{name, publicKey, label?}`.
 */
function readWitnesses(
  x: unknown,
  where: string,
): { ok: true; value: WitnessKey[] } | { ok: false; error: string } {
  const list = isObject(x) && Array.isArray(x.witnesses) ? x.witnesses : x;
  if (!Array.isArray(list)) return { ok: false, error: `${where}: expected a list of witnesses` };
  const out: WitnessKey[] = [];
  for (const [i, w] of list.entries()) {
    if (!isObject(w) || typeof w.name !== 'string' || typeof w.publicKey !== 'string')
      return { ok: false, error: `${where}: witness ${i} needs a name and a publicKey` };
    out.push({
      name: w.name,
      publicKey: w.publicKey,
      ...(typeof w.label === 'string' ? { label: w.label } : {}),
    });
  }
  return { ok: true, value: out };
}

/** Reads a file a bundle is verified with, or the whole v2 package; null after reporting a read error. */
async function readPart(path: string, what: string, strict: boolean): Promise<unknown> {
  const r = await readJsonFile(path, what, strict);
  if (r.ok) return r.value;
  process.stderr.write(`spotcheck verify: ${r.error}\n`);
  process.exitCode = 2;
  return null;
}

/** Adds the row lists published as separate files (`--frame`, …) to a bundle; false after a read error. */
async function addSeparateParts(
  parts: Record<string, unknown>,
  opts: VerifyOptions,
  keys: readonly ('frame' | 'excluded' | 'inspectors' | 'experts')[],
  strict: boolean,
): Promise<boolean> {
  for (const key of keys) {
    const path = opts[key];
    if (!path) continue;
    const extra = await readPart(path, key, strict);
    if (extra === null) return false;
    parts[key] = extra;
  }
  return true;
}

/**
 * The sr-draw/v2 path: strict parsing of every file; the registry from `--keys` or beside the
 * bundle; the commitment's and the registry's log inclusion checked against the witnesses from
 * `--witnesses` or beside the bundle; then the report.
 */
async function verifyV2(file: string, opts: VerifyOptions, hasher: DrawHasher): Promise<void> {
  const started = performance.now();
  const progress = progressLines(opts, started);
  progress?.(`reading ${file} strictly (duplicate keys refused)`);
  const read = await readJsonFile(file, 'bundle', true);
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
  const pkg = unpack(read.value);
  const parts = pkg.bundle as Record<string, unknown>;
  if (!(await addSeparateParts(parts, opts, ['frame', 'excluded', 'inspectors', 'experts'], true))) return;
  // A covert plan's void before the plan is executed (R10): the signed void and digests, its
  // registry among them rather than beside a bundle.
  const sealedVoid = parts.sealed === true && Object.hasOwn(parts, 'void');
  const beside = sealedVoid ? unpack({ ...parts, bundle: {} }) : pkg;
  let registry = beside.registry;
  let registryInclusion = beside.registryInclusion;
  const registryHistory = beside.registryHistory;
  if (opts.keys) {
    const keys = await readPart(opts.keys, 'key registry', true);
    if (keys === null) return;
    // A registry given on the command line replaces the one beside the bundle, and its proof.
    if (JSON.stringify(keys) !== JSON.stringify(registry)) registryInclusion = undefined;
    registry = keys;
  }
  let witnessSource = pkg.witnesses;
  if (opts.witnesses) {
    witnessSource = await readPart(opts.witnesses, 'witness registry', true);
    if (witnessSource === null) return;
  }
  let witnesses: WitnessKey[] | undefined;
  if (witnessSource !== undefined) {
    const w = readWitnesses(
      witnessSource,
      opts.witnesses ? `witness registry ${opts.witnesses}` : `witnesses in ${file}`,
    );
    if (!w.ok) {
      process.stderr.write(`spotcheck verify: ${w.error}\n`);
      process.exitCode = 2;
      return;
    }
    witnesses = w.value;
  }
  // A voided attempt's bundle (§9.4) carries `void` instead of a sign-off.
  const verify = sealedVoid
    ? verifySealedVoidV2
    : Object.hasOwn(parts, 'void')
      ? verifyVoidedBundleV2
      : verifyBundleV2;
  const report = verify(parts, {
    registry,
    production: opts.production === true,
    hasher,
    ...(progress ? { onStep: (step: VerifyStepV2) => progress(STEP_LINES[step]) } : {}),
    ...(witnesses
      ? {
          verifyInclusion: commitmentInclusionVerifier(witnesses),
          registryInclusion,
          registryHistory,
          verifyRegistryInclusion: registryInclusionVerifier(witnesses),
          // §9.7 from the package: the key at the sign-off's log time, against the newest registry.
          ...(pkg.signOffInclusion !== undefined || pkg.currentRegistry !== undefined
            ? {
                verifySignOffInclusion: signOffInclusionVerifier(witnesses),
                ...(pkg.signOffInclusion !== undefined ? { signOffInclusion: pkg.signOffInclusion } : {}),
                ...(pkg.currentRegistry !== undefined
                  ? {
                      currentRegistry: pkg.currentRegistry,
                      currentRegistryInclusion: pkg.currentRegistryInclusion,
                      ...(pkg.currentRegistryHistory !== undefined
                        ? { currentRegistryHistory: pkg.currentRegistryHistory }
                        : {}),
                    }
                  : {}),
              }
            : {}),
        }
      : {}),
  });
  printReport(file, report, Math.round(performance.now() - started));
  process.exitCode = report.ok ? 0 : 1;
}

/**
 * `spotcheck verify <bundle.json> [--keys registry.json] [--witnesses witnesses.json]`: recomputes
 * every digest and the whole result of a published bundle; the file may also be the portal's
 * download `{bundle, registry}` (its registry, registry proof and witnesses are then used). sr-draw/v1 prints a summary as it always has; sr-draw/v2 prints one
 * line per check (SPEC §II.6, §II.8.13). Exit 0 when it verifies, 1 when a check fails, 2 when the
 * files cannot be read.
 */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'verify a published sr-draw/v1 or sr-draw/v2 bundle, or a voided v2 attempt (digests, sources, result, sign-off or void)',
    )
    .argument('<bundle>', 'bundle JSON file')
    .option('--frame <file>', 'frame rows published as a separate file')
    .option('--inspectors <file>', 'inspector rows published as a separate file')
    .option('--excluded <file>', 'v2: excluded rows published as a separate file')
    .option('--experts <file>', 'v2: expert rows published as a separate file')
    .option(
      '--keys <registry>',
      "v2: the bureau's published key registry, to check the sign-off (default: the registry beside the bundle in a {bundle, registry} file)",
    )
    .option(
      '--witnesses <file>',
      "v2: the city's published witness registry, to prove the commitment and registry times from the log (default: the witnesses beside the bundle)",
    )
    .option('--production', 'v2: refuse unpinned drand chains (demo beacons)')
    .option('--progress', 'v2: say on stderr which step runs (default when stderr is a terminal)')
    .option('--no-progress', 'v2: no progress lines')
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
      const value = await readPart(file, 'bundle', false);
      if (value === null) return;
      const { bundle } = unpack(value);
      if ((bundle as { algorithm?: unknown } | null)?.algorithm === SR_DRAW_V2)
        return verifyV2(file, opts, hasher);
      if (!isObject(bundle)) return fail(`bundle ${file} is not a JSON object`);
      if (!(await addSeparateParts(bundle, opts, ['frame', 'inspectors'], false))) return;
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
