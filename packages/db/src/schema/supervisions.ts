import { sql } from 'drizzle-orm';
import { date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { findings } from './findings';
import { publications } from './publications';
import { units } from './units';
import { users } from './users';

/** States of a listed supervision 挂牌督办, in order; a failed review returns it to `listed`. */
export const SUPERVISION_STATUSES = ['listed', 'evidence-submitted', 'close-proposed', 'closed'] as const;

/**
 * Listed supervision 挂牌督办 of a major hazard (R17): the bureau that found it, the supervising
 * bureau (itself or the city), a deadline, a public listing, rectification evidence and its
 * review, and 销号 approved by a second person. Steps are append-only `supervision_events`.
 */
export const supervisions = pgTable(
  'supervisions',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The bureau whose inspection found the hazard (scope of the record). */
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    /** 督办单位: the bureau that supervises (the finding's bureau or the city). */
    supervisingBureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    findingId: uuid()
      .notNull()
      .references(() => findings.id),
    unitId: text()
      .notNull()
      .references(() => units.id),
    /** 督办编号, unique within the supervising bureau. */
    listingNumber: text().notNull(),
    status: text({ enum: SUPERVISION_STATUSES }).notNull(),
    listedOn: date().notNull(),
    /** 整改期限. */
    deadline: date().notNull(),
    listingPublicationId: uuid().references(() => publications.id),
    /** Who proposed 销号 (the reviewer who passed the evidence); the approver must be someone else. */
    closeProposedBy: uuid().references(() => users.id),
    closedOn: date(),
    closedBy: uuid().references(() => users.id),
    closingPublicationId: uuid().references(() => publications.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
  },
  (t) => [
    index().on(t.bureauCode, t.status),
    uniqueIndex('supervisions_one_per_finding').on(t.findingId),
    uniqueIndex('supervisions_number').on(t.supervisingBureauCode, t.listingNumber),
    index('supervisions_open')
      .on(t.unitId)
      .where(sql`${t.status} <> 'closed'`),
  ],
);
