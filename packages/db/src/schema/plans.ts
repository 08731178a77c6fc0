import {
  INSPECTION_KINDS,
  PLAN_STATUSES,
  type PlanScope,
  type PlanStratum,
  type PlanTeam,
  type SourceSpecV2,
  type VersionRef,
} from '@spotcheck/core';
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './_columns';
import { bureaus } from './bureaus';
import { checklistVersions } from './checklist-versions';
import { users } from './users';

/**
 * An inspection plan 抽查计划 for a period. Scope, strata, team rules and randomness sources are
 * set while drafting and frozen at approval, when the draw's commitment is made.
 */
export const plans = pgTable(
  'plans',
  {
    id: uuid().notNull().defaultRandom(),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    title: text().notNull(),
    /** `2027`, `2027-Q1` or `2027-03`. */
    period: text().notNull(),
    kind: text({ enum: INSPECTION_KINDS }).notNull(),
    status: text({ enum: PLAN_STATUSES }).notNull().default('draft'),
    /** Which units: industries, streets, filters. */
    scope: jsonb().$type<PlanScope>().notNull().default({}),
    /** Strata with method and ratio/quota, as drafted. */
    strata: jsonb().$type<PlanStratum[]>().notNull().default([]),
    /** `{assign, size, specialist, ownJurisdiction, experts}`. */
    team: jsonb().$type<PlanTeam>().notNull(),
    /** Randomness sources named before they exist. */
    sources: jsonb().$type<SourceSpecV2[]>().notNull().default([]),
    /** v2: when the draw is planned; the wizard proposes sources that exist only after it. */
    plannedDrawAt: timestamp({ withTimezone: true }),
    checklistVersionId: uuid().references(() => checklistVersions.id),
    /** Rule pack ids, versions and digests in force, frozen at approval. */
    rulePacks: jsonb().$type<VersionRef[]>().notNull().default([]),
    /** R8: why a general inspection draws units only. */
    unitsOnlyReason: text(),
    /** R10: covert plans stay sealed to all but the team until executed. */
    sealed: boolean().notNull().default(false),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    submittedAt: timestamp({ withTimezone: true }),
    approvedAt: timestamp({ withTimezone: true }),
    approvedBy: uuid().references(() => users.id),
    ...timestamps,
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code (SCALING.md); its draws and
  // tasks reference the key. The id is made by the database (a random UUID), never by a client.
  // A plan is addressed by its id alone (the key leads with the bureau).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    index().on(t.id),
    index().on(t.bureauCode, t.period),
  ],
);
