import { pgTable, text } from 'drizzle-orm/pg-core';

/** City and district work-safety bureaus, keyed by GB/T 2260 code (120000 city, 120101… districts). */
export const bureaus = pgTable('bureaus', {
  code: text().primaryKey(),
  name: text().notNull(),
  level: text({ enum: ['city', 'district'] }).notNull(),
  parentCode: text(),
});
