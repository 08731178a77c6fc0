import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { canonicalJson, type JsonObject, type JsonValue } from '@spotcheck/core';

/** Canonical JSON and record digests are defined in packages/core; re-exported for the API's modules. */
export { canonicalJson } from '@spotcheck/core';

/**
 * Core's `digestOf` (SHA-256 of the UTF-8 canonical JSON, lowercase hex) on node:crypto: the
 * same bytes hashed natively, several times faster than the portable hash on the 10^8-byte
 * bundles of a city draw (issue 16).
 */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/** Lowercase hex SHA-256 of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A JSON-safe deep copy (dates → ISO strings), as it will read back from a jsonb column. */
export function toJsonValue<T>(value: T): JsonValue {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/** {@link toJsonValue} of an object or array, which stays one. */
export function toJsonObject(value: object): JsonObject | JsonValue[] {
  return JSON.parse(JSON.stringify(value));
}

/**
 * A large member of publication content (a frame, a result: 10^5–10^6 rows) already written as
 * its canonical JSON, so that `publish` neither serialises nor parses it again: the text is
 * stored and hashed into the content digest as it is. The same text serves for the member's own
 * digest ({@link digest}) and for other jsonb columns holding it ({@link jsonb}).
 */
export class CanonicalPiece<T = unknown> {
  private constructor(
    /** The value as given. */
    readonly value: T,
    /** Its canonical JSON. */
    readonly text: string,
    /**
     * Where the same value was just stored (an SQL jsonb expression reading that column in the
     * same transaction), for `publish` to copy it from there rather than parse the text again.
     */
    readonly storedAt: SQL | null = null,
  ) {}

  /**
   * Never serialised as it is: a piece is content's member (of plain objects on the way to it);
   * one anywhere else (inside an array) would publish its fields instead of its value.
   */
  toJSON(): never {
    throw new Error('a CanonicalPiece is published as a member of plain objects, not inside an array');
  }

  /**
   * The piece of a plain JSON value: strings, finite numbers, booleans and null in arrays and
   * plain objects (no dates, `toJSON` or undefined inside arrays), whose `canonicalJson` reads the
   * same before and after a JSON round trip.
   */
  static of<T>(value: T): CanonicalPiece<T> {
    return new CanonicalPiece(value, canonicalJson(value));
  }

  /**
   * The same piece, stored at `column` (a scalar subquery of the jsonb column just written from
   * {@link jsonb}, in the publishing transaction): `publish` hashes the text as it is and has
   * PostgreSQL copy the stored value, so a city's 60 MB frame is parsed once, not twice (issue 16).
   */
  storedIn(column: SQL): CanonicalPiece<T> {
    return new CanonicalPiece(this.value, this.text, column);
  }

  /**
   * The same text without the value, for a member that is only stored and hashed
   * (`publishStored`, which returns no content): the value can be collected while the rest of the
   * publication is hashed (a city draw's roster, 2·10^5 names, issue 16).
   */
  withoutValue(): CanonicalPiece<undefined> {
    return new CanonicalPiece(undefined, this.text, this.storedAt);
  }

  /** `digestOf(value)`: lowercase hex SHA-256 of the text. */
  get digest(): string {
    return sha256Hex(this.text);
  }

  /** The value for a jsonb column, from the text. */
  get jsonb(): SQL {
    return sql`${this.text}::jsonb`;
  }
}
