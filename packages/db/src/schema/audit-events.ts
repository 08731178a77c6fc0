import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { JsonValue } from '@spotcheck/core';

/**
 * The append-only, hash-chained audit trail 全过程记录 (R21). `hash` covers the event and the
 * previous event's hash; the database refuses UPDATE and DELETE (see migration `audit_append_only`).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint({ mode: 'number' }).primaryKey(),
    at: timestamp({ withTimezone: true, mode: 'string' }).notNull(),
    actorUserId: uuid(),
    actorRole: text(),
    bureauCode: text(),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    before: jsonb().$type<JsonValue>(),
    after: jsonb().$type<JsonValue>(),
    prevHash: text().notNull(),
    hash: text().notNull(),
  },
  (t) => [index().on(t.entity, t.entityId)],
);
