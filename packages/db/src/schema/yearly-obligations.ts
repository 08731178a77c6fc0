import {
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { units } from './units';
import type { ObligationReason } from '@spotcheck/core';

/**
 * A unit's inspection obligation for one plan year (R11–R12): fixed when the year's first plan
 * covering the unit is approved, from the rule packs in force; later approvals may add an
 * obligation or raise its yearly minimum, never remove or lower it. The coverage ledger reads it,
 * so a unit stays mandatory all year even if a fact it was mandatory for ages out (a fatal
 * accident passing three years in Q2).
 */
export const yearlyObligations = pgTable(
  'yearly_obligations',
  {
    unitId: text().notNull(),
    year: integer().notNull(),
    /**
     * The unit's bureau: the distribution column. The obligation is the unit's and moves with it
     * when it moves to another district (the foreign key cascades), so the new district's coverage
     * ledger carries it for the rest of the year.
     */
    // No key of its own to `bureaus`: the bureau-keyed one to its parent implies it (SCALING.md).
    bureauCode: text().notNull(),
    /** Inspections the unit must get this year (≥ 1). */
    minPerYear: integer().notNull(),
    /** Why: `[{ rule, reason }]` from the classification that fixed or raised the obligation. */
    reasons: jsonb().$type<ObligationReason[]>().notNull().default([]),
    /**
     * The approval that first fixed it, and the last one that raised it. Not a foreign key: a
     * city-wide plan fixes obligations in every district; it is the plan being approved, in the
     * same transaction.
     */
    fixedByPlanId: uuid().notNull(),
    fixedAt: timestamp({ withTimezone: true }).notNull(),
    raisedAt: timestamp({ withTimezone: true }),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code with its unit (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.unitId, t.year] }),
    foreignKey({
      name: 'yearly_obligations_unit_fk',
      columns: [t.bureauCode, t.unitId],
      foreignColumns: [units.bureauCode, units.id],
    }).onUpdate('cascade'),
    index().on(t.year, t.bureauCode),
  ],
);
