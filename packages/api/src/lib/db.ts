import type { Db } from '@spotcheck/db';

/** A transaction handle; drizzle's transaction type is a `Db` for every query we run. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Either the database or an open transaction. */
export type DbOrTx = Db | Tx;
