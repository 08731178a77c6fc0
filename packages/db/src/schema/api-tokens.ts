import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { users } from './users';

/** Tokens for other government systems (R22, R23): pull published data, push credit facts. */
export const apiTokens = pgTable('api_tokens', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  bureauCode: text()
    .notNull()
    .references(() => bureaus.code),
  tokenHash: text().notNull().unique(),
  scopes: text().array().notNull(),
  createdBy: uuid().references(() => users.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp({ withTimezone: true }),
});
