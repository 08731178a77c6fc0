import { VERSION_STATUSES, type RulePackContent } from '@spotcheck/core';
import { jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './_columns';
import { bureaus } from './bureaus';
import { users } from './users';

/**
 * Where a draft is in review: a district (or the city) edits it, submits it with a note, a city
 * admin approves it or returns it with an opinion (审批意见); only an approved draft publishes.
 */
export const RULE_PACK_REVIEW_STATES = ['editing', 'submitted', 'returned', 'approved'] as const;

/**
 * Versions of rule packs (R14): draft (editing → submitted → approved | returned) → published
 * (immutable, content digest) → retired.
 */
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
    content: jsonb().$type<RulePackContent>().notNull(),
    digest: text().notNull(),
    review: text({ enum: RULE_PACK_REVIEW_STATES }).notNull().default('editing'),
    submittedBy: uuid().references(() => users.id),
    submittedAt: timestamp({ withTimezone: true }),
    /** The author's note to the reviewer. */
    submitNote: text(),
    reviewedBy: uuid().references(() => users.id),
    reviewedAt: timestamp({ withTimezone: true }),
    /** 审批意见: why it was approved or returned. */
    reviewOpinion: text(),
    publishedAt: timestamp({ withTimezone: true }),
    publishedBy: uuid().references(() => users.id),
    retiredAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [unique().on(t.packId, t.version)],
);
