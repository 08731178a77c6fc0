import { and, asc, eq, inArray } from 'drizzle-orm';
import { checklistItems, checklistVersions, procedures, publications, type Db } from '@spotcheck/db';
import { appendAudit } from '../audit/chain';
import { publish } from './publish';

/** The public column's entry for a published checklist version (R15). */
export function checklistPublication(
  v: { id: string; bureauCode: string; version: number },
  digest: string,
  items: (typeof checklistItems.$inferSelect)[],
  by: string | null,
  at: Date,
) {
  return {
    bureauCode: v.bureauCode,
    kind: 'checklist' as const,
    refId: v.id,
    title: `随机抽查事项清单 第${v.version}版`,
    content: { version: v.version, digest, items: items.map(({ id: _i, versionId: _v, ...rest }) => rest) },
    by,
    at,
  };
}

/** The public column's entry for a published procedure (R6, R15). */
export function procedurePublication(
  p: { id: string; bureauCode: string; version: number; content: unknown },
  by: string | null,
  at: Date,
) {
  return {
    bureauCode: p.bureauCode,
    kind: 'procedure' as const,
    refId: p.id,
    title: `随机抽查制度 第${p.version}版`,
    content: { version: p.version, ...(p.content as object) },
    by,
    at,
  };
}

/**
 * Puts versions that were loaded as already published (a bulk load or the demo seeder) into the
 * public column: every published checklist version and procedure without a publication gets one,
 * with an audit event naming `actorUserId`. Idempotent; returns how many it published.
 */
export async function publishLoadedBaseline(
  db: Db,
  actorUserId: string | null,
  at = new Date(),
): Promise<number> {
  return db.transaction(async (tx) => {
    const existing = new Set(
      (
        await tx
          .select({ refId: publications.refId })
          .from(publications)
          .where(inArray(publications.kind, ['checklist', 'procedure']))
      ).map((p) => p.refId),
    );
    let count = 0;
    const versions = await tx
      .select()
      .from(checklistVersions)
      .where(eq(checklistVersions.status, 'published'))
      .orderBy(asc(checklistVersions.bureauCode));
    for (const v of versions) {
      if (existing.has(v.id) || !v.digest) continue;
      const items = await tx
        .select()
        .from(checklistItems)
        .where(eq(checklistItems.versionId, v.id))
        .orderBy(asc(checklistItems.code));
      await publish(tx, checklistPublication(v, v.digest, items, actorUserId, at));
      await appendAudit(
        tx,
        {
          actorUserId,
          actorRole: null,
          bureauCode: v.bureauCode,
          action: 'checklist.publish-loaded',
          entity: 'checklist_versions',
          entityId: v.id,
          after: { digest: v.digest },
        },
        at,
      );
      count++;
    }
    const procs = await tx
      .select()
      .from(procedures)
      .where(and(eq(procedures.status, 'published')))
      .orderBy(asc(procedures.bureauCode));
    for (const p of procs) {
      if (existing.has(p.id)) continue;
      await publish(tx, procedurePublication(p, actorUserId, at));
      await appendAudit(
        tx,
        {
          actorUserId,
          actorRole: null,
          bureauCode: p.bureauCode,
          action: 'procedure.publish-loaded',
          entity: 'procedures',
          entityId: p.id,
        },
        at,
      );
      count++;
    }
    return count;
  });
}
