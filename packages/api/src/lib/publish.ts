import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import { canOpenOwnConnection, onOwnConnection, publications, type Db } from '@spotcheck/db';
import type { PublicationContent } from '@spotcheck/core';
import { createHash } from 'node:crypto';
import { CanonicalPiece, canonicalJson, digestOf } from './canonical';
import { executeRows, type DbOrTx } from './db';
import { appendLogLeaf } from '../log/transparency';
import { StoredPiece } from './stored-piece';

/** Kinds of publication in the public column. */
export type PublicationKind = (typeof publications.$inferInsert)['kind'];

/**
 * A member of content published by {@link publishStored}: the hex SHA-256 of `value`'s canonical
 * JSON, where `value` holds {@link StoredPiece}s that the content holds too, in the same order (a
 * void's `bundleDigest`, the digest of the bundle published beside it). It is hashed in the same
 * pass as the content: each piece is read once for both digests, not once per digest (a city
 * draw's pieces are ~10^8 bytes, issue 16). `digest` is set once published.
 */
export class DigestOf {
  digest: string | null = null;
  constructor(readonly value: object) {}

  /**
   * Never serialised as it is: a piece is content's member (of plain objects on the way to it);
   * one anywhere else (inside an array) would publish its fields instead of its value.
   */
  toJSON(): never {
    throw new Error('a DigestOf is published as a member of plain objects, not inside an array');
  }
}

/**
 * Publishes already-redacted content in the public 双随机、一公开 column (R15), frozen with its
 * digest. Callers redact first ({@link import('./redact')}). Every publication is appended to the
 * transparency log in the same transaction (a savepoint when called inside one): both or neither.
 */
export async function publish(
  tx: DbOrTx,
  p: {
    bureauCode: string;
    kind: PublicationKind;
    refId: string;
    period?: string | null;
    title: string;
    content: PublicationContent;
    by: string | null;
    at: Date;
    replacesId?: string | null;
  },
) {
  // Serialised once: the same text is the jsonb value stored (what `toJsonObject` would give,
  // without drizzle serialising it again) and, parsed, the content the digest is taken of. A draw
  // bundle of a city is ~10^8 bytes, so each extra pass over it costs seconds (issue 16): its
  // large rows come as {@link CanonicalPiece}s, whose text is hashed as it is and stored as it is
  // or copied from where it was just stored.
  let value: SQL;
  let content: PublicationContent;
  let digest: string;
  if (hasPiece(p.content)) {
    // Hashed part by part: one update over a 10^8-character string takes three times its length
    // of scratch memory (the peak of a city's sign-off, issue 16). Stored as the assembled
    // expression: each piece's text cast once, or copied from where it was just stored.
    const parts: Part[] = [];
    const stored: StoredPiece[] = [];
    value = assembleCanonical(p.content, parts, stored);
    if (stored.length || parts.some((part) => part instanceof DigestOf))
      throw new Error('content with stored pieces is published by publishStored');
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part as string, 'utf8');
    digest = hash.digest('hex');
    content = withPieceValues(p.content) as PublicationContent;
  } else {
    const json = JSON.stringify(p.content);
    value = sql`${json}::jsonb`;
    content = JSON.parse(json) as PublicationContent;
    digest = digestOf(content);
  }
  return tx.transaction(async (t) => {
    const row = { ...(await insertPublication(t, p, value, digest)), content };
    await appendLogLeaf(t, row);
    return row;
  });
}

/**
 * {@link publish} of content some of whose members stay in the database ({@link StoredPiece}s: a
 * city draw's frame and result): PostgreSQL copies them into the publication, and the digest
 * hashes their canonical JSON read in batches in the same transaction. The content is not
 * returned (its stored members were never read whole).
 *
 * With `beside` (the database itself, not a transaction) and a second connection to be had
 * (PostgreSQL), the pieces are hashed on that connection while this transaction builds the
 * content, instead of one after the other (a city draw's sign-off, issue 16). This transaction
 * locks the pieces' rows before that connection starts, so nothing else can change them until it
 * ends, and that connection hashes only if it sees the very versions of the rows this transaction
 * sees (not when this transaction has written one of them itself); otherwise, or on any failure
 * there, the pieces are hashed here after the build.
 */
export async function publishStored(
  tx: DbOrTx,
  p: Omit<Parameters<typeof publish>[1], 'content'> & { content: object },
  options: { beside?: Db } = {},
) {
  return tx.transaction(async (t) => {
    const parts: Part[] = [];
    const stored: StoredPiece[] = [];
    const value = assembleCanonical(p.content, parts, stored);
    // Locked first: the bytes hashed must be the bytes copied.
    const versions: (string | null)[] = [];
    for (const piece of stored) versions.push(await piece.lock(t));
    let row;
    if (parts.some((part) => part instanceof DigestOf)) {
      // A digest among the members is known only once the pieces are hashed, and the content
      // built in SQL holds it: hashed here first (its pieces once for every digest), then built.
      const digest = await hashParts(t, parts);
      row = await insertPublication(t, p, assembleCanonical(p.content, [], []), digest);
    } else
      row =
        options.beside && canOpenOwnConnection(options.beside)
          ? await insertHashedBeside(t, options.beside, p, value, parts, { stored, versions })
          : await insertPublication(t, p, value, await hashParts(t, parts));
    // The leaf reads the content's top-level `commitmentDigest` only, never a stored member.
    await appendLogLeaf(t, { ...row, content: p.content });
    return row;
  });
}

/**
 * The hex SHA-256 of `value`'s canonical JSON (as {@link publishStored} hashes a {@link DigestOf}),
 * its stored pieces locked and read in batches: the digest of rows that are not published with it
 * (a covert plan's sealed void names its bundle's digest only).
 */
export async function digestOfStored(tx: DbOrTx, value: object): Promise<string> {
  return tx.transaction(async (t) => {
    const parts: Part[] = [];
    const stored: StoredPiece[] = [];
    assembleCanonical(value, parts, stored);
    for (const piece of stored) await piece.lock(t);
    return hashParts(t, parts);
  });
}

let contentTables = 0;

/**
 * Inserts the publication of `value`, hashing `parts` on another connection while this one builds
 * the value into a temporary table (compressed as `publications.content` is); hashed here, after
 * the build, when there is no other connection, when it sees other versions of the stored pieces'
 * rows than `locked.versions`, or when anything fails there.
 */
async function insertHashedBeside(
  t: DbOrTx,
  beside: Db,
  p: Omit<Parameters<typeof publish>[1], 'content'>,
  value: SQL,
  parts: Part[],
  locked: { stored: StoredPiece[]; versions: (string | null)[] },
) {
  const table = sql`pg_temp.${sql.identifier(`publication_content_${++contentTables}`)}`;
  const [column] = await executeRows<{ lz4: boolean }>(
    t,
    sql`SELECT attcompression = 'l' AS "lz4" FROM pg_attribute
      WHERE attrelid = ${getTableName(publications)}::regclass AND attname = 'content'`,
  );
  await t.execute(
    sql`CREATE TEMP TABLE ${table} (content jsonb${sql.raw(column?.lz4 ? ' COMPRESSION lz4' : '')}) ON COMMIT DROP`,
  );
  const [hashed, built] = await Promise.allSettled([
    onOwnConnection(beside, async (reader) => {
      // Its snapshot is taken by the first statement: the versions checked are the ones hashed.
      for (const [i, piece] of locked.stored.entries())
        if ((await piece.version(reader)) !== locked.versions[i]) return null;
      return hashParts(reader, parts);
    }),
    t.execute(sql`INSERT INTO ${table} SELECT ${value}`),
  ]);
  if (built.status === 'rejected') throw built.reason;
  // Read-only work: whatever went wrong there (a lock it gave up on, a lost connection) is done
  // again here, where the rows are locked.
  const digest = (hashed.status === 'fulfilled' ? hashed.value?.value : null) ?? (await hashParts(t, parts));
  const row = await insertPublication(t, p, sql`(SELECT content FROM ${table})`, digest);
  await t.execute(sql`DROP TABLE ${table}`);
  return row;
}

/**
 * The hex SHA-256 of canonical JSON assembled as `parts`, the stored pieces read in batches (the
 * caller has locked them). `tx` must be a transaction. Each {@link DigestOf} among the parts is
 * hashed beside them, over the same pieces read once, and set before the parts reach it.
 */
async function hashParts(tx: DbOrTx, parts: Part[]): Promise<string> {
  const streams = [
    ...parts
      .filter((part): part is DigestOf => part instanceof DigestOf)
      .map((of) => {
        const own: Part[] = [];
        assembleCanonical(of.value, own, []);
        return { parts: own, at: 0, hash: createHash('sha256'), of };
      }),
    { parts, at: 0, hash: createHash('sha256'), of: null },
  ];
  // Each stream up to its next stored piece (null: to its end). A digest's own stream comes
  // first, so that it is set when it ends, before the content's stream reaches it.
  const untilPiece = (s: (typeof streams)[number]): StoredPiece | null => {
    while (s.at < s.parts.length) {
      const part = s.parts[s.at++]!;
      if (part instanceof StoredPiece) return part;
      if (part instanceof DigestOf) {
        if (part.digest === null) throw new Error('a DigestOf comes after the stored pieces it hashes');
        s.hash.update(JSON.stringify(part.digest), 'utf8');
      } else s.hash.update(part, 'utf8');
    }
    if (s.of) s.of.digest = s.hash.digest('hex');
    return null;
  };
  for (;;) {
    const pieces = streams.map(untilPiece);
    if (pieces.some((piece) => piece !== pieces[0]))
      throw new Error('a DigestOf holds the stored pieces of the content it is in, in the same order');
    const piece = pieces[0];
    if (!piece) return streams.at(-1)!.hash.digest('hex');
    for await (const s of piece.parts(tx)) for (const stream of streams) stream.hash.update(s, 'utf8');
  }
}

async function insertPublication(
  tx: DbOrTx,
  p: Omit<Parameters<typeof publish>[1], 'content'>,
  content: SQL,
  digest: string,
) {
  // The content is not read back (`RETURNING` it would serialise and parse it once more).
  const { content: _stored, ...columns } = getTableColumns(publications);
  const [row] = await tx
    .insert(publications)
    .values({
      bureauCode: p.bureauCode,
      kind: p.kind,
      refId: p.refId,
      period: p.period ?? null,
      title: p.title,
      content,
      digest,
      replacesId: p.replacesId ?? null,
      publishedAt: p.at,
      publishedBy: p.by,
    })
    .returning(columns);
  return row!;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Whether a piece is `value` or a member of its nested plain objects (arrays are not searched). */
function hasPiece(value: unknown): boolean {
  if (value instanceof CanonicalPiece || value instanceof StoredPiece || value instanceof DigestOf)
    return true;
  if (!isPlainObject(value)) return false;
  for (const k in value) if (hasPiece(value[k])) return true;
  return false;
}

/** Canonical text, a member read from the database, or a digest of pieces. */
type Part = string | StoredPiece | DigestOf;

/**
 * Canonical JSON of content holding pieces, as consecutive parts: objects on the way to a piece
 * with sorted keys and no undefined members, each piece as its text (a stored piece as itself,
 * also listed in `stored`), every other member as `canonicalJson(JSON.parse(JSON.stringify(member)))`
 * — the bytes {@link publish} hashes for content without pieces, so the digest is the same.
 *
 * Returns the same content as one SQL jsonb expression (what {@link publish} and
 * {@link publishStored} insert): each stored piece read from its row, a canonical piece copied
 * from where it was stored (`storedAt`) or else its text cast, every other member its canonical
 * text cast to jsonb. The objects on the way to a piece are rows (`SELECT … AS "key"`), turned
 * into jsonb once at the top: PostgreSQL unpacks a jsonb argument token by token into the value
 * it builds, so an object built as jsonb and then put in another was unpacked once per level (a
 * city draw's frame and result, ~10^8 bytes, twice: 10.3 s against 4.6 s in psql, and the
 * sign-off's insert 12.0 → 10.0 s, issue 16), while a row's members go into the outer value
 * directly. Each piece is copied once.
 */
function assembleCanonical(value: unknown, parts: Part[], stored: StoredPiece[]): SQL {
  const built = assembleMember(value, parts, stored);
  return built.row ? sql`to_jsonb(${built.sql})` : built.sql;
}

/** A member as SQL: jsonb, or (`row`) a row whose columns are its members. */
function assembleMember(value: unknown, parts: Part[], stored: StoredPiece[]): { sql: SQL; row: boolean } {
  if (value instanceof CanonicalPiece) {
    parts.push(value.text);
    return { sql: value.storedAt ?? sql`${value.text}::jsonb`, row: false };
  }
  if (value instanceof StoredPiece) {
    parts.push(value);
    stored.push(value);
    return { sql: value.jsonb, row: false };
  }
  if (value instanceof DigestOf) {
    parts.push(value);
    // A JSON string: stored once hashed (`publishStored` builds the content after hashing).
    return { sql: sql`${JSON.stringify(value.digest)}::jsonb`, row: false };
  }
  if (isPlainObject(value) && hasPiece(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    const members = keys.map((k, i) => {
      parts.push(`${i ? ',' : '{'}${JSON.stringify(k)}:`);
      return { key: k, ...assembleMember(value[k], parts, stored) };
    });
    parts.push(keys.length ? '}' : '{}');
    if (!members.length) return { sql: sql`'{}'::jsonb`, row: false };
    // Keys that are not column names as they are ({@link COLUMN_NAME}) go through
    // `jsonb_build_object`, at most 50 members a call (a function takes at most 100 arguments).
    if (members.length <= 1000 && keys.every((k) => COLUMN_NAME.test(k))) {
      // The row's alias names no member: a column of that name would be read instead of the row.
      let alias = 'r';
      while (keys.includes(alias)) alias += '_';
      const columns = sql.join(
        members.map((m) => sql`${m.sql} AS ${sql.identifier(m.key)}`),
        sql`, `,
      );
      return {
        sql: sql`(SELECT ${sql.identifier(alias)} FROM (SELECT ${columns}) AS ${sql.identifier(alias)})`,
        row: true,
      };
    }
    const calls: SQL[] = [];
    for (let i = 0; i < members.length; i += 50)
      calls.push(
        sql`jsonb_build_object(${sql.join(
          members.slice(i, i + 50).map((m) => sql`${m.key}::text, ${m.sql}`),
          sql`, `,
        )})`,
      );
    return { sql: sql.join(calls, sql` || `), row: false };
  }
  const text = canonicalJson(JSON.parse(JSON.stringify(value)));
  parts.push(text);
  return { sql: sql`${text}::jsonb`, row: false };
}

/**
 * Keys written as column names: printable ASCII, 1–63 bytes (PostgreSQL cuts longer names short,
 * silently). Other keys go as parameters to `jsonb_build_object`.
 */
const COLUMN_NAME = /^[\x20-\x7e]{1,63}$/;

/** The content with each piece replaced by its value. */
function withPieceValues(value: unknown): unknown {
  if (value instanceof DigestOf) throw new Error('content with a DigestOf is published by publishStored');
  if (value instanceof CanonicalPiece) {
    // `publish` returns its content: a piece that kept only its text belongs to `publishStored`.
    if (value.value === undefined) throw new Error('a piece without its value is published by publishStored');
    return value.value;
  }
  if (isPlainObject(value) && hasPiece(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPieceValues(v)]));
  return value;
}
