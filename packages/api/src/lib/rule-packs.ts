import { and, eq, inArray, ne, sql } from 'drizzle-orm';
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
import { todayInChina } from './scope';

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

/** The date (YYYY-MM-DD) from which a stored pack version applies: its manifest's `effective`. */
export function effectiveOf(row: { content: unknown }): string {
  const files = (row.content as { files?: Record<string, unknown> }).files ?? {};
  return manifestOf({ origin: 'db', files }).effective;
}

/**
 * The published pack versions in force on `asOf` (YYYY-MM-DD; default today in UTC+8): for each
 * pack id, the published version with the latest `effective` date not after `asOf`. A version
 * published for a later date waits beside the one in force; a pack with no version in force yet
 * is left out (its bureau falls back to the pack it extends). Optionally with `replace` swapped
 * in for its pack id (a draft, to see what the set would be).
 */
export async function publishedPackRows(
  db: DbOrTx,
  replace?: typeof rulePackVersions.$inferSelect,
  asOf: string = todayInChina(new Date()),
) {
  const rows = await db.select().from(rulePackVersions).where(eq(rulePackVersions.status, 'published'));
  const inForce = new Map<string, { row: (typeof rows)[number]; effective: string }>();
  for (const row of rows) {
    const effective = effectiveOf(row);
    if (effective > asOf) continue;
    const held = inForce.get(row.packId);
    if (!held || held.effective < effective) inForce.set(row.packId, { row, effective });
  }
  const set = [...inForce.values()].map((x) => x.row).filter((r) => !replace || r.packId !== replace.packId);
  return replace ? [...set, replace] : set;
}

/**
 * Retires the published versions of `packId` that a new version effective on `effective`
 * supersedes: those effective on that day or later. Earlier ones stay in force until then.
 * Every version of a pack id is of one bureau: a caller publishing through the API has checked
 * that in the same transaction (`assertPackOwner`).
 */
export async function retireSuperseded(db: DbOrTx, packId: string, effective: string, at: Date) {
  const rows = await db
    .select({ id: rulePackVersions.id, content: rulePackVersions.content })
    .from(rulePackVersions)
    .where(and(eq(rulePackVersions.packId, packId), eq(rulePackVersions.status, 'published')));
  const superseded = rows.filter((r) => effectiveOf(r) >= effective).map((r) => r.id);
  if (superseded.length)
    await db
      .update(rulePackVersions)
      .set({ status: 'retired', retiredAt: at, updatedAt: at })
      .where(inArray(rulePackVersions.id, superseded));
  return superseded;
}

/** The pack-id locks' namespace (`pg_advisory_xact_lock(int, int)`, "RPID"); the key is the pack id. */
const PACK_ID_LOCK = 0x52504944;

/**
 * A pack id belongs to one bureau: the bureau of its published versions. Refuses (CONFLICT on
 * `field`) when a published or retired version of `packId` (`exceptId`, a draft being rewritten,
 * aside) has a bureau other than `bureauCode`: otherwise a district could save
 * a draft of another bureau's pack (or of the city pack) under its own bureau code, and
 * publishing it would retire that bureau's published version. Call it inside the transaction that
 * writes the version (a draft, an upload, a publish): it first takes a transaction-scoped lock on
 * the pack id, so that two writers of one pack id check and write one after the other, and the
 * check reads every version committed before.
 */
export async function assertPackOwner(
  tx: DbOrTx,
  p: { packId: string; bureauCode: string; field: string; exceptId?: string },
): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${PACK_ID_LOCK}::int, hashtext(${p.packId}))`);
  const [other] = await tx
    .select({ bureauCode: rulePackVersions.bureauCode })
    .from(rulePackVersions)
    .where(
      and(
        eq(rulePackVersions.packId, p.packId),
        ne(rulePackVersions.bureauCode, p.bureauCode),
        // Published versions (in force or retired) make the owner: drafts cannot be deleted, so
        // a draft counted would let any district take a pack id nobody has published yet (the
        // pack of a bureau still without one) for good.
        inArray(rulePackVersions.status, ['published', 'retired']),
        p.exceptId ? ne(rulePackVersions.id, p.exceptId) : undefined,
      ),
    )
    .limit(1);
  if (other)
    fail('CONFLICT', p.field, 'rulePack.ownedByOtherBureau', {
      packId: p.packId,
      ownerBureau: other.bureauCode,
      bureauCode: p.bureauCode,
    });
}

/** The published pack versions in force today, as sources (the CLI's `--db`). */
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
    fail('BAD_REQUEST', 'content', 'rulePack.invalidContent', {
      detail: errors.slice(0, 10).map(formatIssue).join('\n'),
    });
  }
}

/** A registry loaded with the published packs in force on `asOf` (default today), and its rows. */
export async function activeRegistry(db: DbOrTx, asOf?: string) {
  const rows = await publishedPackRows(db, undefined, asOf);
  const registry = await newRegistry();
  const res = registry.load(rows.map(sourceOf));
  if (!res.ok)
    fail('PRECONDITION_FAILED', 'rulePacks', 'rulePack.publishedDoNotLoad', {
      detail: res.issues.map(formatIssue).join('; '),
    });
  return { registry, rows };
}

/** A stored rule-pack version row. */
export type RulePackRow = typeof rulePackVersions.$inferSelect;

/**
 * The first day a version would apply if published now: its `effective` date, or today when that
 * has passed. The packs it is checked with are the ones in force on that day.
 */
export function appliesFrom(version: { content: unknown }, now = new Date()): string {
  const effective = effectiveOf(version);
  const today = todayInChina(now);
  return effective > today ? effective : today;
}

/**
 * A registry of the published packs with `version` swapped in for its pack id (a draft or a
 * retired version, to see what it would do); throws PRECONDITION_FAILED naming the issues when
 * that set does not load. Returns the composed pack of `version` as well.
 */
export async function registryWith(db: DbOrTx, version: RulePackRow) {
  const rows = await publishedPackRows(db, version, appliesFrom(version));
  const registry = await newRegistry();
  const res = registry.load(rows.map(sourceOf));
  if (!res.ok)
    fail('PRECONDITION_FAILED', 'id', 'rulePack.conflictsWithPublished', {
      packId: version.packId,
      version: version.version,
      detail: res.issues
        .filter((i) => i.severity === 'error')
        .slice(0, 10)
        .map(formatIssue)
        .join('; '),
    });
  return { registry, pack: registry.get(version.packId)!, compiled: registry.compiledPack(version.packId)! };
}

/** Reads the manifest of an uploaded pack: its id, version and bureau. */
export function manifestOf(source: PackSource): {
  id: string;
  version: string;
  bureau: string | null;
  /** From when the version applies (`effective`; a manifest without one: always). */
  effective: string;
} {
  let manifest = source.files['pack.json'];
  if (typeof manifest === 'string') {
    try {
      manifest = JSON.parse(manifest);
    } catch {
      fail('BAD_REQUEST', 'files.pack.json', 'rulePack.manifestNotJson');
    }
  }
  const m = manifest as { id?: unknown; version?: unknown; bureau?: unknown } | undefined;
  if (!m || typeof m.id !== 'string' || typeof m.version !== 'string')
    fail('BAD_REQUEST', 'files.pack.json', 'rulePack.manifestNeedsIdVersion');
  const effective = (m as { effective?: unknown }).effective;
  return {
    id: m.id,
    version: m.version,
    bureau: typeof m.bureau === 'string' ? m.bureau : null,
    effective: typeof effective === 'string' ? effective : '0000-01-01',
  };
}

/** Digest of a pack source, as the rules package computes it. */
export { packDigest };

/** Other versions of a pack id that are not `id` (for immutability checks). */
export function otherVersions(packId: string, id: string) {
  return and(eq(rulePackVersions.packId, packId), ne(rulePackVersions.id, id));
}
