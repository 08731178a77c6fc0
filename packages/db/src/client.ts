import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema';

/** The drizzle database, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A user-facing database problem: one line saying what and how to fix it. */
export class DatabaseSetupError extends Error {
  override name = 'DatabaseSetupError';
}

/** Where the package's committed migrations live. */
export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../migrations');

/** The project root (the folder holding pnpm-workspace.yaml). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; defaults to `DATABASE_URL`. Absent: embedded PGlite. */
  url?: string;
  /** PGlite data directory, or `memory://` for an in-memory database. Default `SPOTCHECK_DATA_DIR`, else `.data/pglite`. */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
  /**
   * An in-memory PGlite (`dataDir: 'memory://'`) starts from this dump of a data directory
   * (`PGlite.dumpDataDir`) instead of an empty cluster: the test suites' migrated template, which
   * skips initialising a cluster and migrating it (~5 s a database).
   */
  loadDataDir?: Blob;
}

/** An open database with the driver kind and a way to close it. */
export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Human description without secrets: `PGlite at .data/pglite`, `PostgreSQL at host:port/db`. */
  describe: string;
  /** The data directory of an embedded database on disk (absolute); absent in memory and on PostgreSQL. */
  dataDir?: string;
  /** Raw SQL for scripts (COPY, DDL); parameters are positional ($1…). */
  exec(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** The underlying driver client: `pg.Pool` or `PGlite`. */
  raw: pg.Pool | PGlite;
  close(): Promise<void>;
}

function parsePostgresUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseSetupError(
      `DATABASE_URL is not a valid URL ("${redact(url)}"). Use postgres://user@host:5432/dbname, or unset it to use the embedded database.`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DatabaseSetupError(
      `DATABASE_URL must start with postgres:// or postgresql:// (got "${parsed.protocol}"). Unset it to use the embedded database.`,
    );
  }
  if (!parsed.hostname)
    throw new DatabaseSetupError('DATABASE_URL has no host: use postgres://user@host:5432/dbname.');
  return parsed;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

function describeUrl(u: URL): string {
  return `PostgreSQL at ${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

/** Opens the database: PostgreSQL when a URL is given (or `DATABASE_URL` is set), else PGlite. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const url = options.url ?? process.env.DATABASE_URL;
  if (url) return openPostgres(url, options.maxConnections ?? 10);
  return openPglite(
    options.dataDir ?? process.env.SPOTCHECK_DATA_DIR ?? resolve(projectRoot, '.data/pglite'),
    options.loadDataDir,
  );
}

/**
 * How long a pooled PostgreSQL connection may stay idle before it is closed. node-postgres closes
 * them after 10 s: a server whose traffic comes in bursts then opened new backends and prepared
 * its statements again at the start of each burst, behind for its first seconds (the units list
 * at 500 req/s: p99 363–411 ms after a quiet 20 s against 22–100 ms warm, issue 16).
 */
export const POOL_IDLE_MS = 10 * 60_000;

async function openPostgres(url: string, max: number): Promise<Database> {
  const parsed = parsePostgresUrl(url);
  const describe = describeUrl(parsed);
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: POOL_IDLE_MS,
    // Kept alive on the wire too: an idle connection a firewall dropped is found out, not waited on.
    keepAlive: true,
    // An idle connection never keeps a process alive (a command that has finished exits at once,
    // not ten minutes later).
    allowExitOnIdle: true,
  });
  pool.on('error', () => {
    /* idle client errors surface on the next query */
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new DatabaseSetupError(`Cannot connect to ${describe}: ${connectionHint(err)}`);
  }
  return {
    db: drizzlePg(pool, { schema, casing: 'snake_case' }) as unknown as Db,
    kind: 'postgres',
    describe,
    exec: async (sql, params) => ({ rows: (await pool.query(sql, params as unknown[])).rows }),
    raw: pool,
    close: () => pool.end(),
  };
}

function connectionHint(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused — is the server running and listening on that port?';
    case 'ENOTFOUND':
      return 'unknown host — check the host name in DATABASE_URL.';
    case '3D000':
      return `${e.message} — create it first (createdb) or fix the database name.`;
    case '28P01':
    case '28000':
      return `${e.message} — check the user and password in DATABASE_URL.`;
    default:
      return e.message ?? String(err);
  }
}

/** What a data-directory lock file records about its holder. */
interface LockHolder {
  pid: number;
  command: string;
  since: string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the single-writer lock of an embedded data directory: `<dataDir>.lock`, created
 * exclusively, holding the pid and command line of its process. A lock left by a process that no
 * longer runs (kill -9) is taken over; a live holder — another process, or another open in this
 * one — is refused with a message naming it. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = `${resolve(dataDir)}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      const me: LockHolder = {
        pid: process.pid,
        command: process.argv.slice(1).join(' ').slice(0, 300),
        since: new Date().toISOString(),
      };
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          const holder = JSON.parse(readFileSync(lockPath, 'utf8')) as LockHolder;
          if (holder.pid === me.pid && holder.since === me.since) unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: LockHolder | null;
    try {
      holder = JSON.parse(readFileSync(lockPath, 'utf8')) as LockHolder;
    } catch {
      holder = null; // half-written or unreadable: treat as stale
    }
    if (holder && processAlive(holder.pid)) {
      const who = holder.pid === process.pid ? 'this process (opened twice)' : `process ${holder.pid}`;
      throw new DatabaseSetupError(
        `The embedded database at ${dataDir} is in use by ${who}: "${holder.command}", since ${holder.since}. ` +
          'Stop that process first (two servers on one data folder would fork the audit chain and lose writes), ' +
          'or use another folder (SPOTCHECK_DATA_DIR).',
      );
    }
    try {
      unlinkSync(lockPath); // stale: its process is gone
    } catch {
      /* raced with another taker; retry */
    }
  }
  throw new DatabaseSetupError(`Cannot take the lock ${lockPath}; remove it if no Spotcheck process runs.`);
}

/** Whether a PGlite data directory holds a complete cluster (initdb finished). */
function clusterComplete(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION')) && existsSync(join(dataDir, 'global', 'pg_control'));
}

/** File of a data directory's generated key secret (kept by the API's `keySecretFor`). */
export const KEY_SECRET_FILE = 'spotcheck-key-secret';

/** Names a PostgreSQL data directory holds: only such folders are recovered from a broken init. */
const CLUSTER_ENTRY =
  /^(PG_VERSION|base|global|pg_[a-z_]+|postgresql(\.auto)?\.conf|pg_hba\.conf|pg_ident\.conf|postmaster\.(pid|opts))$/;

/**
 * Initialises an embedded cluster atomically: initdb runs in a sibling temp folder, which is
 * renamed to `dataDir` only once complete — a kill -9 during the first start leaves no
 * half-initialised folder behind, just a temp folder the next start removes. A folder left
 * incomplete by an older version is moved aside (`<dataDir>.incomplete-<time>`) and initialised
 * afresh; a folder with anything else in it is refused, never deleted. Runs under the data
 * directory's lock.
 */
async function initClusterAtomically(dataDir: string): Promise<void> {
  const target = resolve(dataDir);
  const parent = dirname(target);
  const base = basename(target);
  for (const entry of readdirSync(parent)) {
    if (entry.startsWith(`${base}.init-`)) rmSync(join(parent, entry), { recursive: true, force: true });
  }
  const entries = existsSync(target) ? readdirSync(target) : [];
  const foreign = entries.filter((e) => e !== KEY_SECRET_FILE && !CLUSTER_ENTRY.test(e));
  if (foreign.length)
    throw new DatabaseSetupError(
      `${dataDir} is not an embedded Spotcheck database (it holds ${foreign.slice(0, 3).join(', ')}); point SPOTCHECK_DATA_DIR at an empty or new folder.`,
    );
  const temp = join(parent, `${base}.init-${process.pid}`);
  const client = await PGlite.create(temp, { extensions: { pgcrypto } });
  await client.close();
  if (!clusterComplete(temp))
    throw new DatabaseSetupError(`Initialising the embedded database in ${temp} did not complete.`);
  if (existsSync(target)) {
    if (entries.includes(KEY_SECRET_FILE))
      renameSync(join(target, KEY_SECRET_FILE), join(temp, KEY_SECRET_FILE));
    if (entries.some((e) => e !== KEY_SECRET_FILE)) {
      const aside = `${target}.incomplete-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(target, aside);
      process.stderr.write(
        `spotcheck: ${dataDir} held an unfinished database initialisation (an interrupted first start); moved it to ${aside} and initialised afresh\n`,
      );
    } else rmSync(target, { recursive: true, force: true });
  }
  renameSync(temp, target);
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (loadDataDir && !inMemory) throw new DatabaseSetupError('loadDataDir is for an in-memory PGlite only');
  if (!inMemory) mkdirSync(dirname(resolve(dataDir)), { recursive: true });
  const release = inMemory ? () => {} : lockDataDir(dataDir);
  let client: PGlite;
  try {
    if (!inMemory && !clusterComplete(dataDir)) await initClusterAtomically(dataDir);
    // pgcrypto lets draws' keys be recomputed in SQL (see draw-keys.ts).
    client = await PGlite.create(inMemory ? undefined : dataDir, {
      extensions: { pgcrypto },
      ...(loadDataDir ? { loadDataDir } : {}),
    });
  } catch (err) {
    release();
    if (err instanceof DatabaseSetupError) throw err;
    throw new DatabaseSetupError(
      `Cannot open the embedded database at ${dataDir}: ${(err as Error).message}. Is another Spotcheck process using it? Stop it, or remove the folder to start afresh.`,
    );
  }
  return {
    db: drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Db,
    kind: 'pglite',
    describe: inMemory ? 'PGlite in memory' : `PGlite at ${dataDir}`,
    dataDir: inMemory ? undefined : resolve(dataDir),
    exec: async (sql, params) => ({ rows: (await client.query<Record<string, unknown>>(sql, params)).rows }),
    raw: client,
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

/**
 * Applies every pending migration. drizzle runs them in one transaction, so a migration that
 * fails halfway leaves the database as it was.
 */
export async function migrateDatabase(database: Database, folder = migrationsFolder): Promise<void> {
  try {
    if (database.kind === 'pglite') {
      await migratePglite(database.db as never, { migrationsFolder: folder });
    } else {
      await migratePg(database.db as never, { migrationsFolder: folder });
    }
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new DatabaseSetupError(
      `Migration failed on ${database.describe}; nothing was changed (migrations run in one transaction): ${cause}`,
    );
  }
}

/** Drops every table and the migration journal, for `spotcheck db reset`. */
export async function resetDatabase(database: Database): Promise<void> {
  // One statement per call: PGlite's query() refuses several commands in one prepared statement.
  for (const sql of [
    'DROP SCHEMA IF EXISTS public CASCADE',
    'DROP SCHEMA IF EXISTS drizzle CASCADE',
    'CREATE SCHEMA public',
  ])
    await database.exec(sql);
}
