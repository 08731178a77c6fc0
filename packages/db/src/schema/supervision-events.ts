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
import { supervisions } from './supervisions';
import { users } from './users';
import type { EvidenceFile, SupervisionEventDetail } from '@spotcheck/core';

/**
 * One step of a listed supervision (append-only): `listed` 挂牌, `evidence` 整改材料,
 * `review` 审核 (passed or not; a pass proposes 销号), `close-approved` 销号 by a second person,
 * `close-rejected`. Documents are evidence uploads `[{name, sha256, size, mime}]`.
 */
export const supervisionEvents = pgTable(
  'supervision_events',
  {
    id: bigserial({ mode: 'number' }).notNull(),
    /** The parent's bureau (copied on insert): the distribution column. */
    bureauCode: text().notNull(),
    supervisionId: uuid().notNull(),
    kind: text({ enum: ['listed', 'evidence', 'review', 'close-approved', 'close-rejected'] }).notNull(),
    on: date().notNull(),
    note: text().notNull().default(''),
    detail: jsonb().$type<SupervisionEventDetail>().notNull().default({}),
    documents: jsonb().$type<EvidenceFile[]>().notNull().default([]),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code with its parent (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    foreignKey({
      name: 'supervision_events_supervision_fk',
      columns: [t.bureauCode, t.supervisionId],
      foreignColumns: [supervisions.bureauCode, supervisions.id],
    }),
    index().on(t.supervisionId),
  ],
);
