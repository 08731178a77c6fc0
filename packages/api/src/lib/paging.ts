import { z } from 'zod';

/** Rows one page of a list holds at most. */
export const PAGE_MAX = 5000;

/**
 * The paging fields of a list's input: at most `limit` rows (default `limit`) from `offset`. A
 * list of a city's records (10^5 tasks, 10^4 results a district a year) is read a page at a time
 * and says how many there are, never cut short without saying so.
 */
export function pageFields(limit = 100) {
  return {
    limit: z.number().int().min(1).max(PAGE_MAX).default(limit),
    offset: z.number().int().min(0).default(0),
  };
}

/** A list's output: the page's `rows` and the `total` of every row that matches. */
export function pageOf<T extends z.ZodType>(row: T) {
  return z.object({ rows: z.array(row), total: z.number() });
}
