// I/O helpers of `spotcheck rules`: pack sets from a directory, a JSON bundle or a git revision,
// and unit rosters from JSONL files or the deterministic generator.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateUnits, type PackSource } from '@spotcheck/rules';
import { discoverPacks } from '@spotcheck/rules/load';

/**
 * The plugin list for a rules reference: `<dir>/plugins.json` when `ref` is a directory holding
 * one, else `./rules/plugins.json` (a bundle or git revision uses the working tree's plugins).
 */
export function pluginConfigFor(ref: string, cwd = process.cwd()): string {
  const path = resolve(cwd, ref);
  if (existsSync(join(path, 'plugins.json'))) return join(path, 'plugins.json');
  return resolve(cwd, 'rules', 'plugins.json');
}

/**
 * Pack sources for a version reference: a directory (a rules root), a `.json` bundle (an array
 * of `{origin, files}` — the in-memory form the database stores), or a git revision whose
 * `rules/` tree is read with `git show`.
 */
export function packSetFrom(ref: string, cwd = process.cwd()): PackSource[] {
  const path = resolve(cwd, ref);
  if (existsSync(path) && statSync(path).isDirectory()) return discoverPacks(path, cwd);
  if (existsSync(path) && ref.endsWith('.json')) {
    const json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    const list = Array.isArray(json) ? json : (json as { packs?: unknown }).packs;
    if (!Array.isArray(list)) throw new Error(`${ref}: expected an array of packs or {"packs": [...]}`);
    return list as PackSource[];
  }
  return packSetFromGit(ref, cwd);
}

function packSetFromGit(rev: string, cwd: string): PackSource[] {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  let names: string[];
  try {
    names = git('ls-tree', '-r', '--name-only', rev, '--', 'rules/').split('\n').filter(Boolean);
  } catch {
    throw new Error(`"${rev}" is neither a directory, a .json bundle nor a git revision`);
  }
  const packDirs = names.filter((n) => n.endsWith('/pack.json')).map((n) => n.slice(0, -'/pack.json'.length));
  return packDirs.map((dir) => {
    const files: Record<string, string> = {};
    for (const n of names) {
      const rel = n.slice(dir.length + 1);
      if (n.startsWith(`${dir}/`) && /^(pack\.json|rules\/[^/]+\.json|cases\/[^/]+\.json)$/.test(rel)) {
        files[rel] = git('show', `${rev}:${n}`);
      }
    }
    return { origin: `${rev}:${dir}`, files };
  });
}

/** Units from a JSONL file (one UnitFacts object per line), or `count` generated units. */
export function rosterFrom(options: {
  units?: string;
  generate?: string;
  seed?: string;
  bureau?: string;
}): unknown[] {
  if (options.units) {
    const text = readFileSync(options.units, 'utf8');
    return text.split('\n').flatMap((line, i) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (err) {
        throw new Error(`${options.units}:${i + 1}: not JSON: ${(err as Error).message}`, { cause: err });
      }
    });
  }
  const count = Number(options.generate ?? '10000');
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`--generate needs a positive whole number, not ${options.generate}`);
  return generateUnits(count, {
    seed: Number(options.seed ?? '1'),
    ...(options.bureau ? { bureaus: [options.bureau] } : {}),
  });
}

/** Reads unit facts from a JSON object, a JSON array or JSONL, and finds the unit with `unitId`. */
export function unitFromFactsFile(file: string, unitId: string): unknown {
  const text = readFileSync(file, 'utf8').trim();
  let units: unknown[];
  try {
    const json = JSON.parse(text) as unknown;
    units = Array.isArray(json) ? json : [json];
  } catch {
    units = text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as unknown);
  }
  return units.find(
    (u) => typeof u === 'object' && u !== null && (u as { unitId?: unknown }).unitId === unitId,
  );
}

/** A progress reporter on stderr (for long runs). */
export function progress(label: string): (done: number, total: number) => void {
  return (done, total) =>
    process.stderr.write(`${label}: ${done.toLocaleString('en')}/${total.toLocaleString('en')} units\n`);
}
