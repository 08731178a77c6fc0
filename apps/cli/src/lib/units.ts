/**
 * Looks a unit up on the target roster by USCC and returns the facts the rule packs read.
 * The database and API modules load only when a lookup happens, keeping `spotcheck` fast to start.
 */
export async function findUnitFacts(unitId: string): Promise<unknown | undefined> {
  const [{ eq }, { unitFactsOf }, { units }, { withDatabase }] = await Promise.all([
    import('drizzle-orm'),
    import('@spotcheck/api'),
    import('@spotcheck/db'),
    import('./database'),
  ]);
  return withDatabase(async (database) => {
    const [row] = await database.db.select().from(units).where(eq(units.id, unitId));
    return row ? unitFactsOf(row) : undefined;
  });
}

/** The rule-pack versions published in the database (`spotcheck rules … --db`). */
export async function findPublishedPacks() {
  const [{ publishedPackSources }, { withDatabase }] = await Promise.all([
    import('@spotcheck/api'),
    import('./database'),
  ]);
  return withDatabase((database) => publishedPackSources(database.db));
}
