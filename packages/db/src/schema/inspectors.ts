import { INSPECTOR_STATUSES } from '@spotcheck/core';
import { date, index, integer, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { timestamps } from './_columns';
import { bureaus } from './bureaus';

/** The inspector roster 执法人员名录库 (R3): every frontline officer. */
export const inspectors = pgTable(
  'inspectors',
  {
    /**
     * ASCII id used in draws, e.g. `I120116-0007`. Unique across bureaus: checked under a lock by
     * every write that adds an officer (`lib/roster-keys.ts`), since the key is per bureau.
     */
    id: text().notNull(),
    /**
     * 执法证号, national: unique within the bureau by key, and across bureaus by a check under a
     * lock on the number when an officer is added or the number changes (`lib/roster-keys.ts`).
     */
    certificateNo: text().notNull(),
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
  // Keyed by bureau first, so that it can be distributed by bureau_code (SCALING.md). An officer's
  // conflict declarations reference the key (they move with the officer).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    unique('inspectors_bureau_certificate').on(t.bureauCode, t.certificateNo),
    // An officer by id or certificate number alone (the national checks): the keys lead with the bureau.
    index().on(t.id),
    index().on(t.certificateNo),
    index().on(t.bureauCode, t.status),
  ],
);
