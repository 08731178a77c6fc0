import { unitFacts } from '@spotcheck/db';
import type { UnitFactKind } from '@spotcheck/core';
import type { DbOrTx } from './db';

type UnitLike = {
  id: string;
  /** The unit's bureau: its facts are recorded in it. */
  bureauCode: string;
  riskGrade: string;
  creditGrade: string;
  majorHazard: boolean;
  trialProduction: boolean;
  resuming: boolean;
  blacklisted: boolean;
  jointPunishment: boolean;
  keyUnit: boolean;
  lastFatalAccidentOn?: string | null;
};

/** Which unit columns are dated facts, and how a value is stored in `unit_facts`. */
const FACT_COLUMNS: [keyof UnitLike, UnitFactKind][] = [
  ['riskGrade', 'risk-grade'],
  ['creditGrade', 'credit-grade'],
  ['majorHazard', 'major-hazard'],
  ['trialProduction', 'trial-production'],
  ['resuming', 'resumption'],
  ['blacklisted', 'blacklist'],
  ['jointPunishment', 'joint-punishment'],
  ['keyUnit', 'key-unit'],
  ['lastFatalAccidentOn', 'fatal-accident'],
];

/**
 * Keeps the history of a unit's facts (R4, R19): every changed fact column becomes a dated
 * `unit_facts` record (a new unit records its initial flags that are set).
 */
export async function recordFactChanges(
  tx: DbOrTx,
  before: UnitLike | null,
  after: UnitLike,
  meta: { source: string; userId: string | null; today: string },
): Promise<number> {
  const rows = factChangeRows(before, after, meta);
  if (rows.length) await tx.insert(unitFacts).values(rows);
  return rows.length;
}

/** The `unit_facts` rows {@link recordFactChanges} would insert (for batched writers). */
export function factChangeRows(
  before: UnitLike | null,
  after: UnitLike,
  meta: { source: string; userId: string | null; today: string },
): (typeof unitFacts.$inferInsert)[] {
  const rows: (typeof unitFacts.$inferInsert)[] = [];
  for (const [col, kind] of FACT_COLUMNS) {
    const a = after[col] ?? null;
    const b = before ? (before[col] ?? null) : null;
    if (a === b) continue;
    if (!before && (a === false || a === null)) continue;
    rows.push({
      bureauCode: after.bureauCode,
      unitId: after.id,
      kind,
      value: typeof a === 'boolean' ? { active: a } : kind === 'fatal-accident' ? { on: a } : { grade: a },
      effectiveOn: kind === 'fatal-accident' && typeof a === 'string' ? a : meta.today,
      source: meta.source,
      recordedBy: meta.userId,
    });
  }
  return rows;
}
