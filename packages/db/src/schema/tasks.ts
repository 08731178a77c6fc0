import { boolean, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { draws } from './draws';
import { plans } from './plans';
import { units } from './units';

/** One inspection 抽查任务 of one unit by a team, issued from a signed draw. */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid().primaryKey().defaultRandom(),
    /**
     * The plan's bureau: the distribution column. A city-wide plan's tasks are the city's, whatever
     * district their unit is in, and a task stays where it is when its unit moves.
     */
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    drawId: uuid()
      .notNull()
      .references(() => draws.id),
    planId: uuid()
      .notNull()
      .references(() => plans.id),
    unitId: text()
      .notNull()
      .references(() => units.id),
    sequence: integer().notNull(),
    /** Selection reason from the draw: mandatory, certainty, random. */
    reason: text().notNull(),
    team: text().array().notNull().default([]),
    experts: text().array().notNull().default([]),
    checklistItemCodes: text().array().notNull().default([]),
    scheduledOn: date(),
    status: text({ enum: ['issued', 'in-progress', 'done', 'cancelled'] })
      .notNull()
      .default('issued'),
    sealed: boolean().notNull().default(false),
    executedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.drawId), index().on(t.unitId), index().on(t.planId)],
);
