import { inArray, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { SessionUser } from '../auth/sessions';
import { CITY_BUREAU, ROLE_GROUPS } from '../trpc';

const STAFF: readonly string[] = ROLE_GROUPS.staff;

/**
 * Whether the user sees a bureau's tasks and results only as a team member: no staff role in
 * that bureau, and either an inspector grant there or no staff role at the city either.
 */
export function teamOnlyIn(user: SessionUser, bureauCode: string): boolean {
  const staffIn = (code: string) => user.roles.some((g) => g.bureauCode === code && STAFF.includes(g.role));
  if (staffIn(bureauCode)) return false;
  const inspectorHere = user.roles.some((g) => g.bureauCode === bureauCode && g.role === 'inspector');
  return inspectorHere || !staffIn(CITY_BUREAU);
}

/**
 * The SQL form of {@link teamOnlyIn} for lists: rows of bureaus where the user is staff, or of
 * tasks whose team holds the user's inspector id. Undefined when no row needs the team check.
 */
export function teamVisibility(user: SessionUser, bureau: PgColumn, team: PgColumn): SQL | undefined {
  const mine = sql`${user.inspectorId ?? ''} = any(${team})`;
  const staffBureaus = [
    ...new Set(user.roles.filter((g) => STAFF.includes(g.role)).map((g) => g.bureauCode)),
  ];
  const inspectorOnly = [
    ...new Set(user.roles.filter((g) => g.role === 'inspector').map((g) => g.bureauCode)),
  ].filter((b) => !staffBureaus.includes(b));
  if (staffBureaus.includes(CITY_BUREAU))
    return inspectorOnly.length ? or(notInArray(bureau, inspectorOnly), mine) : undefined;
  return staffBureaus.length ? or(inArray(bureau, staffBureaus), mine) : mine;
}
