import { sql } from 'drizzle-orm';
import {
  date,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { findings } from './findings';
import { users } from './users';

/** Rectification checks 整改复查 of a finding; overdue or inadequate ones drive R18. */
export const rectifications = pgTable(
  'rectifications',
  {
    id: uuid().notNull().defaultRandom(),
    /** The finding's bureau (its plan's): the distribution column. */
    // No key of its own to `bureaus`: the bureau-keyed one to its parent implies it (SCALING.md).
    bureauCode: text().notNull(),
    findingId: uuid().notNull(),
    checkedOn: date().notNull(),
    outcome: text({ enum: ['rectified', 'inadequate', 'concealed'] }).notNull(),
    note: text().notNull().default(''),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code with its finding (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    foreignKey({
      name: 'rectifications_finding_fk',
      columns: [t.bureauCode, t.findingId],
      foreignColumns: [findings.bureauCode, findings.id],
    }),
    index().on(t.findingId),
    // A finding is rectified once: concurrent `rectified` checks cannot both land (a finding is in
    // its rectifications' bureau, so the bureau in the key changes nothing).
    uniqueIndex('rectifications_one_rectified_per_finding')
      .on(t.bureauCode, t.findingId)
      .where(sql`${t.outcome} = 'rectified'`),
  ],
);
