import { bigserial, date, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
    id: bigserial({ mode: 'number' }).primaryKey(),
    supervisionId: uuid()
      .notNull()
      .references(() => supervisions.id),
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
  (t) => [index().on(t.supervisionId)],
);
