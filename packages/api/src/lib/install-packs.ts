import { rulePackVersions, type Db } from '@spotcheck/db';
import { formatIssue, PackRegistry, packDigest, runPackCases, type PackSource } from '@spotcheck/rules';
import { appendAudit } from '../audit/chain';
import { CITY_BUREAU } from '../trpc';
import { manifestOf, publishedPackRows, retireSuperseded, rulesRuntime, sourceOf } from './rule-packs';

/**
 * Installs rule packs loaded from the repository (`rules/`, reviewed and tested there) as
 * published versions — the bootstrap of a fresh deployment or a test world, like
 * `publishLoadedBaseline`. Not a tRPC procedure: staff publish through submit → review → publish.
 * All or nothing: the set (with the packs already published) must load and every case pass.
 * Each installed version is audited as `rule-pack.install`, naming `actorUserId`.
 */
export async function installRulePacks(
  db: Db,
  sources: readonly PackSource[],
  actorUserId: string | null,
  at = new Date(),
): Promise<{ packId: string; version: string; id: string }[]> {
  const runtime = await rulesRuntime();
  return db.transaction(async (tx) => {
    const incoming = sources.map((s) => ({ source: s, id: manifestOf(s).id }));
    const ids = new Set(incoming.map((i) => i.id));
    const kept = (await publishedPackRows(tx)).filter((r) => !ids.has(r.packId)).map(sourceOf);
    const registry = new PackRegistry(runtime);
    const load = registry.load([...kept, ...sources]);
    if (!load.ok)
      throw new Error(
        `rule packs do not load: ${load.issues
          .filter((i) => i.severity === 'error')
          .slice(0, 10)
          .map(formatIssue)
          .join('; ')}`,
      );
    const out: { packId: string; version: string; id: string }[] = [];
    for (const { source, id } of incoming) {
      const compiled = registry.compiledPack(id)!;
      const results = await runPackCases(registry.classifier(id), compiled);
      const failed = results.filter((r) => !r.passed);
      if (failed.length)
        throw new Error(`${id}: ${failed.length} of ${results.length} cases fail (${failed[0]!.name})`);
      const bureauCode = compiled.manifest.bureau ?? CITY_BUREAU;
      await retireSuperseded(tx, id, compiled.manifest.effective, at);
      const [row] = await tx
        .insert(rulePackVersions)
        .values({
          packId: id,
          version: compiled.version,
          bureauCode,
          content: { files: source.files },
          digest: packDigest({ origin: `db:${id}@${compiled.version}`, files: source.files }),
          status: 'published',
          review: 'approved',
          submitNote: `installed from ${source.origin}`,
          publishedAt: at,
          publishedBy: actorUserId,
        })
        .returning({ id: rulePackVersions.id });
      await appendAudit(
        tx,
        {
          actorUserId,
          actorRole: null,
          bureauCode,
          action: 'rule-pack.install',
          entity: 'rule_pack_versions',
          entityId: row!.id,
          after: { packId: id, version: compiled.version, origin: source.origin, cases: results.length },
        },
        at,
      );
      out.push({ packId: id, version: compiled.version, id: row!.id });
    }
    return out;
  });
}
