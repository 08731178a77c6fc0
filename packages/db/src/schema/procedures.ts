import { VERSION_STATUSES, type ProcedureContent } from '@spotcheck/core';
import { integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './_columns';
import { bureaus } from './bureaus';
import { users } from './users';

/**
 * A bureau's 随机抽查制度 (R6): leading group, plan template, steps and frequency, use and
 * publication of results, lead department and duties. Versioned like the checklist.
 */
export const procedures = pgTable(
  'procedures',
  {
    id: uuid().primaryKey().defaultRandom(),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    version: integer().notNull(),
    status: text({ enum: VERSION_STATUSES }).notNull().default('draft'),
    content: jsonb().$type<ProcedureContent>().notNull(),
    publishedAt: timestamp({ withTimezone: true }),
    publishedBy: uuid().references(() => users.id),
    ...timestamps,
  },
  (t) => [unique().on(t.bureauCode, t.version)],
);
