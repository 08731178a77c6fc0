import { bigint, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { logCheckpoints } from './log-checkpoints';
import { logWitnesses } from './log-witnesses';

/** Witness co-signatures of checkpoints (C2SP cosignature/v1), verified on receipt. Append-only. */
export const logCosignatures = pgTable(
  'log_cosignatures',
  {
    id: uuid().primaryKey().defaultRandom(),
    checkpointId: bigint({ mode: 'number' })
      .notNull()
      .references(() => logCheckpoints.id),
    witnessId: uuid()
      .notNull()
      .references(() => logWitnesses.id),
    /** The witness's clock when it signed (whole seconds). */
    time: timestamp({ withTimezone: true }).notNull(),
    signature: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [unique().on(t.checkpointId, t.witnessId)],
);
