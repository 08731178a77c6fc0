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
  // Plain data whose keys are already in order is what JSON.stringify writes byte for byte: one
  // native call instead of a string per node (a city's frame is 10^6 rows, issue 16).
  if (typeof value === 'object' && value !== null && alreadyCanonical(value, 0)) return JSON.stringify(value);
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

/**
 * Whether JSON.stringify writes `value` exactly as {@link canonicalJson} does: strings, finite
 * numbers, booleans and null, in arrays without holes and plain objects whose keys are already
 * sorted (code-unit order, as `sort()`) with no undefined members. Anything else (dates, bigints,
 * undefined, other prototypes, unsorted keys, very deep nesting) takes the general path.
 */
function alreadyCanonical(value: object, depth: number): boolean {
  if (depth > 64) return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || 'toJSON' in value) return false;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || !plainMember(value[i], depth)) return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const obj = value as Record<string, unknown>;
  let previous: string | null = null;
  for (const k in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, k)) return false;
    if (previous !== null && !(previous < k)) return false;
    previous = k;
    if (!plainMember(obj[k], depth)) return false;
  }
  return true;
}

function plainMember(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object':
      return v === null || alreadyCanonical(v, depth + 1);
    default:
      return false;
  }
}

/** Lowercase hex SHA-256 of the UTF-8 canonical JSON of a value. */
export function digestOf(value: unknown): string {
  return toHex(sha256(utf8(canonicalJson(value))));
}
