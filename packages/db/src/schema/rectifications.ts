import { sql } from 'drizzle-orm';
import { date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { findings } from './findings';
import { users } from './users';

/** Rectification checks 整改复查 of a finding; overdue or inadequate ones drive R18. */
export const rectifications = pgTable(
  'rectifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The finding's bureau (its plan's): the distribution column. */
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    findingId: uuid()
      .notNull()
      .references(() => findings.id),
    checkedOn: date().notNull(),
    outcome: text({ enum: ['rectified', 'inadequate', 'concealed'] }).notNull(),
    note: text().notNull().default(''),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
  },
  (t) => [
    index().on(t.findingId),
    // A finding is rectified once: concurrent `rectified` checks cannot both land.
    uniqueIndex('rectifications_one_rectified_per_finding')
      .on(t.findingId)
      .where(sql`${t.outcome} = 'rectified'`),
  ],
);
