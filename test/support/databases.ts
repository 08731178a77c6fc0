import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateDatabase, migrationsFolder, openDatabase, projectRoot, type Database } from '@spotcheck/db';

/** A database for one test file: fresh, migrated, and dropped again by `dispose`. */
export interface TestDatabase {
  /** The application's connection: on PostgreSQL the least-privilege role `spotcheck_app`. */
  database: Database;
  /**
   * The schema owner's connection (`spotcheck_owner` on PostgreSQL; the same database on PGlite),
   * for what only an operator with DDL rights does: tampering tests, constraints added by hand.
   */
  owner: Database;
  dispose(): Promise<void>;
}

/** The drivers the shared DB suite runs on: PGlite always, PostgreSQL when CI gives a server. */
export function testDrivers(): ('pglite' | 'postgres')[] {
  return process.env.SPOTCHECK_TEST_PG_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** The two roles of README "Database roles". */
export const OWNER_ROLE = 'spotcheck_owner';
export const APP_ROLE = 'spotcheck_app';

/** Creates the cluster-wide roles once (concurrent test files may race: a duplicate is fine). */
async function ensureRoles(client: pg.Client): Promise<void> {
  for (const role of [OWNER_ROLE, APP_ROLE]) {
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (rowCount) continue;
    try {
      await client.query(`CREATE ROLE ${role} LOGIN`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== '42710' && code !== '23505') throw err; // created meanwhile by another file
    }
  }
}

/** `serverUrl` with another user and database (trust authentication on 127.0.0.1, as in CI). */
function urlAs(serverUrl: string, user: string | null, database: string): string {
  const url = new URL(serverUrl);
  if (user) {
    url.username = user;
    url.password = '';
  }
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A fresh database on the PostgreSQL server of `SPOTCHECK_TEST_PG_URL` set up as README
 * "Database roles" says: owned and migrated by `spotcheck_owner`, used by the tests through
 * `spotcheck_app` — so every PostgreSQL test runs with the application's rights, not a superuser's.
 * The app may create schemas (pg-boss keeps its queue in its own schema) but owns nothing in
 * `public` and may only INSERT/SELECT the audit trail.
 */
export async function openPostgresTestDatabase(
  prefix = 'spotcheck_t',
  maxConnections = 8,
): Promise<TestDatabase> {
  const serverUrl = process.env.SPOTCHECK_TEST_PG_URL;
  if (!serverUrl) throw new Error('SPOTCHECK_TEST_PG_URL is not set');
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await ensureRoles(admin);
    // A copy of the migrated template: a file copy, not the ~2 s of migrations each test file
    // spent (about 80 files in CI). Ownership of the schema and its grants come with the copy.
    // Under the lock: another checkout's tests on the same server may replace the template.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [TEMPLATE_LOCK]);
    try {
      const template = await migratedTemplate(admin, serverUrl);
      await admin.query(`CREATE DATABASE ${name} OWNER ${OWNER_ROLE} TEMPLATE ${template}`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [TEMPLATE_LOCK]);
    }
    await admin.query(`GRANT CREATE ON DATABASE ${name} TO ${APP_ROLE}`);
  } finally {
    await admin.end();
  }
  const owner = await openDatabase({ url: urlAs(serverUrl, OWNER_ROLE, name), maxConnections: 2 });
  const database = await openDatabase({ url: urlAs(serverUrl, APP_ROLE, name), maxConnections });
  return {
    database,
    owner,
    async dispose() {
      await database.close();
      await owner.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** The advisory lock (on the server's `postgres` database) around making and copying the template. */
const TEMPLATE_LOCK = 'spotcheck test template';
/** Raise when the template is made differently, so that a server's older template is not used. */
const TEMPLATE_RECIPE = 1;

/** Names the migrations: a template is made again whenever one of them changes. */
function migrationsDigest(extra = ''): string {
  const hash = createHash('sha256').update(`recipe ${TEMPLATE_RECIPE}\0${extra}\0`);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(dir, entry.name);
      hash.update(path.slice(migrationsFolder.length) + '\0');
      if (entry.isDirectory()) walk(path);
      else hash.update(readFileSync(path));
    }
  };
  walk(migrationsFolder);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The database every test database is copied from: made once per state of the migrations as
 * `openPostgresTestDatabase` used to make each one (owned by `spotcheck_owner`, migrated by it).
 * The caller holds {@link TEMPLATE_LOCK}; templates of other migrations are dropped. Nobody stays
 * connected to it, so `CREATE DATABASE … TEMPLATE` may copy it.
 */
async function migratedTemplate(admin: pg.Client, serverUrl: string): Promise<string> {
  const template = `spotcheck_template_${migrationsDigest()}`;
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
  if (rowCount) return template;
  const { rows: stale } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'spotcheck\\_template\\_%'`,
  );
  for (const { datname } of stale) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  // Made under a temporary name and renamed when complete: a run killed halfway leaves no
  // template that looks whole.
  const making = `${template}_making`;
  await admin.query(`DROP DATABASE IF EXISTS ${making} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${making} OWNER ${OWNER_ROLE}`);
  const inDb = new pg.Client({ connectionString: urlAs(serverUrl, null, making) });
  await inDb.connect();
  await inDb.query(`ALTER SCHEMA public OWNER TO ${OWNER_ROLE}`);
  await inDb.end();
  const owner = await openDatabase({ url: urlAs(serverUrl, OWNER_ROLE, making), maxConnections: 1 });
  try {
    await migrateDatabase(owner);
  } finally {
    await owner.close();
  }
  await admin.query(`ALTER DATABASE ${making} RENAME TO ${template}`);
  return template;
}

/**
 * A fresh in-memory PGlite, migrated. It starts from a dump of a database migrated once per state
 * of the migrations and of PGlite (a file in the system's temp folder, as the PostgreSQL template
 * is a database): initialising a cluster and migrating it took ~5 s of each test file's start,
 * loading the dump ~1.5 s.
 */
export async function openMigratedPglite(): Promise<Database> {
  return openDatabase({ dataDir: 'memory://', loadDataDir: await pgliteTemplate() });
}

/** The migrated template's dump, made when missing (concurrent test files may both make it). */
async function pgliteTemplate(): Promise<Blob> {
  // The installed PGlite's own folder names its version: another PGlite makes another template.
  const pglite = realpathSync(
    createRequire(join(projectRoot, 'packages/db/package.json')).resolve('@electric-sql/pglite'),
  );
  const file = join(tmpdir(), `spotcheck-pglite-template-${migrationsDigest(pglite)}.tar`);
  if (!existsSync(file)) {
    const database = await openDatabase({ dataDir: 'memory://' });
    try {
      await migrateDatabase(database);
      const dump = await (database.raw as Extract<Database['raw'], { dumpDataDir: unknown }>).dumpDataDir(
        'none',
      );
      // Written whole under a name of its own, then renamed: no file reads as half a template.
      const making = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        writeFileSync(making, Buffer.from(await dump.arrayBuffer()));
        renameSync(making, file);
      } finally {
        rmSync(making, { force: true });
      }
    } finally {
      await database.close();
    }
  }
  return new Blob([readFileSync(file)]);
}

/**
 * Opens a fresh, migrated database: an in-memory PGlite, or a new database on the server named by
 * `SPOTCHECK_TEST_PG_URL` (created here and dropped by `dispose`, so test files never share
 * state) reached as the least-privilege application role.
 */
export async function openTestDatabase(driver: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const database = await openMigratedPglite();
    return { database, owner: database, dispose: () => database.close() };
  }
  return openPostgresTestDatabase('spotcheck_t', 5);
}
