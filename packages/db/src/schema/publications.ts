import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { users } from './users';
import type { PublicationContent } from '@spotcheck/core';

/**
 * What the public 双随机、一公开 column shows (R15–R16): redacted content, frozen when published.
 * A withdrawal or correction is a new publication naming the one it replaces.
 */
export const publications = pgTable(
  'publications',
  {
    id: uuid().notNull().defaultRandom(),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    kind: text({
      enum: [
        'checklist',
        'procedure',
        'plan',
        'commitment',
        'draw',
        'void',
        'sign-off',
        'void-sign-off',
        'replacement',
        'plan-id',
        'key-registry',
        'quarterly-results',
        'blacklist',
        'blacklist-removal',
        'supervision',
        'supervision-closed',
        'audit-checkpoint',
        'log-witnesses',
      ],
    }).notNull(),
    /** The published entity's id (checklist version, plan, draw…). */
    refId: text().notNull(),
    period: text(),
    title: text().notNull(),
    content: jsonb().$type<PublicationContent>().notNull(),
    digest: text().notNull(),
    replacesId: uuid(),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    publishedBy: uuid().references(() => users.id),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code (SCALING.md); published
  // results reference the key. The id is made by the database (a random UUID), never by a client.
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    // A publication is addressed by its id alone (the key leads with the bureau).
    index().on(t.id),
    index().on(t.bureauCode, t.kind),
    index().on(t.refId),
  ],
);
