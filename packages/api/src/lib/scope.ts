import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Access } from '../trpc';

/**
 * The bureau filter of a list query: one requested bureau (checked), or every bureau the
 * caller reaches (no filter for city grants).
 */
export function bureauFilter(access: Access, column: PgColumn, bureauCode?: string | null): SQL | undefined {
  if (bureauCode) {
    access.bureau(bureauCode);
    return eq(column, bureauCode);
  }
  if (access.scope === 'all') return undefined;
  return access.scope.length ? inArray(column, access.scope) : sql`false`;
}

/** Today's date `YYYY-MM-DD` in China Standard Time (UTC+8), the bureaus' calendar. */
export function todayInChina(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
