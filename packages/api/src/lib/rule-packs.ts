import { and, eq, ne } from 'drizzle-orm';
import {
  compilePacks,
  formatIssue,
  PackRegistry,
  packDigest,
  type PackSource,
  type Runtime,
} from '@spotcheck/rules';
import { loadRuntime, pluginConfigPath } from '@spotcheck/rules/load';
import { projectRoot, rulePackVersions } from '@spotcheck/db';
import type { DbOrTx } from './db';
import { fail } from './errors';

let runtime: Promise<Runtime> | undefined;

/**
 * The rules runtime: the built-in plugin plus the plugins `rules/plugins.json` lists (or the file
 * `SPOTCHECK_RULES_PLUGINS` names), loaded once per process — the same list the CLI and the
 * bulk classifier use.
 */
export function rulesRuntime(): Promise<Runtime> {
  runtime ??= loadRuntime(process.env.SPOTCHECK_RULES_PLUGINS ?? pluginConfigPath(projectRoot));
  return runtime;
}

/** A registry on the configured runtime. */
export async function newRegistry(): Promise<PackRegistry> {
  return new PackRegistry(await rulesRuntime());
}

/** A stored pack version's source, with its origin naming the version. */
export function sourceOf(row: { packId: string; version: string; content: unknown }): PackSource {
  const content = row.content as { files?: Record<string, unknown> };
  return { origin: `db:${row.packId}@${row.version}`, files: content.files ?? {} };
}

/** The published pack versions (one per pack id), optionally with one version swapped in. */
export async function publishedPackRows(db: DbOrTx, replace?: typeof rulePackVersions.$inferSelect) {
  const rows = await db.select().from(rulePackVersions).where(eq(rulePackVersions.status, 'published'));
  const set = rows.filter((r) => !replace || r.packId !== replace.packId);
  return replace ? [...set, replace] : set;
}

/** The published pack versions as sources (the CLI's `--db`). */
export async function publishedPackSources(db: DbOrTx): Promise<PackSource[]> {
  return (await publishedPackRows(db)).map(sourceOf);
}

/** Validates a whole pack set; throws BAD_REQUEST listing the issues (file, JSON path, suggestion). */
export async function assertPackSetValid(
  rows: { packId: string; version: string; content: unknown }[],
): Promise<void> {
  const result = compilePacks(rows.map(sourceOf), await rulesRuntime());
  if (!result.ok) {
    const errors = result.issues.filter((i) => i.severity === 'error');
    fail('BAD_REQUEST', 'content', errors.slice(0, 10).map(formatIssue).join('\n'));
  }
}

/** A registry loaded with the published packs, and the rows it was built from. */
export async function activeRegistry(db: DbOrTx) {
  const rows = await publishedPackRows(db);
  const registry = await newRegistry();
  const res = registry.load(rows.map(sourceOf));
  if (!res.ok)
    fail(
      'PRECONDITION_FAILED',
      'rulePacks',
      `the published rule packs do not load: ${res.issues.map(formatIssue).join('; ')}`,
    );
  return { registry, rows };
}

/** A stored rule-pack version row. */
export type RulePackRow = typeof rulePackVersions.$inferSelect;

/**
 * A registry of the published packs with `version` swapped in for its pack id (a draft or a
 * retired version, to see what it would do); throws PRECONDITION_FAILED naming the issues when
 * that set does not load. Returns the composed pack of `version` as well.
 */
export async function registryWith(db: DbOrTx, version: RulePackRow) {
  const rows = await publishedPackRows(db, version);
  const registry = await newRegistry();
  const res = registry.load(rows.map(sourceOf));
  if (!res.ok)
    fail(
      'PRECONDITION_FAILED',
      'id',
      `${version.packId}@${version.version} does not load with the published packs: ${res.issues
        .filter((i) => i.severity === 'error')
        .slice(0, 10)
        .map(formatIssue)
        .join('; ')}`,
    );
  return { registry, pack: registry.get(version.packId)!, compiled: registry.compiledPack(version.packId)! };
}

/** Reads the manifest of an uploaded pack: its id, version and bureau. */
export function manifestOf(source: PackSource): { id: string; version: string; bureau: string | null } {
  let manifest = source.files['pack.json'];
  if (typeof manifest === 'string') {
    try {
      manifest = JSON.parse(manifest);
    } catch {
      fail('BAD_REQUEST', 'files.pack.json', 'is not valid JSON');
    }
  }
  const m = manifest as { id?: unknown; version?: unknown; bureau?: unknown } | undefined;
  if (!m || typeof m.id !== 'string' || typeof m.version !== 'string')
    fail('BAD_REQUEST', 'files.pack.json', 'needs "id" and "version"');
  return { id: m.id, version: m.version, bureau: typeof m.bureau === 'string' ? m.bureau : null };
}

/** Digest of a pack source, as the rules package computes it. */
export { packDigest };

/** Other versions of a pack id that are not `id` (for immutability checks). */
export function otherVersions(packId: string, id: string) {
  return and(eq(rulePackVersions.packId, packId), ne(rulePackVersions.id, id));
}
