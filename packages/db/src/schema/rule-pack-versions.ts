import { VERSION_STATUSES } from '@spotcheck/core';
import { jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './_columns';
import { bureaus } from './bureaus';
import { users } from './users';

/** Versions of rule packs (R14): draft → published (immutable, content digest) → retired. */
export const rulePackVersions = pgTable(
  'rule_pack_versions',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Pack id, e.g. `tianjin/binhai`. */
    packId: text().notNull(),
    version: text().notNull(),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    status: text({ enum: VERSION_STATUSES }).notNull().default('draft'),
    /** The whole pack (manifest, rules, cases) as JSON. */
    content: jsonb().notNull(),
    digest: text().notNull(),
    publishedAt: timestamp({ withTimezone: true }),
    publishedBy: uuid().references(() => users.id),
    retiredAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [unique().on(t.packId, t.version)],
);
