/**
 * The only I/O of packages/rules: reading pack directories from disk into in-memory
 * `PackSource`s. Everything else (validation, composition, evaluation) is pure.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PackSource } from './types';

/**
 * Reads one pack directory: pack.json, rules/*.json and cases/*.json as raw text (parsed and
 * validated later, so syntax errors are reported with the file name). `display` is the origin
 * shown in issues (default: the directory).
 */
export function readPackDir(dir: string, display = dir): PackSource {
  const files: Record<string, string> = {};
  const add = (name: string) => {
    files[name] = readFileSync(join(dir, name), 'utf8');
  };
  if (existsSync(join(dir, 'pack.json'))) add('pack.json');
  for (const sub of ['rules', 'cases']) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) if (f.endsWith('.json')) add(`${sub}/${f}`);
  }
  return { origin: display, files };
}

/**
 * Finds every pack under `root` (each directory holding a pack.json), e.g. rules/tianjin/city
 * and rules/tianjin/binhai. Origins are shown relative to `base` (default: the current directory).
 */
export function discoverPacks(root: string, base = process.cwd()): PackSource[] {
  const out: PackSource[] = [];
  const walk = (dir: string) => {
    if (existsSync(join(dir, 'pack.json'))) {
      out.push(readPackDir(dir, relative(base, dir) || '.'));
      return;
    }
    for (const entry of readdirSync(dir).sort()) {
      const p = join(dir, entry);
      if (!entry.startsWith('.') && statSync(p).isDirectory()) walk(p);
    }
  };
  if (!existsSync(root)) throw new Error(`no rules directory at ${root}`);
  walk(root);
  return out;
}
