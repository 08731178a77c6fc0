import { useEffect, useState } from 'react';

/** The page of a list the server pages (`limit`/`offset`; its answer is `{ rows, total }`). */
export interface Paging {
  page: number;
  size: number;
  setPage: (page: number) => void;
  /** The query's paging input. */
  input: { limit: number; offset: number };
}

/**
 * The page state of a server-paged table of `size` rows a page, back to the first page when
 * `reset` changes (another bureau in scope, another filter).
 */
export function usePage(size: number, reset: unknown): Paging {
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [reset]);
  return { page, size, setPage, input: { limit: size, offset: (page - 1) * size } };
}

/**
 * Back to the last page there is when the rows shrink under the page shown (a row of the last
 * page left the filter: started, scheduled, closed), instead of an empty page.
 */
export function useFitPage({ page, size, setPage }: Paging, total: number | undefined): void {
  useEffect(() => {
    if (total === undefined) return;
    const last = Math.max(1, Math.ceil(total / size));
    if (page > last) setPage(last);
  }, [total, page, size, setPage]);
}
