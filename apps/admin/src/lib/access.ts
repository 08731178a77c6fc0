import { CITY_BUREAU_CODE, type Role } from '@spotcheck/core';

/** The city bureau's GB/T 2260 code. */
export const CITY_BUREAU = CITY_BUREAU_CODE;

/** A role held in a bureau, as the session reports it. */
export interface Grant {
  role: Role;
  bureauCode: string;
}

/** Areas of the SPA; the menu shows an area only to roles that can use it (the server enforces anyway). */
export type Area =
  | 'workbench'
  | 'checklist'
  | 'rosters'
  | 'rulePacks'
  | 'plans'
  | 'tasks'
  | 'results'
  | 'assessment'
  | 'audit'
  | 'accounts'
  | 'keys'
  | 'publication'
  | 'jobs'
  | 'witnesses'
  | 'consequences'
  | 'procedures'
  | 'apiTokens';

const STAFF: Role[] = ['city-admin', 'district-admin', 'draw-operator', 'approver', 'auditor'];

/** Which roles may open each area (mirrors the API's procedure ladder). */
export const AREA_ROLES: Record<Area, Role[]> = {
  workbench: [...STAFF, 'inspector'],
  checklist: STAFF,
  rosters: STAFF,
  rulePacks: STAFF,
  plans: STAFF,
  tasks: [...STAFF, 'inspector'],
  results: STAFF,
  assessment: STAFF,
  audit: ['city-admin', 'district-admin', 'auditor'],
  accounts: ['city-admin', 'district-admin'],
  keys: ['city-admin', 'district-admin', 'approver'],
  publication: STAFF,
  jobs: STAFF,
  witnesses: ['city-admin'],
  consequences: STAFF,
  procedures: STAFF,
  apiTokens: ['city-admin', 'district-admin'],
};

/** Whether any grant opens an area. */
export function canOpen(grants: readonly Grant[], area: Area): boolean {
  return grants.some((g) => AREA_ROLES[area].includes(g.role));
}

/** Whether the user holds one of `roles` (anywhere, or in `bureauCode` / through the city). */
export function holds(grants: readonly Grant[], roles: readonly Role[], bureauCode?: string): boolean {
  return grants.some(
    (g) =>
      roles.includes(g.role) && (!bureauCode || g.bureauCode === bureauCode || g.bureauCode === CITY_BUREAU),
  );
}

/** The current quarter as a plan period, e.g. `2027-Q1` (China Standard Time). */
export function currentQuarter(now = new Date()): string {
  const cst = new Date(now.getTime() + 8 * 3600_000);
  return `${cst.getUTCFullYear()}-Q${Math.floor(cst.getUTCMonth() / 3) + 1}`;
}
