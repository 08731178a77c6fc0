/**
 * The only I/O of packages/rules: reading pack directories from disk into in-memory
 * `PackSource`s, and loading the plugins `rules/plugins.json` lists. Everything else
 * (validation, composition, evaluation) is pure.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RulesPlugin } from './plugin';
import { createRuntime, type Runtime } from './runtime';
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

/** The plugin list `rules/plugins.json`: package names or paths relative to the file. */
export interface PluginConfig {
  readonly plugins: readonly string[];
}

function isPlugin(v: unknown): v is RulesPlugin {
  const p = v as RulesPlugin | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.name === 'string' &&
    Array.isArray(p.facts) &&
    Array.isArray(p.operators)
  );
}

/**
 * Loads the plugins a config file lists (each module's default export, or its `plugin` export,
 * made with `definePlugin`). Package names resolve from the config file's directory, so the
 * repository (or deployment) root's dependencies decide what can be listed. A missing config file
 * means no plugins; a listed plugin that cannot be loaded is an error naming it.
 */
export async function loadPlugins(configPath: string): Promise<RulesPlugin[]> {
  if (!existsSync(configPath)) return [];
  let config: PluginConfig;
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8')) as PluginConfig;
  } catch (err) {
    throw new Error(`${configPath}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (!Array.isArray(config.plugins) || config.plugins.some((p) => typeof p !== 'string'))
    throw new Error(`${configPath} $.plugins: must be a list of package names or relative paths`);
  const require = createRequire(resolve(configPath));
  const plugins: RulesPlugin[] = [];
  for (const [i, name] of config.plugins.entries()) {
    let mod: Record<string, unknown>;
    try {
      const path = name.startsWith('.') ? resolve(dirname(configPath), name) : require.resolve(name);
      mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${configPath} $.plugins[${i}]: cannot load "${name}": ${(err as Error).message}`, {
        cause: err,
      });
    }
    const plugin = mod.default ?? mod.plugin;
    if (!isPlugin(plugin))
      throw new Error(
        `${configPath} $.plugins[${i}]: "${name}" exports no plugin (export default definePlugin({ … }))`,
      );
    plugins.push(plugin);
  }
  return plugins;
}

/** The runtime of the built-in plugin plus the plugins `configPath` lists. */
export async function loadRuntime(configPath: string): Promise<Runtime> {
  return createRuntime({ plugins: await loadPlugins(configPath) });
}

/** `rules/plugins.json` under a project root. */
export function pluginConfigPath(projectRoot: string): string {
  return join(projectRoot, 'rules', 'plugins.json');
}
