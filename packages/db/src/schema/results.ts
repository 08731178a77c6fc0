import { RESULT_OUTCOMES } from '@spotcheck/core';
import { sql } from 'drizzle-orm';
import {
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tasks } from './tasks';
import { users } from './users';
import type { Redaction } from '@spotcheck/core';

/**
 * What the team found 检查结果. Results are never edited: a correction is a new result that
 * names the one it supersedes.
 */
export const results = pgTable(
  'results',
  {
    id: uuid().notNull().defaultRandom(),
    /** The task's bureau (its plan's): the distribution column. */
    // No key of its own to `bureaus`: the bureau-keyed one to its parent implies it (SCALING.md).
    bureauCode: text().notNull(),
    taskId: uuid().notNull(),
    outcome: text({ enum: RESULT_OUTCOMES }).notNull(),
    summary: text().notNull().default(''),
    inspectedOn: text().notNull(),
    supersedesId: uuid(),
    correctionReason: text(),
    /**
     * R16: fields withheld from the public column, each with its reason category
     * (`[{ field, reason, note }]`, see `REDACTION_POLICY`); fixed with the result, changed only
     * by a correction.
     */
    redactions: jsonb().$type<Redaction[]>().notNull().default([]),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code with its task (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    foreignKey({
      name: 'results_task_fk',
      columns: [t.bureauCode, t.taskId],
      foreignColumns: [tasks.bureauCode, tasks.id],
    }),
    index().on(t.taskId),
    // One original result per task: concurrent first records cannot both land (a task is in its
    // results' bureau, so the bureau in the key changes nothing).
    uniqueIndex('results_one_original_per_task')
      .on(t.bureauCode, t.taskId)
      .where(sql`${t.supersedesId} is null`),
  ],
);
