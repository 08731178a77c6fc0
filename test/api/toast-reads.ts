/**
 * Test helper: the statements about publications a call sends on the app's connection, and the
 * blocks of the publications' TOAST table they read (a content read whole), counted by running
 * them again in a transaction of the test's own: the transaction's own counter
 * (pg_stat_get_xact_blocks_fetched) is exact at once on either driver, where the cumulative views
 * show a pooled backend's reads only seconds later.
 */
import type pg from 'pg';
import { vi } from 'vitest';
import type { TestDb } from './harness';

export async function toastReadsOf<T>(
  t: TestDb,
  run: () => Promise<T>,
): Promise<{ value: T; statements: number; contentReads: number; blocks: number }> {
  type Query = (q: string | { text: string }, params?: unknown[]) => Promise<unknown>;
  const raw = t.database.raw as unknown as { query: Query };
  const spy = vi.spyOn(raw, 'query');
  let value: T;
  let calls: Parameters<Query>[];
  try {
    value = await run();
  } finally {
    calls = [...spy.mock.calls];
    spy.mockRestore();
  }
  const statements = calls
    .map(([q, params]) => ({ text: typeof q === 'string' ? q : q.text, params: params ?? [] }))
    .filter((s) => /\bfrom "publications"/.test(s.text));
  const counter = `SELECT pg_stat_get_xact_blocks_fetched(reltoastrelid)::int AS n FROM pg_class
    WHERE oid = 'publications'::regclass`;
  const replay = async (query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }>) => {
    const before = ((await query(counter)).rows[0] as { n: number }).n;
    for (const s of statements) await query(s.text, s.params);
    return ((await query(counter)).rows[0] as { n: number }).n - before;
  };
  let blocks: number;
  if (t.database.kind === 'pglite') {
    const lite = t.database.raw as unknown as {
      transaction<R>(
        fn: (tx: { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }) => Promise<R>,
      ): Promise<R>;
    };
    blocks = await lite.transaction((tx) => replay((text, params) => tx.query(text, params)));
  } else {
    const client = await (t.database.raw as pg.Pool).connect();
    try {
      await client.query('BEGIN');
      blocks = await replay((text, params) => client.query(text, params));
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  }
  return {
    value,
    statements: statements.length,
    contentReads: statements.filter((s) => /"content"/.test(s.text)).length,
    blocks,
  };
}
