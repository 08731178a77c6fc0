import { bigint, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { users } from './users';

/**
 * Who uploaded which evidence file, in which bureau. A finding may name a file only when it was
 * uploaded in the task's bureau (or by the recorder), so knowing another bureau's SHA-256 grants
 * nothing; per-user quotas and the collection of abandoned files read this table too.
 */
export const evidenceUploads = pgTable(
  'evidence_uploads',
  {
    id: uuid().notNull().defaultRandom(),
    sha256: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    mime: text().notNull(),
    name: text().notNull(),
    uploadedBy: uuid()
      .notNull()
      .references(() => users.id),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    uploadedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    index().on(t.sha256),
    index().on(t.uploadedBy, t.uploadedAt),
  ],
);

/**
 * Bytes of the daily evidence quota held by uploads still being received. An upload holds what it
 * may still send before it reads the body, and gives the hold back in the transaction that records
 * it (or when it fails), so parallel uploads — on one API process or on several — cannot each spend
 * what is left. A hold whose process died stops counting at `expiresAt`.
 */
export const evidenceQuotaHolds = pgTable(
  'evidence_quota_holds',
  {
    id: uuid().notNull().defaultRandom(),
    /** The uploader's bureau: the distribution column, as the upload's. */
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    bytes: bigint({ mode: 'number' }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.bureauCode, t.id] }), index().on(t.userId, t.expiresAt)],
);
