import { INSPECTOR_STATUSES } from '@spotcheck/core';
import { date, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { timestamps } from './_columns';
import { bureaus } from './bureaus';

/** The inspector roster 执法人员名录库 (R3): every frontline officer. */
export const inspectors = pgTable(
  'inspectors',
  {
    /** ASCII id used in draws, e.g. `I120116-0007`. */
    id: text().primaryKey(),
    certificateNo: text().notNull().unique(),
    name: text().notNull(),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    /** Department or unit within the bureau (所在单位). */
    department: text().notNull(),
    specialties: text().array().notNull().default([]),
    equipment: text().array().notNull().default([]),
    status: text({ enum: INSPECTOR_STATUSES }).notNull().default('active'),
    /** Inspections the officer can take per quarter. */
    capacityPerQuarter: integer().notNull().default(12),
    joinedOn: date(),
    leftOn: date(),
    ...timestamps,
  },
  (t) => [
    index().on(t.bureauCode, t.status),
    // What an officer's conflict declarations reference (with the bureau: they move with the officer).
    unique('inspectors_bureau_id').on(t.bureauCode, t.id),
  ],
);
