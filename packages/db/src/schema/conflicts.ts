import { date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { inspectors } from './inspectors';
import { units } from './units';
import { users } from './users';

/** Conflict-of-interest declarations (回避): the inspector must not inspect the unit. */
export const conflicts = pgTable(
  'conflicts',
  {
    id: uuid().primaryKey().defaultRandom(),
    /**
     * The inspector's bureau (which declares and revokes it): the distribution column. The unit may
     * be in another district. Moves with the inspector.
     */
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    inspectorId: text()
      .notNull()
      .references(() => inspectors.id),
    unitId: text()
      .notNull()
      .references(() => units.id),
    reason: text().notNull(),
    declaredOn: date().notNull(),
    declaredBy: uuid().references(() => users.id),
    revokedAt: timestamp({ withTimezone: true }),
    revokeReason: text(),
  },
  (t) => [index().on(t.inspectorId), index().on(t.unitId)],
);
