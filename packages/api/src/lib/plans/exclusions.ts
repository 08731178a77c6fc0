/**
 * The exclusion ledger of a commitment (sr-draw/v2 §1, §9.5): every unit on the bureau's roster
 * that is not in the frame, with the reason it is not, so a frame cannot be thinned out of sight.
 * And the roster changes of the 30 days before a commitment (units added, closed, moved or with
 * facts changed; conflicts declared or revoked; officers added or suspended), published beside it.
 */
import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { auditEvents, units } from '@spotcheck/db';
import type { DbOrTx } from '../db';
import { CITY_BUREAU } from '../../trpc';
import type { AssembledFrame } from './frame';

/** Reason ids of excluded rows and what they mean (published with every commitment). */
export const EXCLUDED_REASONS = {
  closed: ['已注销或关闭', 'closed or deregistered'],
  'out-of-scope': [
    '不在本计划范围（行业、风险等级或街道）',
    "outside the plan's scope (industry, risk grade or street)",
  ],
  'ceiling-reached': ['本年度检查次数已达上限', 'already inspected as often as its rules allow this year'],
  'not-due': ['本年度应检次数已完成', 'already inspected as often as required this year'],
} as const satisfies Record<string, readonly [string, string]>;
/** One of {@link EXCLUDED_REASONS}. */
export type ExcludedReason = keyof typeof EXCLUDED_REASONS;

/** What the ledger says about a plan's frame. */
export interface ExclusionLedger {
  /** `[unitId, reason]` sorted by unitId: the commitment's `excluded` rows. */
  rows: [string, ExcludedReason][];
  /** Count per reason. */
  byReason: Partial<Record<ExcludedReason, number>>;
}

/**
 * Every roster unit of the plan's bureau (the whole city for a city plan) not in the frame, with
 * its reason: closed, out of scope, or left out by the rule packs (ceiling reached, not due).
 * Units in scope are the frame's roster, each in the frame or left out with its reason; only the
 * bureau's other units are read here (a city frame has 10^6 units: reading and matching them all
 * again took seconds, issue 16).
 */
export async function exclusionLedger(
  tx: DbOrTx,
  built: Pick<AssembledFrame, 'leftOut' | 'scope'>,
): Promise<ExclusionLedger> {
  // Outside the scope: not (active and in scope); a NULL there (no street) is outside too.
  const others = await tx
    .select({ id: units.id, status: units.status })
    .from(units)
    .where(and(built.scope.bureau, sql`coalesce(${built.scope.inScope}, false) = false`));
  const rows: [string, ExcludedReason][] = others.map((u) => [
    u.id,
    u.status === 'closed' ? 'closed' : 'out-of-scope',
  ]);
  for (const [id, reason] of built.leftOut) rows.push([id, reason]);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const byReason: Partial<Record<ExcludedReason, number>> = {};
  for (const [, reason] of rows) byReason[reason] = (byReason[reason] ?? 0) + 1;
  return { rows, byReason };
}

/** Audit actions that change what a frame or a team can be (sr-draw/v2 §9.5–9.6). */
const ROSTER_ACTIONS = [
  'unit.create',
  'unit.update',
  'unit.set-status',
  'unit.blacklist',
  'unit.end-listed-supervision',
  'unit-fact.push',
  'import.units',
  'import.unit-facts',
  'import.inspectors',
  'import.conflicts',
  'conflict.declare',
  'conflict.revoke',
  'inspector.create',
  'inspector.update',
  'inspector.set-status',
];

/** One roster change published beside a commitment (no personal detail, no conflict reasons). */
export interface RosterChange {
  at: string;
  action: string;
  entity: string;
  entityId: string | null;
  /** Names of the fields that changed (values stay internal). */
  fields: string[];
}

/** Fields of `after` whose values differ from `before` (all of `after` for a creation). */
function changedFields(before: unknown, after: unknown): string[] {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  return Object.keys(a)
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .filter(
      (k) => !['reason', 'detail', 'legalRepresentative', 'address', 'updatedAt', 'createdAt'].includes(k),
    )
    .sort()
    .slice(0, 30);
}

/** Roster changes of the bureau in the 30 days up to `at` (oldest first, at most 5000). */
export async function rosterChangesBefore(tx: DbOrTx, bureauCode: string, at: Date): Promise<RosterChange[]> {
  const from = new Date(at.getTime() - 30 * 86_400_000);
  const rows = await tx
    .select()
    .from(auditEvents)
    .where(
      and(
        bureauCode === CITY_BUREAU ? undefined : eq(auditEvents.bureauCode, bureauCode),
        inArray(auditEvents.action, ROSTER_ACTIONS),
        gte(auditEvents.at, from.toISOString()),
        lte(auditEvents.at, at.toISOString()),
      ),
    )
    .orderBy(asc(auditEvents.seq))
    .limit(5000);
  return rows.map((e) => ({
    at: new Date(e.at).toISOString(),
    action: e.action,
    entity: e.entity,
    entityId: e.entity === 'conflicts' ? null : e.entityId,
    fields: changedFields(e.before, e.after),
  }));
}
