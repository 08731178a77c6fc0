import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '@spotcheck/core';

/** Canonical JSON and record digests live in packages/core; re-exported for the API's modules. */
export { canonicalJson, digestOf } from '@spotcheck/core';

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
