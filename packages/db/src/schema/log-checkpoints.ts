import { bigint, bigserial, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Checkpoints (tree size, root, time) signed by the log key, issued on a schedule. Append-only. */
export const logCheckpoints = pgTable(
  'log_checkpoints',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    origin: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    /** Hex MTH of the first `size` leaves. */
    rootHash: text().notNull(),
    /** Whole seconds; the time witnesses check against their clocks. */
    time: timestamp({ withTimezone: true }).notNull().unique(),
    /** The log's raw Ed25519 public key, base64. */
    logKey: text().notNull(),
    /** Ed25519 signature over the checkpoint text, base64. */
    signature: text().notNull(),
  },
  (t) => [index().on(t.size)],
);
