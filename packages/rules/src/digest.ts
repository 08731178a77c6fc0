/** Canonical JSON and the pack content digest. */
import { createHash } from 'node:crypto';
import type { PackSource } from './types';

/** JSON with object keys sorted at every level and no whitespace; `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error(`cannot canonicalise ${typeof value}`);
    return text;
  }
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/**
 * The content digest of a pack version: hex sha256 of the canonical JSON of its files
 * (path → parsed content; raw text is parsed first), so formatting and key order do not
 * change it but any change of content, rules or cases does. `origin` is not part of it.
 */
export function packDigest(source: PackSource): string {
  const files: Record<string, unknown> = {};
  for (const [path, content] of Object.entries(source.files)) {
    files[path] = typeof content === 'string' ? JSON.parse(content) : content;
  }
  return createHash('sha256').update(canonicalJson(files)).digest('hex');
}
