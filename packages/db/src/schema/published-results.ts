import { pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { publications } from './publications';
import { results } from './results';

/**
 * Which result went out in which quarterly publication (internal, never public): a quarter is
 * not published twice, and results entered after it go out in a supplementary publication.
 */
export const publishedResults = pgTable(
  'published_results',
  {
    resultId: uuid()
      .notNull()
      .references(() => results.id),
    publicationId: uuid()
      .notNull()
      .references(() => publications.id),
  },
  (t) => [primaryKey({ columns: [t.resultId, t.publicationId] })],
);
