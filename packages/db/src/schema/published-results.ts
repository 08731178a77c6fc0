import { foreignKey, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
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
    // No key of its own to `bureaus`: the bureau-keyed one to its parent implies it (SCALING.md).
    bureauCode: text().notNull(),
    resultId: uuid().notNull(),
    publicationId: uuid().notNull(),
  },
  // Keyed by bureau first, so that it can be distributed by bureau_code (SCALING.md).
  (t) => [
    primaryKey({ columns: [t.bureauCode, t.resultId, t.publicationId] }),
    foreignKey({
      name: 'published_results_result_fk',
      columns: [t.bureauCode, t.resultId],
      foreignColumns: [results.bureauCode, results.id],
    }),
    foreignKey({
      name: 'published_results_publication_fk',
      columns: [t.bureauCode, t.publicationId],
      foreignColumns: [publications.bureauCode, publications.id],
    }),
  ],
);
