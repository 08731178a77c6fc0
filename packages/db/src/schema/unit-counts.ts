import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * How many units each bureau has per industry, risk grade and status, kept by statement triggers
 * on `units` (migration 0014): inserts, updates, deletes and COPY adjust it in the same
 * transaction. The roster list's total reads it (a sum over at most a few hundred rows) instead of
 * counting up to 10^6 units per page.
 */
export const unitCounts = pgTable(
  'unit_counts',
  {
    bureauCode: text().notNull(),
    industry: text().notNull(),
    riskGrade: text().notNull(),
    status: text().notNull(),
    units: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.bureauCode, t.industry, t.riskGrade, t.status] })],
);
