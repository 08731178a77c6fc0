import {
  boolean,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { draws } from './draws';
import { plans } from './plans';

/** One inspection 抽查任务 of one unit by a team, issued from a signed draw. */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid().notNull().defaultRandom(),
    /**
     * The plan's bureau: the distribution column. A city-wide plan's tasks are the city's, whatever
     * district their unit is in, and a task stays where it is when its unit moves.
     */
    // No key of its own to `bureaus`: the bureau-keyed one to its parent implies it (SCALING.md).
    bureauCode: text().notNull(),
    drawId: uuid().notNull(),
    planId: uuid().notNull(),
    /**
     * Any district's unit for a city-wide plan, and a unit may move after the draw: not a foreign
     * key (units are keyed by bureau). The draw's frame is read from the roster, and units are
     * never deleted (SCALING.md).
     */
    unitId: text().notNull(),
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
  // Keyed by bureau first, so that it can be distributed by bureau_code with its plan (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    foreignKey({
      name: 'tasks_plan_fk',
      columns: [t.bureauCode, t.planId],
      foreignColumns: [plans.bureauCode, plans.id],
    }),
    foreignKey({
      name: 'tasks_draw_fk',
      columns: [t.bureauCode, t.drawId],
      foreignColumns: [draws.bureauCode, draws.id],
    }),
    index().on(t.drawId),
    index().on(t.unitId),
    // The lists' order (plan, then draw order): a page of a city plan's 10^5 tasks is read in
    // the index's order and stops after its rows, instead of sorting them all (3 s a page).
    index('tasks_plan_order_index').on(t.planId, t.sequence, t.id),
  ],
);
