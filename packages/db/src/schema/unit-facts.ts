import { UNIT_FACT_KINDS, type UnitFactValue } from '@spotcheck/core';
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
import { units } from './units';
import { users } from './users';

/**
 * Dated facts about a unit with their history (fatal accidents, hazards, blacklist, credit…).
 * Never updated in place except to close (`endedOn`); a correction is a new record.
 */
export const unitFacts = pgTable(
  'unit_facts',
  {
    id: bigserial({ mode: 'number' }).notNull(),
    /**
     * The unit's bureau: the distribution column. A unit's facts are its history and move with it
     * when it moves to another district.
     */
    // No key of its own to `bureaus`: the bureau-keyed one to its parent implies it (SCALING.md).
    bureauCode: text().notNull(),
    unitId: text().notNull(),
    kind: text({ enum: UNIT_FACT_KINDS }).notNull(),
    /** Kind-specific detail, e.g. `{"deaths":2}` or `{"grade":"high"}`. */
    value: jsonb().$type<UnitFactValue>().notNull().default({}),
    effectiveOn: date().notNull(),
    endedOn: date(),
    /** Where it came from: `import:…`, `result:<id>`, `api:<token>`, `demo`. */
    source: text().notNull(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    recordedBy: uuid().references(() => users.id),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code with its unit (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    // A unit moved to another district takes its facts along.
    foreignKey({
      name: 'unit_facts_unit_fk',
      columns: [t.bureauCode, t.unitId],
      foreignColumns: [units.bureauCode, units.id],
    }).onUpdate('cascade'),
    index().on(t.unitId, t.kind),
  ],
);
