import { migrateDatabase, openDatabase, type Database } from '@spotcheck/db';

/** Opens the database the CLI works on (DATABASE_URL, else the embedded PGlite) and migrates it. */
export async function openMigrated(): Promise<Database> {
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
