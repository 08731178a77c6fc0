import { createHash, type Hash } from 'node:crypto';
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import { publications } from '@spotcheck/db';
import type { PublicationContent } from '@spotcheck/core';
import { canonicalJson, digestOf, sha256Hex } from './canonical';
import type { DbOrTx } from './db';
import { appendLogLeaf } from '../log/transparency';

/** Kinds of publication in the public column. */
export type PublicationKind = (typeof publications.$inferInsert)['kind'];

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
  // large rows come as {@link CanonicalPiece}s, written once and never parsed back.
  let stored: SQL;
  let content: PublicationContent;
  let digest: string;
  if (hasPiece(p.content)) {
    const hash = createHash('sha256');
    hashCanonical(p.content, hash);
    digest = hash.digest('hex');
    stored = storedJsonb(p.content);
    content = withPieceValues(p.content) as PublicationContent;
  } else {
    const json = JSON.stringify(p.content);
    content = JSON.parse(json) as PublicationContent;
    digest = digestOf(content);
    stored = sql`${json}::jsonb`;
  }
  return tx.transaction(async (t) => {
    const row = await insertPublication(t, p, stored, content, digest);
    await appendLogLeaf(t, row);
    return row;
  });
}

async function insertPublication(
  tx: DbOrTx,
  p: Parameters<typeof publish>[1],
  stored: SQL,
  content: PublicationContent,
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
      content: stored,
      digest,
      replacesId: p.replacesId ?? null,
      publishedAt: p.at,
      publishedBy: p.by,
    })
    .returning(columns);
  return { ...row!, content };
}

/**
 * A large member of publication content (a frame, a result: 10^5–10^6 rows) already written as
 * its canonical JSON, so that {@link publish} neither serialises nor parses it again: the text is
 * hashed into the content digest as it is, and stored as is — or, with {@link storedFrom}, copied
 * inside the database from a jsonb column that holds the same value (a draw's rows), so the
 * database does not parse 10^7–10^8 bytes of JSON again.
 */
export class CanonicalPiece<T = unknown> {
  private constructor(
    /** The value as given. */
    readonly value: T,
    /** Its canonical JSON. */
    readonly text: string,
    /** A jsonb expression with the same value, when there is one. */
    readonly stored: SQL | null,
  ) {}

  /**
   * The piece of a plain JSON value: strings, finite numbers, booleans and null in arrays and
   * plain objects (no dates, `toJSON` or undefined inside arrays), whose `canonicalJson` reads the
   * same before and after a JSON round trip.
   */
  static of<T>(value: T): CanonicalPiece<T> {
    return new CanonicalPiece(value, canonicalJson(value), null);
  }

  /** The same piece, stored from `expr`: a jsonb expression whose value is `value`, read in the same transaction. */
  storedFrom(expr: SQL): CanonicalPiece<T> {
    return new CanonicalPiece(this.value, this.text, expr);
  }

  /** `digestOf(value)`: lowercase hex SHA-256 of the text. */
  get digest(): string {
    return sha256Hex(this.text);
  }

  /** The jsonb to store: {@link stored}, else the text. */
  get jsonb(): SQL {
    return this.stored ?? sql`${this.text}::jsonb`;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Whether a piece is `value` or a member of its nested plain objects (arrays are not searched). */
function hasPiece(value: unknown): boolean {
  if (value instanceof CanonicalPiece) return true;
  if (!isPlainObject(value)) return false;
  for (const k in value) if (hasPiece(value[k])) return true;
  return false;
}

/**
 * Feeds `hash` the canonical JSON of content holding pieces: objects on the way to a piece with
 * sorted keys and no undefined members, each piece as its text, every other member as
 * `canonicalJson(JSON.parse(JSON.stringify(member)))` — the bytes {@link publish} hashes for
 * content without pieces, so the digest is the same.
 */
function hashCanonical(value: unknown, hash: Hash): void {
  if (value instanceof CanonicalPiece) {
    hash.update(value.text, 'utf8');
    return;
  }
  if (isPlainObject(value) && hasPiece(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    hash.update('{');
    keys.forEach((k, i) => {
      hash.update(`${i ? ',' : ''}${JSON.stringify(k)}:`, 'utf8');
      hashCanonical(value[k], hash);
    });
    hash.update('}');
    return;
  }
  hash.update(canonicalJson(JSON.parse(JSON.stringify(value))), 'utf8');
}

/**
 * The jsonb of content holding pieces: objects on the way to a piece built in the database from
 * their members (pieces as {@link CanonicalPiece.jsonb}, the others as one JSON parameter).
 */
function storedJsonb(value: unknown): SQL {
  if (value instanceof CanonicalPiece) return value.jsonb;
  if (isPlainObject(value) && hasPiece(value)) {
    const rest: Record<string, unknown> = {};
    const built: SQL[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (hasPiece(v)) built.push(sql`${k}::text`, storedJsonb(v));
      else rest[k] = v;
    }
    return sql`(jsonb_build_object(${sql.join(built, sql`, `)}) || ${JSON.stringify(rest)}::jsonb)`;
  }
  return sql`${JSON.stringify(value)}::jsonb`;
}

/** The content with each piece replaced by its value. */
function withPieceValues(value: unknown): unknown {
  if (value instanceof CanonicalPiece) return value.value;
  if (isPlainObject(value) && hasPiece(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPieceValues(v)]));
  return value;
}
