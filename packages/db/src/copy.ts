import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite as PGliteClass, type PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database, Db } from './client';

/** A value COPY can carry: scalars, string arrays (text[]) and JSON objects (jsonb). */
export type CopyValue = string | number | boolean | null | readonly string[] | Record<string, unknown>;

/** Encodes one value as a CSV field of PostgreSQL's COPY … (FORMAT csv). */
function csvField(value: CopyValue): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `{${value.map((v) => `"${String(v).replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;
  } else if (typeof value === 'object') {
    text = JSON.stringify(value);
  } else {
    text = value;
  }
  return `"${text.replace(/"/g, '""')}"`;
}

/** One CSV line for a row. */
export function csvLine(row: readonly CopyValue[]): string {
  return row.map(csvField).join(',') + '\n';
}

async function* chunks(rows: AsyncIterable<readonly CopyValue[]>, size: number): AsyncGenerator<string> {
  let buffer: string[] = [];
  for await (const row of rows) {
    buffer.push(csvLine(row));
    if (buffer.length >= size) {
      yield buffer.join('');
      buffer = [];
    }
  }
  if (buffer.length) yield buffer.join('');
}

/** One connection inside one transaction: raw SQL and COPY, all-or-nothing. */
export interface BulkSession {
  exec(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** Streams rows into `table` with COPY; memory stays bounded by the chunk size. */
  copy(table: string, columns: readonly string[], rows: AsyncIterable<readonly CopyValue[]>): Promise<void>;
  /** Streams CSV text already encoded with {@link csvLine} (blocks of whole lines) into `table`. */
  copyCsv(table: string, columns: readonly string[], blocks: AsyncIterable<string>): Promise<void>;
}

/** What {@link withBulkSession} needs of a database: its kind and driver client. */
export type BulkHandle = Pick<Database, 'kind' | 'raw'>;

/** The bulk handle of a drizzle database (its `$client`: a `pg.Pool` or a `PGlite`). */
export function bulkHandleOf(db: Db): BulkHandle {
  const raw = (db as unknown as { $client: pg.Pool | PGlite }).$client;
  return { kind: raw instanceof PGliteClass ? 'pglite' : 'postgres', raw };
}

/**
 * Runs `work` on one connection in one transaction (a streamed COPY on PostgreSQL, chunked COPYs
 * on PGlite). Any error rolls everything back, so bulk loads are all-or-nothing. After the commit
 * the tables copied into are analysed: the planner's statistics otherwise describe the table
 * before the load until autovacuum comes round (a 10^6-row load planned as a 10^3-row table).
 */
export async function withBulkSession<T>(
  database: BulkHandle,
  work: (session: BulkSession) => Promise<T>,
): Promise<T> {
  const copied = new Set<string>();
  const analyse = () => (copied.size ? `ANALYZE ${[...copied].map(quoteIdent).join(', ')}` : null);
  if (database.kind === 'postgres') {
    const client = await (database.raw as pg.Pool).connect();
    const session: BulkSession = {
      exec: async (sql, params) => ({ rows: (await client.query(sql, params as unknown[])).rows }),
      copy: async (table, columns, rows) => {
        copied.add(table);
        const stream = client.query(copyFrom(`COPY ${target(table, columns)} FROM STDIN WITH (FORMAT csv)`));
        await pipeline(Readable.from(chunks(rows, CHUNK)), stream);
      },
      copyCsv: async (table, columns, blocks) => {
        copied.add(table);
        const stream = client.query(copyFrom(`COPY ${target(table, columns)} FROM STDIN WITH (FORMAT csv)`));
        await pipeline(Readable.from(blocks), stream);
      },
    };
    try {
      await client.query('BEGIN');
      const out = await work(session);
      await client.query('COMMIT');
      // Committed: the statistics are a courtesy to the planner, never the load's failure.
      // Under the least-privilege app role (not the tables' owner) PostgreSQL skips it with a
      // warning and autovacuum analyses later; it never waits long for another lock on the table.
      const analyze = analyse();
      if (analyze)
        await client
          .query(`SET lock_timeout = '2s'; ${analyze}; RESET lock_timeout`)
          .catch(() => client.query('RESET lock_timeout').catch(() => {}));
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
  const lite = database.raw as PGlite;
  const out = await lite.transaction(async (tx) => {
    const session: BulkSession = {
      exec: async (sql, params) => ({ rows: (await tx.query<Record<string, unknown>>(sql, params)).rows }),
      copy: async (table, columns, rows) => {
        copied.add(table);
        for await (const chunk of chunks(rows, CHUNK)) {
          await tx.query(`COPY ${target(table, columns)} FROM '/dev/blob' WITH (FORMAT csv)`, [], {
            blob: new Blob([chunk]),
          });
        }
      },
      copyCsv: async (table, columns, blocks) => {
        copied.add(table);
        for await (const block of blocks) {
          if (block.length === 0) continue;
          await tx.query(`COPY ${target(table, columns)} FROM '/dev/blob' WITH (FORMAT csv)`, [], {
            blob: new Blob([block]),
          });
        }
      },
    };
    return work(session);
  });
  const analyze = analyse();
  if (analyze) await lite.exec(analyze).catch(() => {});
  return out;
}

const CHUNK = 5000;

function target(table: string, columns: readonly string[]): string {
  return `${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')})`;
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid SQL identifier: ${name}`);
  return `"${name}"`;
}
