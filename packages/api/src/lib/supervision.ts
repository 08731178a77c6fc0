import { and, eq, inArray, isNull, like, sql } from 'drizzle-orm';
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

/**
 * Of `unitIds`, the units with a major hazard an inspection found and nothing has ended yet (an
 * open 'major-hazard' fact of a result): only its rectification check, or under 挂牌督办 its 销号
 * approved by a second person, ends it (R17) — never an edit or an import of the unit, which would
 * also drop the unit's mandatory inspections.
 */
export async function unitsWithFoundHazard(tx: DbOrTx, unitIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < unitIds.length; i += 1000) {
    const rows = await tx
      .selectDistinct({ id: unitFacts.unitId })
      .from(unitFacts)
      .where(
        and(
          inArray(unitFacts.unitId, unitIds.slice(i, i + 1000)),
          eq(unitFacts.kind, 'major-hazard'),
          isNull(unitFacts.endedOn),
          like(unitFacts.source, 'result:%'),
        ),
      );
    for (const r of rows) found.add(r.id);
  }
  return found;
}
