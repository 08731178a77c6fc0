import { migrateDatabase, openDatabase, type Database } from '@spotcheck/db';

/**
 * Opens the database the CLI works on (DATABASE_URL, else the embedded PGlite) and migrates it.
 * With `SPOTCHECK_MIGRATION_URL` set (the owner role), migrations run over that connection and
 * the application keeps only its least-privilege `DATABASE_URL` connection (README: roles).
 */
export async function openMigrated(): Promise<Database> {
  const ownerUrl = process.env.SPOTCHECK_MIGRATION_URL;
  if (ownerUrl) {
    const owner = await openDatabase({ url: ownerUrl, maxConnections: 1 });
    try {
      await migrateDatabase(owner);
    } finally {
      await owner.close();
    }
    return openDatabase();
  }
  const database = await openDatabase();
  try {
    await migrateDatabase(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

/** Runs `work` with an open, migrated database and always closes it. */
export async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openMigrated();
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
