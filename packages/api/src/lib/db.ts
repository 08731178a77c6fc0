import type { SQLWrapper } from 'drizzle-orm';
import type { Db } from '@spotcheck/db';

/** A transaction handle; drizzle's transaction type is a `Db` for every query we run. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Either the database or an open transaction. */
export type DbOrTx = Db | Tx;

/** The rows of a raw SQL statement (`db.execute`): node-postgres and PGlite both answer with `rows`. */
export async function executeRows<T>(db: DbOrTx, query: SQLWrapper): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}
