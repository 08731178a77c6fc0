import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import {
  blacklistProceedings,
  blacklistProceedingSteps,
  findings,
  OPEN_PROCEEDING_STATUSES,
  plans,
  publications,
  rectifications,
  results,
  supervisions,
  tasks,
  unitFacts,
  units,
} from '@spotcheck/db';
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

/** Chinese wording of a blacklist reason (credit repair included). */
export function reasonText(reason: string): string {
  return reason === 'credit-repair' ? '信用修复' : (REASON_ZH[reason as BlacklistReason] ?? reason);
}

/**
 * Whether a proceeding of the kind is under way for the unit, in any bureau. The unique key
 * `blacklist_proceedings_one_open` holds one per unit within the unit's bureau (concurrent
 * proposals yield one), but a unit moved to another district keeps its proceedings in the old one.
 */
export async function proceedingUnderWay(tx: DbOrTx, unitId: string, kind: 'listing' | 'removal') {
  const [open] = await tx
    .select({ id: blacklistProceedings.id })
    .from(blacklistProceedings)
    .where(
      and(
        eq(blacklistProceedings.unitId, unitId),
        eq(blacklistProceedings.kind, kind),
        inArray(blacklistProceedings.status, OPEN_PROCEEDING_STATUSES),
      ),
    )
    .limit(1);
  return open !== undefined;
}

/**
 * Proposes putting a unit on the blacklist 黑名单 (R18): due process starts with a proposal
 * (a scheduled rule, or an officer's follow-up check), never with the blacklist itself. Nothing
 * is proposed for a unit already on the blacklist or with a listing proceeding under way (the
 * partial unique index makes concurrent proposals yield one). Audited. Returns the proceeding,
 * or null when none was opened.
 */
export async function proposeListing(
  tx: DbOrTx,
  p: {
    unitId: string;
    reason: BlacklistReason;
    origin: 'rule' | 'inspector' | 'staff';
    findingId: string | null;
    userId: string | null;
    actorRole: string | null;
    jointPunishment?: boolean;
    note?: string;
    today: string;
    now: Date;
  },
) {
  const [unit] = await tx.select().from(units).where(eq(units.id, p.unitId));
  if (!unit || unit.blacklisted || (await proceedingUnderWay(tx, unit.id, 'listing'))) return null;
  const [row] = await tx
    .insert(blacklistProceedings)
    .values({
      bureauCode: unit.bureauCode,
      unitId: unit.id,
      kind: 'listing',
      reason: p.reason,
      origin: p.origin,
      findingId: p.findingId,
      status: 'proposed',
      jointPunishment: p.jointPunishment ?? false,
      proposedOn: p.today,
      proposedBy: p.userId,
      createdAt: p.now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return null;
  await tx.insert(blacklistProceedingSteps).values({
    bureauCode: row.bureauCode,
    proceedingId: row.id,
    step: 'proposed',
    on: p.today,
    note: p.note ?? '',
    detail: { reason: p.reason, origin: p.origin, findingId: p.findingId },
    recordedAt: p.now,
    recordedBy: p.userId,
  });
  await appendAudit(
    tx,
    {
      actorUserId: p.userId,
      actorRole: p.actorRole,
      bureauCode: unit.bureauCode,
      action: 'blacklist.propose',
      entity: 'blacklist_proceedings',
      entityId: row.id,
      after: row,
    },
    p.now,
  );
  return row;
}

/** Findings whose rectification is due before `today` and has no `rectified` check (not superseded). */
export function overdueWhere(today: string) {
  return and(
    lt(findings.rectificationDue, today),
    sql`not exists (select 1 from ${rectifications} r where r.finding_id = ${findings.id} and r.outcome = 'rectified')`,
    sql`not exists (select 1 from ${results} s where s.supersedes_id = ${results.id})`,
    // A 挂牌督办 closed by 销号 is rectified, reviewed and approved.
    sql`not exists (select 1 from ${supervisions} v where v.finding_id = ${findings.id} and v.status = 'closed')`,
  );
}

/**
 * R18 as a time rule: proposes (never decides) the blacklisting of every unit whose
 * major-hazard rectification is overdue, one proposal per unit, in one bureau or all. Idempotent:
 * units on the blacklist or with a proceeding under way are left out.
 */
export async function proposeOverdueListings(
  tx: DbOrTx,
  p: { bureauCode?: string; userId: string | null; actorRole: string | null; today: string; now: Date },
) {
  const rows = await tx
    .select({ findingId: findings.id, unitId: tasks.unitId })
    .from(findings)
    .innerJoin(results, eq(results.id, findings.resultId))
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .innerJoin(units, eq(units.id, tasks.unitId))
    .where(
      and(
        p.bureauCode ? eq(plans.bureauCode, p.bureauCode) : undefined,
        eq(findings.kind, 'major-hazard'),
        eq(units.blacklisted, false),
        overdueWhere(p.today),
        sql`not exists (select 1 from ${blacklistProceedings} b where b.unit_id = ${units.id} and b.kind = 'listing' and b.status in ('proposed', 'reviewed', 'noticed', 'decided'))`,
      ),
    )
    .orderBy(asc(findings.rectificationDue), asc(findings.id));
  const proposed: { unitId: string; findingId: string; proceedingId: string }[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.unitId)) continue;
    seen.add(r.unitId);
    const row = await proposeListing(tx, {
      unitId: r.unitId,
      reason: 'overdue',
      origin: p.userId ? 'staff' : 'rule',
      findingId: r.findingId,
      userId: p.userId,
      actorRole: p.actorRole,
      today: p.today,
      now: p.now,
    });
    if (row) proposed.push({ unitId: r.unitId, findingId: r.findingId, proceedingId: row.id });
  }
  return proposed;
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
      : source.startsWith('finding:') || source.startsWith('proceeding:')
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
        // Decided here: the proceeding's own publication step publishes it (with its decision).
        sql`not exists (select 1 from ${blacklistProceedings} b where b.unit_id = ${units.id} and b.kind = 'listing' and b.status in ('decided', 'published'))`,
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
