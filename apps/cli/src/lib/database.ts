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

/** Parses a positive whole-number option, naming the option in the error. */
export function wholeNumber(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number (got "${value}")`);
    return Number(value);
  };
}
