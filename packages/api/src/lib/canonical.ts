import { createHash } from 'node:crypto';

/**
 * Canonical JSON (RFC 8785 JCS for plain data): no whitespace, object keys sorted, strings as
 * `JSON.stringify` escapes them. Dates become ISO strings; `undefined` members are dropped.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`cannot canonicalise ${value}`);
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new Error(`cannot canonicalise a ${typeof value}`);
  }
}

/** Lowercase hex SHA-256 of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Lowercase hex SHA-256 of the canonical JSON of a value. */
export function digestOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** A JSON-safe deep copy (dates → ISO strings), as it will read back from a jsonb column. */
export function toJsonValue<T>(value: T): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
