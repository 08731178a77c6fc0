/**
 * Proposes the next version of a pack from what changed (semver by kind of change), so authors
 * never bump `pack.json` by hand. Pure.
 */
import { canonicalJson } from './digest';
import type { PackSource } from './types';

/** What kind of change a new version is. */
export type ChangeKind = 'major' | 'minor' | 'patch' | 'none';

/** The rules that differ between two versions of a pack, by rule name. */
export interface RuleChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

function parsed(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

function rulesOf(source: PackSource): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, v] of Object.entries(source.files)) {
    const m = /^rules\/([^/]+)\.json$/.exec(path);
    if (!m) continue;
    const rule = parsed(v) as Record<string, unknown> | string;
    // A rule's meaning: conditions, event and priority (meta and formatting do not count).
    const key =
      typeof rule === 'object' && rule !== null
        ? canonicalJson({ c: rule.conditions ?? null, e: rule.event ?? null, p: rule.priority ?? 1 })
        : String(rule);
    out.set(m[1]!, key);
  }
  return out;
}

/** Rules added, removed and changed (conditions, event or priority) from `before` to `after`. */
export function ruleChanges(before: PackSource | undefined, after: PackSource): RuleChanges {
  const a = before ? rulesOf(before) : new Map<string, string>();
  const b = rulesOf(after);
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: [...b.keys()].filter((k) => a.has(k) && a.get(k) !== b.get(k)).sort(),
  };
}

function manifestOf(source: PackSource): Record<string, unknown> {
  const m = parsed(source.files['pack.json']);
  return typeof m === 'object' && m !== null ? (m as Record<string, unknown>) : {};
}

/**
 * The kind of change from `before` to `after`: major when a rule is removed or the pack's place
 * changes (extends, bureau, defaults); minor when a rule is added or its conditions, event or
 * priority change, or the facts read change; patch for anything else (descriptions, cases).
 */
export function changeKind(before: PackSource | undefined, after: PackSource): ChangeKind {
  if (!before) return 'major';
  const r = ruleChanges(before, after);
  const ma = manifestOf(before);
  const mb = manifestOf(after);
  const same = (k: string) => canonicalJson(ma[k] ?? null) === canonicalJson(mb[k] ?? null);
  if (r.removed.length || !same('extends') || !same('bureau') || !same('defaults')) return 'major';
  if (r.added.length || r.changed.length || !same('facts') || !same('effective')) return 'minor';
  const strip = (s: PackSource) =>
    canonicalJson(
      Object.fromEntries(
        Object.entries(s.files).map(([k, v]) => {
          const p = parsed(v);
          if (k === 'pack.json' && typeof p === 'object' && p !== null) {
            const { version: _version, ...rest } = p as Record<string, unknown>;
            return [k, rest];
          }
          return [k, p];
        }),
      ),
    );
  return strip(before) === strip(after) ? 'none' : 'patch';
}

/** `version` bumped by `kind` ("1.4.2" + minor → "1.5.0"); "none" keeps it. */
export function bumpVersion(version: string, kind: ChangeKind): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) return '1.0.0';
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (kind === 'major') return `${major + 1}.0.0`;
  if (kind === 'minor') return `${major}.${minor + 1}.0`;
  if (kind === 'patch') return `${major}.${minor}.${patch + 1}`;
  return version;
}

/** Compares two MAJOR.MINOR.PATCH versions (-1, 0, 1). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** `source` with `pack.json`'s version set to `version` (text files stay text). */
export function withVersion(source: PackSource, version: string): PackSource {
  const raw = source.files['pack.json'];
  const m = manifestOf(source);
  const next = { ...m, version };
  return {
    origin: source.origin,
    files: {
      ...source.files,
      'pack.json': typeof raw === 'string' ? `${JSON.stringify(next, null, 2)}\n` : next,
    },
  };
}
