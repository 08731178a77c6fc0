import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';

/** Streets and towns (乡镇街道) of each district, 9-digit codes. */
export const streets = pgTable(
  'streets',
  {
    code: text().primaryKey(),
    name: text().notNull(),
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
  },
  (t) => [index().on(t.bureauCode)],
);
