import { boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/**
 * The last progress of each long request (`plans.approve`, `draws.run`, `draws.verify` of a city:
 * tens of seconds) by the operation id its caller chose, shared by every API server on one
 * PostgreSQL: the admin's questions about an operation (`progress.get`, `progress.cancel`) may
 * reach another server than the request. A row is a few bytes, rewritten at most twice a second
 * while its operation runs, and read for ten minutes after its last report.
 */
export const operationProgress = pgTable(
  'operation_progress',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    operationId: uuid().notNull(),
    phase: text().notNull(),
    done: integer().notNull().default(0),
    total: integer(),
    step: text(),
    /** Asked to stop (from any server) while it still wrote nothing: it stops at its next report. */
    cancelRequested: boolean().notNull().default(false),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.operationId] })],
);
