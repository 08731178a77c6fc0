import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from './draw/canonical';

/**
 * Canonical JSON for digests of platform records (publications, audit events, rule packs):
 * no whitespace, object keys sorted at every level, strings escaped as `JSON.stringify` does;
 * `undefined` members are dropped (`null` inside arrays), dates become ISO strings, bigints their
 * digits. For plain data it gives the same bytes as RFC 8785 JCS. Draws use the stricter
 * `canonical` of sr-draw/v1, which refuses everything but strings, safe integers, booleans and null.
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

/** Lowercase hex SHA-256 of the UTF-8 canonical JSON of a value. */
export function digestOf(value: unknown): string {
  return toHex(sha256(utf8(canonicalJson(value))));
}
