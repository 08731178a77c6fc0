import { eq } from 'drizzle-orm';
import { unitFactsOf } from '@spotcheck/api';
import { units } from '@spotcheck/db';
import { withDatabase } from './database';

/** Looks a unit up on the target roster by USCC and returns the facts the rule packs read. */
export async function findUnitFacts(unitId: string): Promise<unknown | undefined> {
  return withDatabase(async (database) => {
    const [row] = await database.db.select().from(units).where(eq(units.id, unitId));
    return row ? unitFactsOf(row) : undefined;
  });
}
