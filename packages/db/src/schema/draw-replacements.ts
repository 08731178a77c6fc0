import {
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { draws } from './draws';
import { users } from './users';
import type { ReplacementRecordV2 } from '@spotcheck/core';

/**
 * Team member replacements of a signed sr-draw/v2 draw (DRAW-SPEC-v2 §9.6), append-only: each row is
 * one numbered public record (`sr-draw/v2/replacement`) computed by packages/core from the draw's
 * committed shuffle — who leaves and why is the platform's input, who joins is not. The draw's
 * bundle is never edited; its current teams are the result with these records applied in order.
 */
export const drawReplacements = pgTable(
  'draw_replacements',
  {
    id: uuid().notNull().defaultRandom(),
    /** The draw's bureau (its plan's): the distribution column. */
    // No key of its own to `bureaus`: the bureau-keyed one to its parent implies it (SCALING.md).
    bureauCode: text().notNull(),
    drawId: uuid().notNull(),
    /** 1, 2, … per draw, in the order recorded (the order the records apply in). */
    number: integer().notNull(),
    unitId: text().notNull(),
    outInspectorId: text().notNull(),
    inInspectorId: text().notNull(),
    /** `unavailable` (ill, on leave: off every team of the draw) or `avoid` (a conflict declared after the draw). */
    reason: text({ enum: ['unavailable', 'avoid'] }).notNull(),
    /** The explanation given (kept by the platform; the record carries the reason id). */
    note: text().notNull(),
    /** The canonical record `sr-draw/v2/replacement` exactly as published. */
    record: jsonb().$type<ReplacementRecordV2>().notNull(),
    recordedAt: timestamp({ withTimezone: true }).notNull(),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code with its draw (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    foreignKey({
      name: 'draw_replacements_draw_fk',
      columns: [t.bureauCode, t.drawId],
      foreignColumns: [draws.bureauCode, draws.id],
    }),
    // Numbered per draw (a draw is in its replacements' bureau, so the bureau changes nothing).
    uniqueIndex('draw_replacements_draw_number').on(t.bureauCode, t.drawId, t.number),
    index().on(t.drawId),
  ],
);
