import { and, asc, eq, sql } from 'drizzle-orm';
import { publications, unitFacts, units } from '@spotcheck/db';
import { appendAudit } from '../audit/chain';
import type { DbOrTx } from './db';
import { publish } from './publish';
import { redactUnit } from './redact';

/** Why a unit is put on the blacklist (R18). */
export type BlacklistReason = 'concealed' | 'inadequate' | 'overdue';

const REASON_ZH: Record<BlacklistReason, string> = {
  concealed: '隐瞒重大事故隐患',
  inadequate: '重大事故隐患整改不到位',
  overdue: '重大事故隐患逾期未整改',
};

/**
 * Puts a unit on the blacklist 黑名单 (R18): sets the `blacklisted` flag, records a dated
 * 'blacklist' fact (which the next draws' rule packs read, R19), and publishes a redacted
 * `blacklist` notice in the public column (public exposure; unit identity and sector only,
 * R16). A unit already on the blacklist is left as it is. Returns the publication, or null.
 */
export async function blacklistUnit(
  tx: DbOrTx,
  p: {
    unitId: string;
    reason: BlacklistReason;
    finding: { id: string; kind: string; checklistItemCode: string | null; rectificationDue: string | null };
    userId: string;
    today: string;
    now: Date;
  },
) {
  const [unit] = await tx.select().from(units).where(eq(units.id, p.unitId)).for('update');
  if (!unit || unit.blacklisted) return null;
  await tx.update(units).set({ blacklisted: true, updatedAt: p.now }).where(eq(units.id, unit.id));
  await tx.insert(unitFacts).values({
    unitId: unit.id,
    kind: 'blacklist',
    value: { active: true, reason: p.reason, finding: p.finding.id },
    effectiveOn: p.today,
    source: `finding:${p.finding.id}`,
    recordedAt: p.now,
    recordedBy: p.userId,
  });
  return publish(tx, {
    bureauCode: unit.bureauCode,
    kind: 'blacklist',
    refId: unit.id,
    title: `黑名单公示：${unit.name}（${REASON_ZH[p.reason]}）`,
    content: {
      unit: redactUnit(unit),
      reason: p.reason,
      reasonText: REASON_ZH[p.reason],
      basis: REASON_ZH[p.reason],
      origin: 'decided',
      effectiveOn: p.today,
      finding: {
        kind: p.finding.kind,
        checklistItemCode: p.finding.checklistItemCode,
        rectificationDue: p.finding.rectificationDue,
      },
    },
    by: p.userId,
    at: p.now,
  });
}

/** Where a blacklist entry came from, as the public notice says it. */
export type BlacklistOrigin = 'decided' | 'pushed' | 'imported' | 'seeded';

/** The basis 依据 and origin of a blacklist entry, read from its dated fact. */
export function blacklistBasis(fact: { value: unknown; source: string } | null): {
  basis: string;
  origin: BlacklistOrigin;
} {
  const v = (fact?.value ?? {}) as { reason?: unknown; basis?: unknown; reference?: unknown };
  const source = fact?.source ?? '';
  const origin: BlacklistOrigin = source.startsWith('api:')
    ? 'pushed'
    : source.startsWith('import:')
      ? 'imported'
      : source.startsWith('finding:')
        ? 'decided'
        : 'seeded';
  const reason =
    typeof v.reason === 'string'
      ? (REASON_ZH[v.reason as BlacklistReason] ?? v.reason)
      : typeof v.basis === 'string'
        ? v.basis
        : null;
  const ref = typeof v.reference === 'string' && v.reference ? `（${v.reference}）` : '';
  const fallback = {
    pushed: `信用信息共享平台推送的失信认定${ref}`,
    imported: '原业务系统认定，随名录导入',
    decided: '执法检查认定',
    seeded: '原业务系统认定',
  }[origin];
  return { basis: reason ? `${reason}${ref}` : fallback, origin };
}

/**
 * Publishes every blacklist entry not yet in the public column (R18): units on the blacklist
 * whether seeded, imported, pushed by another system or decided here, each with its basis and
 * effective date from the unit's latest open `blacklist` fact. Idempotent; audited per notice.
 */
export async function publishPendingBlacklist(
  tx: DbOrTx,
  p: { now: Date; bureauCode?: string; limit?: number },
): Promise<{ published: number }> {
  const pending = await tx
    .select()
    .from(units)
    .where(
      and(
        eq(units.blacklisted, true),
        p.bureauCode ? eq(units.bureauCode, p.bureauCode) : undefined,
        sql`not exists (select 1 from ${publications} x where x.kind = 'blacklist' and x.ref_id = ${units.id})`,
      ),
    )
    .orderBy(asc(units.id))
    .limit(p.limit ?? 2000);
  let published = 0;
  for (const unit of pending) {
    const [fact] = await tx
      .select()
      .from(unitFacts)
      .where(and(eq(unitFacts.unitId, unit.id), eq(unitFacts.kind, 'blacklist')))
      .orderBy(sql`${unitFacts.effectiveOn} desc`, sql`${unitFacts.id} desc`)
      .limit(1);
    const { basis, origin } = blacklistBasis(fact ?? null);
    const effectiveOn =
      fact?.effectiveOn ?? new Date(p.now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const pub = await publish(tx, {
      bureauCode: unit.bureauCode,
      kind: 'blacklist',
      refId: unit.id,
      title: `黑名单公示：${unit.name}（${basis}）`,
      content: { unit: redactUnit(unit), basis, reasonText: basis, origin, effectiveOn },
      by: null,
      at: p.now,
    });
    await appendAudit(
      tx,
      {
        actorUserId: null,
        actorRole: 'job',
        bureauCode: unit.bureauCode,
        action: 'publication.blacklist',
        entity: 'publications',
        entityId: pub.id,
        after: { unitId: unit.id, basis, origin, effectiveOn, digest: pub.digest },
      },
      p.now,
    );
    published++;
  }
  return { published };
}
