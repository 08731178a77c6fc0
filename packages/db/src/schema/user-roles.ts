import { ROLES } from '@spotcheck/core';
import { index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { users } from './users';

/** Bureau membership: a user holds a role in a bureau (the city bureau's roles reach all districts). */
export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text({ enum: ROLES }).notNull(),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role, t.bureauCode] }), index().on(t.bureauCode)],
);
