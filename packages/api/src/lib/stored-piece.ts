import { sql, type SQL } from 'drizzle-orm';
import { canonicalJson } from '@spotcheck/core';
import { draws } from '@spotcheck/db';
import { executeRows, type DbOrTx } from './db';

/** Array elements read per `FETCH` while hashing a stored piece. */
const FETCH_ROWS = 10_000;

let cursors = 0;

/**
 * A large member of publication content that stays in the database: one row's jsonb value (a
 * draw's frame, its result). `publishStored` copies it into the publication inside PostgreSQL and
 * hashes its canonical JSON read in batches, so the server never holds the value whole (a city
 * draw's rows are ~10^8 bytes of JSON, issue 16). The publishing transaction locks the row first,
 * so the bytes hashed are the value stored: hashed in that transaction, or on a connection of its
 * own that reads the same version of the row ({@link StoredPiece.version}).
 */
export class StoredPiece {
  private constructor(
    /** The value as an SQL expression: a scalar subquery of one row's jsonb. */
    readonly jsonb: SQL,
    private readonly row: { table: SQL; where: SQL },
  ) {}

  /**
   * Never serialised as it is: a piece is content's member (of plain objects on the way to it);
   * one anywhere else (inside an array) would publish its fields instead of its value.
   */
  toJSON(): never {
    throw new Error('a StoredPiece is published as a member of plain objects, not inside an array');
  }

  /**
   * The jsonb value `column` of the row of `table` where `where` holds (at most one row; none, or
   * SQL null, reads as `orElse` when given, else as JSON null).
   */
  static of(column: SQL, table: SQL, where: SQL, orElse?: SQL): StoredPiece {
    // Never SQL null: `jsonb_set` with a null value would null the whole publication.
    const value = sql`coalesce((SELECT ${column} FROM ${table} WHERE ${where}), ${orElse ?? sql`'null'::jsonb`})`;
    return new StoredPiece(value, { table, where });
  }

  /**
   * Locks the row against change until the transaction ends (`FOR SHARE`): every statement of a
   * READ COMMITTED transaction sees what has committed by then, and the value hashed must be the
   * value copied. Returns the {@link version} of the row this transaction sees.
   */
  async lock(tx: DbOrTx): Promise<string | null> {
    const [row] = await executeRows<{ v: string }>(
      tx,
      sql`SELECT xmin::text AS "v" FROM ${this.row.table} WHERE ${this.row.where} FOR SHARE`,
    );
    return row?.v ?? null;
  }

  /**
   * Which version of the row `tx` sees: the transaction that wrote it (`xmin`; null when there is
   * no row). Another connection that sees the version a locking transaction sees reads the bytes
   * that transaction copies; one that sees another version (the transaction has written the row
   * itself since it last committed) does not.
   */
  async version(tx: DbOrTx): Promise<string | null> {
    const [row] = await executeRows<{ v: string }>(
      tx,
      sql`SELECT xmin::text AS "v" FROM ${this.row.table} WHERE ${this.row.where}`,
    );
    return row?.v ?? null;
  }

  /**
   * The value's canonical JSON (`canonicalJson` of the value as a jsonb column reads back), part by
   * part: the members of a top-level object one by one, arrays element by element through a
   * cursor ({@link FETCH_ROWS} at a time), everything else whole. `tx` must be a transaction.
   */
  parts(tx: DbOrTx): AsyncGenerator<string> {
    return canonicalParts(tx, this.jsonb);
  }
}

async function* canonicalParts(tx: DbOrTx, value: SQL): AsyncGenerator<string> {
  // Each statement below reads the value once: every function of a ~10^8-byte jsonb value
  // detoasts it whole, so members are listed by one `jsonb_each`, not read key by key.
  const [head] = await executeRows<{ type: string | null }>(tx, sql`SELECT jsonb_typeof(${value}) AS "type"`);
  const type = head?.type ?? null;
  if (type === 'object') {
    const members = await executeRows<{ key: string; text: string | null }>(
      tx,
      sql`SELECT m.key AS "key", CASE WHEN jsonb_typeof(m.value) <> 'array' THEN m.value::text END AS "text"
        FROM jsonb_each(${value}) AS m`,
    );
    // Key order as canonicalJson sorts them (code units), whatever jsonb's own order.
    members.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (!members.length) yield '{}';
    for (const [i, m] of members.entries()) {
      yield `${i ? ',' : '{'}${JSON.stringify(m.key)}:`;
      if (m.text === null) yield* arrayParts(tx, sql`(${value} -> ${m.key})`);
      else yield canonicalJson(JSON.parse(m.text));
    }
    if (members.length) yield '}';
  } else if (type === 'array') {
    yield* arrayParts(tx, value);
  } else if (type === null) {
    yield 'null';
  } else {
    const [scalar] = await executeRows<{ t: string }>(tx, sql`SELECT (${value})::text AS "t"`);
    yield canonicalJson(JSON.parse(scalar!.t));
  }
}

/** A jsonb array's canonical JSON, its elements read by cursor {@link FETCH_ROWS} at a time. */
async function* arrayParts(tx: DbOrTx, value: SQL): AsyncGenerator<string> {
  // A function scan returns the elements in array order.
  const cursor = `stored_piece_${++cursors}`;
  await tx.execute(
    sql`DECLARE ${sql.identifier(cursor)} NO SCROLL CURSOR FOR SELECT e::text AS "t" FROM jsonb_array_elements(${value}) AS e`,
  );
  let first = true;
  for (;;) {
    const batch = await executeRows<{ t: string }>(
      tx,
      sql`FETCH ${sql.raw(String(FETCH_ROWS))} FROM ${sql.identifier(cursor)}`,
    );
    if (!batch.length) break;
    let part = first ? '[' : ',';
    for (let i = 0; i < batch.length; i++) part += (i ? ',' : '') + canonicalElement(batch[i]!.t);
    yield part;
    first = false;
  }
  await tx.execute(sql`CLOSE ${sql.identifier(cursor)}`);
  yield first ? '[]' : ']';
}

/**
 * PostgreSQL's text of a flat array of identifiers, safe integers, booleans and nulls (a frame row:
 * `["91120116…", "risk-high", 3, 0, "", 1]`): no character of it needs escaping, so its canonical
 * JSON is the text without the spaces after commas.
 */
const FLAT_ROW =
  /^\[(?:(?:"[A-Za-z0-9._:-]*"|-?[1-9][0-9]{0,14}|0|true|false|null)(?:, (?=[-"0-9tfn])|(?=\])))*\]$/;

/**
 * The canonical JSON of one array element as PostgreSQL writes it: a frame row's text with its
 * spaces dropped (no parse, no objects: 10^6 of them in a city's sign-off, issue 16), anything
 * else parsed and written canonically.
 */
export function canonicalElement(text: string): string {
  return FLAT_ROW.test(text) ? text.replaceAll(', ', ',') : canonicalJson(JSON.parse(text));
}

/**
 * A drawn attempt's large rows as {@link StoredPiece}s of its `draws` row, named as its bundle
 * names them (`excluded` and `experts` read as `[]` when the row has none): what a signed draw's
 * and a void's publications copy.
 */
export function drawRowPieces(drawId: string) {
  const row = (column: SQL, orElse?: SQL) =>
    StoredPiece.of(column, sql`${draws}`, sql`${draws.id} = ${drawId}`, orElse);
  return {
    frame: row(sql`${draws.frame}`),
    excluded: row(sql`${draws.excluded}`, sql`'[]'::jsonb`),
    inspectors: row(sql`${draws.inspectorRows}`),
    experts: row(sql`${draws.expertRows}`, sql`'[]'::jsonb`),
    result: row(sql`${draws.result}`),
  };
}
