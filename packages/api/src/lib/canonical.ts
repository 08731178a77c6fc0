import { createHash } from 'node:crypto';
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
