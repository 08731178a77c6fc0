import { date, foreignKey, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { inspectors } from './inspectors';
import { users } from './users';

/** Conflict-of-interest declarations (回避): the inspector must not inspect the unit. */
export const conflicts = pgTable(
  'conflicts',
  {
    id: uuid().notNull().defaultRandom(),
    /**
     * The inspector's bureau (which declares and revokes it): the distribution column. The unit may
     * be in another district. Moves with the inspector.
     */
    // No key of its own to `bureaus`: the bureau-keyed one to its parent implies it (SCALING.md).
    bureauCode: text().notNull(),
    inspectorId: text().notNull(),
    /**
     * Any district's unit (a city-wide plan's frame spans them): not a foreign key (units are keyed
     * by bureau); `conflicts.declare` reads the unit first.
     */
    unitId: text().notNull(),
    reason: text().notNull(),
    declaredOn: date().notNull(),
    declaredBy: uuid().references(() => users.id),
    revokedAt: timestamp({ withTimezone: true }),
    revokeReason: text(),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code with its officer (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.id] }),
    // An officer moved to another district takes the declarations along.
    foreignKey({
      name: 'conflicts_inspector_fk',
      columns: [t.bureauCode, t.inspectorId],
      foreignColumns: [inspectors.bureauCode, inspectors.id],
    }).onUpdate('cascade'),
    index().on(t.inspectorId),
    index().on(t.unitId),
  ],
);
