import { index, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
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
    id: uuid().primaryKey().defaultRandom(),
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
  (t) => [
    index().on(t.bureauCode, t.kind),
    index().on(t.refId),
    // What published results reference, with their bureau (SCALING.md).
    unique('publications_bureau_id').on(t.bureauCode, t.id),
  ],
);
