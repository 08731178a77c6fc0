import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { plans } from './plans';
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
    unitId: text()
      .notNull()
      .references(() => units.id),
    year: integer().notNull(),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    /** Inspections the unit must get this year (≥ 1). */
    minPerYear: integer().notNull(),
    /** Why: `[{ rule, reason }]` from the classification that fixed or raised the obligation. */
    reasons: jsonb().$type<ObligationReason[]>().notNull().default([]),
    /** The approval that first fixed it, and the last one that raised it. */
    fixedByPlanId: uuid()
      .notNull()
      .references(() => plans.id),
    fixedAt: timestamp({ withTimezone: true }).notNull(),
    raisedAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.year] }), index().on(t.year, t.bureauCode)],
);
