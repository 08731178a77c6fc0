import { sql } from 'drizzle-orm';
import { text, timestamp } from 'drizzle-orm/pg-core';

/** Server-side creation/update timestamps shared by every mutable table. */
export const timestamps = {
  createdAt: timestamp({ withTimezone: true })
    .notNull()
    .default(sql`now()`),
  updatedAt: timestamp({ withTimezone: true })
    .notNull()
    .default(sql`now()`),
};

/** The bureau (GB/T 2260 code) that owns a row: the unit of access scope. */
export const bureauScope = () => text().notNull();
