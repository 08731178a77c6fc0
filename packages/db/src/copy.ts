import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite as PGliteClass, type PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
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

/** PostgreSQL's binary COPY signature (11 bytes), then flags (4) and the header extension's length (4). */
const COPY_SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];

/**
 * Reads the one row of one text column `query` yields as UTF-8 bytes, never as a JavaScript
 * string (null when it yields no row or a null). A city draw's bundle is ~10^8 bytes of JSON: as
 * a query's result it would be a driver buffer, then a string of up to twice that, then a copy in
 * each thread it is posted to; these bytes can be handed to a worker thread without a copy
 * (transferred). `COPY (…) TO STDOUT (FORMAT binary)` on PostgreSQL, to '/dev/blob' on PGlite.
 * COPY takes no parameters, so `query`'s are inlined as escaped literals. Columns are named as
 * the databases {@link openDatabase} opens name them (snake_case).
 */
export async function copyOutText(db: Db, query: SQL): Promise<Uint8Array | null> {
  const { sql: select, params } = new PgDialect({ casing: 'snake_case' }).sqlToQuery(query.inlineParams());
  if (params.length) throw new Error('copyOutText: the query keeps parameters COPY cannot take');
  const { kind, raw } = bulkHandleOf(db);
  const reader = new BinaryTextReader();
  if (kind === 'postgres') {
    const client = await (raw as pg.Pool).connect();
    try {
      const stream = client.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT binary)`));
      for await (const chunk of stream as AsyncIterable<Buffer>) reader.push(chunk);
    } finally {
      client.release();
    }
  } else {
    const result = await (raw as PGlite).query(`COPY (${select}) TO '/dev/blob' WITH (FORMAT binary)`);
    if (result.blob) reader.push(new Uint8Array(await result.blob.arrayBuffer()));
  }
  return reader.end();
}

/** The value of a binary COPY of one row of one text column, from its bytes in any chunking. */
export function binaryCopyText(chunks: Iterable<Uint8Array>): Uint8Array | null {
  const reader = new BinaryTextReader();
  for (const chunk of chunks) reader.push(chunk);
  return reader.end();
}

/**
 * Parses the binary COPY of one text column as it arrives: the value's bytes go straight into one
 * buffer of the length its field header gives (a chunk is never kept beyond its copy). Headers
 * (the file's, a row's field count and length, the trailer) are gathered until complete.
 */
class BinaryTextReader {
  private state: 'file' | 'row' | 'value' | 'done' = 'file';
  private pending = new Uint8Array(0);
  private rows = 0;
  private value: Uint8Array | null = null;
  private filled = 0;

  push(chunk: Uint8Array): void {
    let bytes = chunk;
    while (bytes.length) {
      if (this.state === 'done') throw new Error('copyOutText: data after the end of the COPY');
      if (this.state === 'value') {
        const value = this.value!;
        const n = Math.min(bytes.length, value.length - this.filled);
        value.set(bytes.subarray(0, n), this.filled);
        this.filled += n;
        bytes = bytes.subarray(n);
        if (this.filled === value.length) this.state = 'row';
        continue;
      }
      const head = new Uint8Array(this.pending.length + bytes.length);
      head.set(this.pending);
      head.set(bytes, this.pending.length);
      const used = this.header(head);
      if (used === 0) {
        this.pending = head;
        return;
      }
      this.pending = new Uint8Array(0);
      bytes = head.subarray(used);
    }
  }

  /** Parses the header `h` begins with: the bytes it took, or 0 when `h` is too short yet. */
  private header(h: Uint8Array): number {
    const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
    if (this.state === 'file') {
      if (h.length < 19) return 0;
      if (COPY_SIGNATURE.some((b, i) => h[i] !== b)) throw new Error('copyOutText: not a binary COPY');
      const size = 19 + view.getUint32(15);
      if (h.length < size) return 0;
      this.state = 'row';
      return size;
    }
    if (h.length < 2) return 0;
    const fields = view.getInt16(0);
    if (fields === -1) {
      this.state = 'done';
      return 2;
    }
    if (fields !== 1) throw new Error(`copyOutText: expected one column, got ${fields}`);
    if (this.rows > 0) throw new Error('copyOutText: expected one row, got more');
    if (h.length < 6) return 0;
    const length = view.getInt32(2);
    this.rows = 1;
    this.value = length === -1 ? null : new Uint8Array(length);
    this.filled = 0;
    this.state = length > 0 ? 'value' : 'row';
    return 6;
  }

  end(): Uint8Array | null {
    if (this.state !== 'done') throw new Error('copyOutText: the COPY ended early');
    return this.value;
  }
}

/** How long {@link onOwnConnection}'s statements wait for a lock, and run at most. */
const OWN_LOCK_TIMEOUT = '1s';
const OWN_STATEMENT_TIMEOUT = '60s';

/**
 * Whether {@link onOwnConnection} can run on `db`: the database itself (not a transaction) on
 * PostgreSQL, whose pool has other connections than the caller's.
 */
export function canOpenOwnConnection(db: Db): boolean {
  return poolOf(db) !== null;
}

/** The pool behind `db` (the database itself on PostgreSQL), else null (PGlite, a transaction). */
function poolOf(db: Db): pg.Pool | null {
  const client = (db as unknown as { $client?: unknown }).$client;
  return client instanceof pg.Pool ? client : null;
}

/**
 * Runs `work` beside the caller's own transaction, on a connection of the pool's own, in a
 * read-only transaction of its own: what it reads is what has committed when it starts (`write`:
 * a read-write transaction, committed when `work` ends, whatever the caller's does). Resolves
 * to `{ value }`, or to `undefined` when there is no second connection to be had: PGlite has one
 * connection, which the caller's transaction holds, and a pool with none free within `waitMs`
 * (the caller then does the work itself, rather than wait on a pool its own transaction may be
 * exhausting). A statement there gives up after waiting 1 s for a lock or running 60 s, and the
 * work then rejects.
 */
export async function onOwnConnection<T>(
  db: Db,
  work: (reader: Db) => Promise<T>,
  waitMs = 1000,
  mode: 'read' | 'write' = 'read',
): Promise<{ value: T } | undefined> {
  const pool = poolOf(db);
  if (!pool) return undefined;
  const connecting = pool.connect();
  let timer: NodeJS.Timeout | undefined;
  const client = await Promise.race([
    connecting.catch(() => null),
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs))),
  ]);
  clearTimeout(timer);
  if (!client) {
    // A connection that comes after all goes straight back to the pool.
    connecting.then(
      (c) => c.release(),
      () => {},
    );
    return undefined;
  }
  try {
    // Never a wait PostgreSQL cannot see the end of: the caller's transaction may hold locks that
    // a statement queued behind (a migration's ALTER) waits for, while this connection would wait
    // behind that statement and the caller for this work. One round trip.
    await client.query(
      `${mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN'}; ` +
        `SET LOCAL lock_timeout = '${OWN_LOCK_TIMEOUT}'; SET LOCAL statement_timeout = '${OWN_STATEMENT_TIMEOUT}'`,
    );
    const value = await work(drizzlePg(client, { casing: 'snake_case' }) as unknown as Db);
    await client.query('COMMIT');
    client.release();
    return { value };
  } catch (err) {
    // Not back to the pool in whatever state the failure left it (an open cursor, a broken socket).
    client.release(true);
    throw err;
  }
}
