import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamps } from './_columns';
import { bureaus } from './bureaus';

/** The expert library 行业专家信息库 (R5): industry experts who may join a team. */
export const experts = pgTable(
  'experts',
  {
    id: text().primaryKey(),
    name: text().notNull(),
    /** Null: available city-wide. */
    bureauCode: text().references(() => bureaus.code),
    specialties: text().array().notNull().default([]),
    title: text().notNull().default(''),
    employer: text().notNull().default(''),
    status: text({ enum: ['active', 'inactive'] })
      .notNull()
      .default('active'),
    ...timestamps,
  },
  (t) => [index().on(t.bureauCode)],
);
