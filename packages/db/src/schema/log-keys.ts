import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The log's Ed25519 key (made on first use), its secret encrypted with the server key secret. */
export const logKeys = pgTable('log_keys', {
  origin: text().primaryKey(),
  publicKey: text().notNull(),
  secretKeyEnc: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
