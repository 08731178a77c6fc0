import {
  bigserial,
  date,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { blacklistProceedings } from './blacklist-proceedings';
import { users } from './users';
import type { BlacklistStepDetail, EvidenceFile } from '@spotcheck/core';

/**
 * One step of a blacklist proceeding (append-only): proposed, reviewed, rejected, noticed,
 * objection (the unit's 陈述申辩, recorded by staff), decided, dismissed, published.
 */
export const blacklistProceedingSteps = pgTable(
  'blacklist_proceeding_steps',
  {
    id: bigserial({ mode: 'number' }).notNull(),
    /** The parent's bureau (copied on insert): the distribution column. */
    bureauCode: text().notNull(),
    proceedingId: uuid().notNull(),
    step: text({
      enum: ['proposed', 'reviewed', 'rejected', 'noticed', 'objection', 'decided', 'dismissed', 'published'],
    }).notNull(),
    on: date().notNull(),
    note: text().notNull().default(''),
    detail: jsonb().$type<BlacklistStepDetail>().notNull().default({}),
    documents: jsonb().$type<EvidenceFile[]>().notNull().default([]),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** null: a scheduled job. */
    recordedBy: uuid().references(() => users.id),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code with its parent (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    foreignKey({
      name: 'blacklist_proceeding_steps_proceeding_fk',
      columns: [t.bureauCode, t.proceedingId],
      foreignColumns: [blacklistProceedings.bureauCode, blacklistProceedings.id],
    }),
    index().on(t.proceedingId),
  ],
);
