import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateDatabase, openDatabase, type Database } from '@spotcheck/db';

/** A database for one test file: fresh, migrated, and dropped again by `dispose`. */
export interface TestDatabase {
  database: Database;
  dispose(): Promise<void>;
}

/** The drivers the shared DB suite runs on: PGlite always, PostgreSQL when CI gives a server. */
export function testDrivers(): ('pglite' | 'postgres')[] {
  return process.env.SPOTCHECK_TEST_PG_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * Opens a fresh, migrated database: an in-memory PGlite, or a new database on the server named by
 * `SPOTCHECK_TEST_PG_URL` (created here and dropped by `dispose`, so test files never share state).
 */
export async function openTestDatabase(driver: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrateDatabase(database);
    return { database, dispose: () => database.close() };
  }
  const serverUrl = process.env.SPOTCHECK_TEST_PG_URL;
  if (!serverUrl) throw new Error('SPOTCHECK_TEST_PG_URL is not set');
  const name = `spotcheck_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), maxConnections: 5 });
  await migrateDatabase(database);
  return {
    database,
    async dispose() {
      await database.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
