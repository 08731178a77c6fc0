import { index, pgTable, text, timestamp, bigserial, boolean } from 'drizzle-orm/pg-core';

/** Login attempts, for rate limiting per username and per client address. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    username: text().notNull(),
    clientAddress: text(),
    succeeded: boolean().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.username, t.at), index().on(t.clientAddress, t.at)],
);
