import { sql } from 'drizzle-orm';
import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Leaves of the public transparency log (RFC 9162 shape): one per publication, appended in the
 * publication's own transaction, numbered 0, 1, 2, … without gaps. Append-only (migration
 * `transparency-log-sql`). No foreign key: a leaf outlives any tampering with its publication.
 */
export const logLeaves = pgTable(
  'log_leaves',
  {
    /** 0-based leaf index. */
    seq: bigint({ mode: 'number' }).primaryKey(),
    publicationId: uuid().notNull().unique(),
    /** Canonical JSON of the `spotcheck/log-leaf/v1` leaf (the bytes hashed). */
    leaf: text().notNull(),
    /** Hex SHA-256(0x00 ‖ leaf). */
    leafHash: text().notNull(),
    appendedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * The leaf's `kind`, `refId` and `bureauCode`, computed by PostgreSQL from the leaf itself (never
     * written, so never other than the bytes hashed): a signature record or a bureau's newest key
     * registry is found through an index, not by a `LIKE` over every leaf (issue 16).
     */
    kind: text().generatedAlwaysAs(sql`(leaf::jsonb ->> 'kind')`),
    refId: text().generatedAlwaysAs(sql`(leaf::jsonb ->> 'refId')`),
    bureauCode: text().generatedAlwaysAs(sql`(leaf::jsonb ->> 'bureauCode')`),
  },
  (t) => [index().on(t.kind, t.refId, t.seq), index().on(t.kind, t.bureauCode, t.seq)],
);
