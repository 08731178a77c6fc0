import { eq } from 'drizzle-orm';
import { unitFacts, units } from '@spotcheck/db';
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
