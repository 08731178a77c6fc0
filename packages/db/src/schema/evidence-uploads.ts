import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
    id: uuid().primaryKey().defaultRandom(),
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
  (t) => [index().on(t.sha256), index().on(t.uploadedBy, t.uploadedAt)],
);
