import { pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { bureaus } from './bureaus';
import { publications } from './publications';
import { results } from './results';

/**
 * Which result went out in which quarterly publication (internal, never public): a quarter is
 * not published twice, and results entered after it go out in a supplementary publication.
 */
export const publishedResults = pgTable(
  'published_results',
  {
    /** The publication's bureau, which is its results' (their plans'): the distribution column. */
    bureauCode: text()
      .notNull()
      .references(() => bureaus.code),
    resultId: uuid()
      .notNull()
      .references(() => results.id),
    publicationId: uuid()
      .notNull()
      .references(() => publications.id),
  },
  (t) => [primaryKey({ columns: [t.resultId, t.publicationId] })],
);
