import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { users } from './users';

/**
 * States of a blacklist proceeding, in order: proposed → reviewed → noticed → decided →
 * published; `rejected` (review refused) and `dismissed` (decided not to act) end it early.
 */
export const BLACKLIST_PROCEEDING_STATUSES = [
  'proposed',
  'reviewed',
  'noticed',
  'decided',
  'published',
  'rejected',
  'dismissed',
] as const;

/** Statuses of a proceeding still under way (one per unit and kind at a time). */
export const OPEN_PROCEEDING_STATUSES = ['proposed', 'reviewed', 'noticed', 'decided'] as const;

/**
 * Due process for the blacklist 黑名单 (R18–R19): putting a unit on it (`listing`) or taking it
 * off by credit repair 信用修复 (`removal`). A proposal (by a scheduled rule, or by an officer)
 * is reviewed by a second person, noticed to the unit with an objection period 陈述申辩期,
 * decided after the period, and published. Steps are append-only `blacklist_proceeding_steps`.
 */
export const blacklistProceedings = pgTable(
  'blacklist_proceedings',
  {
    id: uuid().notNull().defaultRandom(),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    /** Read from the roster when proposed; not a foreign key (the unit may move, units are keyed by bureau). */
    unitId: text().notNull(),
    kind: text({ enum: ['listing', 'removal'] }).notNull(),
    /** concealed | inadequate | overdue (listing) or credit-repair (removal). */
    reason: text({ enum: ['concealed', 'inadequate', 'overdue', 'credit-repair'] }).notNull(),
    /** Who proposed it: a scheduled rule (job), an officer's follow-up check, or staff. */
    origin: text({ enum: ['rule', 'inspector', 'staff'] }).notNull(),
    /**
     * The finding a listing is proposed on. Not a foreign key: the proceeding is in the unit's
     * bureau now, the finding in its plan's (a city-wide plan's, or the district the unit left);
     * the proposal checks it exists (`loadFindingContext`), and findings are never deleted.
     */
    findingId: uuid(),
    status: text({ enum: BLACKLIST_PROCEEDING_STATUSES }).notNull(),
    /** Also reported for joint punishment 失信联合惩戒 (listing only). */
    jointPunishment: boolean().notNull().default(false),
    proposedOn: date().notNull(),
    /** null: proposed by a scheduled job. */
    proposedBy: uuid().references(() => users.id),
    reviewedBy: uuid().references(() => users.id),
    noticeNumber: text(),
    noticedOn: date(),
    /** Days the unit has to object, counted from the notice. */
    objectionDays: integer(),
    /** Last day of the objection period; no decision before the day after. */
    objectionEndsOn: date(),
    decisionNumber: text(),
    decidedOn: date(),
    decidedBy: uuid().references(() => users.id),
    /** The publication made with the decision, in the same transaction: not a foreign key. */
    publicationId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    index().on(t.bureauCode, t.status),
    index().on(t.unitId),
    // One proceeding of a kind under way per unit: a job running twice cannot propose twice.
    // A proceeding is in its unit's bureau, so the bureau in the key changes nothing.
    uniqueIndex('blacklist_proceedings_one_open')
      .on(t.bureauCode, t.unitId, t.kind)
      .where(sql`${t.status} in ('proposed', 'reviewed', 'noticed', 'decided')`),
  ],
);
