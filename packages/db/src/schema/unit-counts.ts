import { bigserial, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * How many units each bureau has per industry, risk grade, credit grade and status, and how many of
 * them carry each flag the workbench shows, as signed deltas appended by statement triggers on
 * `units` (migrations 0014–0015, 0026): every insert, update, delete and COPY adds
 * its grouped changes in the same transaction, and the `unit-counts-compact` job folds the rows of
 * each key into one. Appending never touches a row another writer holds, so roster writes neither
 * wait for nor deadlock with each other over the counts. The roster list's total is a sum of them.
 */
export const unitCounts = pgTable(
  'unit_counts',
  {
    id: bigserial({ mode: 'number' }).notNull(),
    bureauCode: text().notNull(),
    industry: text().notNull(),
    riskGrade: text().notNull(),
    creditGrade: text().notNull(),
    status: text().notNull(),
    /** Units added (negative: removed) for the key. */
    units: integer().notNull(),
    /** Of those, units with a major hazard listed (negative: removed, or the flag cleared). */
    majorHazard: integer().notNull().default(0),
    /** Of those, blacklisted units. */
    blacklisted: integer().notNull().default(0),
    /** Of those, units on the joint-punishment list. */
    jointPunishment: integer().notNull().default(0),
    /** Of those, key units. */
    keyUnit: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    index().on(t.bureauCode, t.industry, t.riskGrade, t.status),
  ],
);
