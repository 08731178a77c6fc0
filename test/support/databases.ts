import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateDatabase, openDatabase, type Database } from '@spotcheck/db';

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
    await admin.query(`CREATE DATABASE ${name} OWNER ${OWNER_ROLE}`);
    await admin.query(`GRANT CREATE ON DATABASE ${name} TO ${APP_ROLE}`);
  } finally {
    await admin.end();
  }
  const inDb = new pg.Client({ connectionString: urlAs(serverUrl, null, name) });
  await inDb.connect();
  await inDb.query(`ALTER SCHEMA public OWNER TO ${OWNER_ROLE}`);
  await inDb.end();
  const owner = await openDatabase({ url: urlAs(serverUrl, OWNER_ROLE, name), maxConnections: 2 });
  await migrateDatabase(owner);
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

/**
 * Opens a fresh, migrated database: an in-memory PGlite, or a new database on the server named by
 * `SPOTCHECK_TEST_PG_URL` (created here and dropped by `dispose`, so test files never share
 * state) reached as the least-privilege application role.
 */
export async function openTestDatabase(driver: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrateDatabase(database);
    return { database, owner: database, dispose: () => database.close() };
  }
  return openPostgresTestDatabase('spotcheck_t', 5);
}
