import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './_columns';
import { bureaus } from './bureaus';

/**
 * Platform accounts. Passwords are argon2id hashes. An account holds no signing key: officials' Ed25519
 * keys are made in their browsers and registered in `signing_keys` (sr-draw/v2: the server signs nothing).
 */
export const users = pgTable('users', {
  id: uuid().primaryKey().defaultRandom(),
  username: text().notNull().unique(),
  displayName: text().notNull(),
  passwordHash: text().notNull(),
  bureauCode: text()
    .notNull()
    .references(() => bureaus.code),
  /** Inspector roster id when the account belongs to an inspector. */
  inspectorId: text(),
  status: text({ enum: ['active', 'disabled'] })
    .notNull()
    .default('active'),
  sessionsRevokedAt: timestamp({ withTimezone: true }),
  ...timestamps,
});
