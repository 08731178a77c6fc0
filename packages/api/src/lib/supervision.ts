import { and, eq, isNull, sql } from 'drizzle-orm';
import { unitFacts, units } from '@spotcheck/db';
import type { DbOrTx } from './db';

/**
 * Ends the listed supervision of one result's major hazard (R17): closes its 'major-hazard'
 * fact and clears the unit's `majorHazard` flag when no other major-hazard fact stays open.
 * Returns whether the flag was cleared.
 */
export async function endMajorHazard(
  tx: DbOrTx,
  p: { unitId: string; resultId: string; endedOn: string; now: Date },
): Promise<boolean> {
  await tx
    .update(unitFacts)
    .set({ endedOn: p.endedOn })
    .where(
      and(
        eq(unitFacts.unitId, p.unitId),
        eq(unitFacts.kind, 'major-hazard'),
        eq(unitFacts.source, `result:${p.resultId}`),
        isNull(unitFacts.endedOn),
      ),
    );
  const [open] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(unitFacts)
    .where(
      and(
        eq(unitFacts.unitId, p.unitId),
        eq(unitFacts.kind, 'major-hazard'),
        isNull(unitFacts.endedOn),
        sql`coalesce((${unitFacts.value}->>'active')::boolean, true)`,
      ),
    );
  if (open!.n > 0) return false;
  await tx.update(units).set({ majorHazard: false, updatedAt: p.now }).where(eq(units.id, p.unitId));
  return true;
}
