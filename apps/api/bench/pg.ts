import pg from 'pg';
import { migrateDatabase, openDatabase, type Database } from '@spotcheck/db';

/** The PostgreSQL server the benches use: BENCH_PG_URL, default the local one (trust auth). */
export const BENCH_PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, migrated database on the bench server for one run; `drop()` closes it and removes it
 * (also after a failed run, when called from `finally`).
 */
export async function benchDatabase(
  prefix: string,
): Promise<{ database: Database; url: URL; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}`;
  const admin = new pg.Client({ connectionString: BENCH_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  const drop = async () => {
    await database.close();
    // BENCH_KEEP=1 leaves the database for a look afterwards (psql); drop it by hand.
    if (process.env.BENCH_KEEP) console.log(`kept the database ${name} (BENCH_KEEP)`);
    else await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  };
  try {
    await migrateDatabase(database);
  } catch (err) {
    await drop();
    throw err;
  }
  return { database, url, drop };
}
