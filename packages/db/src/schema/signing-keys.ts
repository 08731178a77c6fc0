import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { users } from './users';

/**
 * Officials' Ed25519 sign-off keys (sr-draw/v2 §6, §9.7). The private key is generated and kept
 * in the official's browser (WebCrypto, non-extractable); only the raw public key comes here.
 * A key is `pending` until an admin registers it; registration, rotation and revocation each
 * republish the bureau's key registry (`sr-draw/v2/keys`) before the key can sign. A keyId
 * belongs to one signer only.
 */
export const signingKeys = pgTable(
  'signing_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    /** Lowercase hex SHA-256 of the raw 32-byte public key. */
    keyId: text().notNull(),
    /** Raw 32-byte Ed25519 public key, lowercase hex. */
    publicKey: text().notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    /** The signer name published in the registry (exactly as signed). */
    signerName: text().notNull(),
    status: text({ enum: ['pending', 'active', 'revoked', 'rotated', 'rejected'] }).notNull(),
    proposedAt: timestamp({ withTimezone: true }).notNull(),
    /** Set at registration: the registry naming the key is published at this instant. */
    validFrom: timestamp({ withTimezone: true }),
    /** Set at rotation or revocation (null while valid). */
    validUntil: timestamp({ withTimezone: true }),
    registeredBy: uuid().references(() => users.id),
    endedBy: uuid().references(() => users.id),
    endReason: text(),
  },
  (t) => [uniqueIndex('signing_keys_key_id').on(t.keyId), index().on(t.bureauCode, t.status)],
);
