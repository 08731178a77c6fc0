import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/**
 * Witnesses of the transparency log, configured by the city and published: parties independent
 * of the bureaus (the supervisory authority, public monitors) that co-sign checkpoints.
 */
export const logWitnesses = pgTable('log_witnesses', {
  id: uuid().primaryKey().defaultRandom(),
  /** Key name (printable ASCII, no spaces or +), as in the co-signature. */
  name: text().notNull().unique(),
  /** Who runs it, shown on the portal. */
  label: text().notNull(),
  /** Raw Ed25519 public key, base64. */
  publicKey: text().notNull().unique(),
  addedAt: timestamp({ withTimezone: true }).notNull(),
  addedBy: uuid().references(() => users.id),
  retiredAt: timestamp({ withTimezone: true }),
});
