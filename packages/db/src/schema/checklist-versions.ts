import { VERSION_STATUSES } from '@spotcheck/core';
import { integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './_columns';
import { bureaus } from './bureaus';
import { users } from './users';

/**
 * A version of one bureau's checklist layer (R1–R2). A district's effective checklist is the
 * city's published version plus its own. Published versions are immutable; edits make a new draft.
 */
export const checklistVersions = pgTable(
  'checklist_versions',
  {
    id: uuid().primaryKey().defaultRandom(),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    version: integer().notNull(),
    status: text({ enum: VERSION_STATUSES }).notNull().default('draft'),
    /** sha256 of the canonical item list, set on publication. */
    digest: text(),
    /** For a district layer: the city version it was built on. */
    baseVersionId: uuid(),
    note: text(),
    publishedAt: timestamp({ withTimezone: true }),
    publishedBy: uuid().references(() => users.id),
    retiredAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [unique().on(t.bureauCode, t.version)],
);
