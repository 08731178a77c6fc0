import { sql } from 'drizzle-orm';
import {
  date,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { findings } from './findings';
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
    id: uuid().notNull().defaultRandom(),
    /** The bureau whose inspection found the hazard (scope of the record). */
    // No key of its own to `bureaus`: the bureau-keyed one to its parent implies it (SCALING.md).
    bureauCode: text().notNull(),
    /** 督办单位: the bureau that supervises (the finding's bureau or the city). */
    supervisingBureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    findingId: uuid().notNull(),
    /**
     * The finding's unit, which may have moved to another district since: not a foreign key (units
     * are keyed by bureau); taken from the finding's task when the listing opens.
     */
    unitId: text().notNull(),
    /** 督办编号, unique within the supervising bureau. */
    listingNumber: text().notNull(),
    status: text({ enum: SUPERVISION_STATUSES }).notNull(),
    listedOn: date().notNull(),
    /** 整改期限. */
    deadline: date().notNull(),
    /** The publication made in the same transaction (in the supervising bureau): not a foreign key. */
    listingPublicationId: uuid(),
    /** Who proposed 销号 (the reviewer who passed the evidence); the approver must be someone else. */
    closeProposedBy: uuid().references(() => users.id),
    closedOn: date(),
    closedBy: uuid().references(() => users.id),
    /** As `listingPublicationId`. */
    closingPublicationId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    foreignKey({
      name: 'supervisions_finding_fk',
      columns: [t.bureauCode, t.findingId],
      foreignColumns: [findings.bureauCode, findings.id],
    }),
    index().on(t.bureauCode, t.status),
    // A finding belongs to the supervision's bureau, so the bureau in the key changes nothing.
    uniqueIndex('supervisions_one_per_finding').on(t.bureauCode, t.findingId),
    // Per bureau only: the city's numbers across its districts are checked when a listing is
    // opened (`supervisions.open`), since a distributed table cannot hold a cross-bureau key.
    uniqueIndex('supervisions_number').on(t.bureauCode, t.supervisingBureauCode, t.listingNumber),
    index('supervisions_open')
      .on(t.unitId)
      .where(sql`${t.status} <> 'closed'`),
  ],
);
