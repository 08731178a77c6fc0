import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './_columns';
import { bureaus } from './bureaus';

/** Platform accounts. Passwords are argon2id hashes; the Ed25519 key signs draws (R24). */
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
  signingPublicKey: text(),
  /** PKCS#8 private key, encrypted with the server's key-encryption secret. */
  signingPrivateKeyEnc: text(),
  sessionsRevokedAt: timestamp({ withTimezone: true }),
  ...timestamps,
});
