/** The pack content digest (canonical JSON from packages/core). */
import { canonicalJson, digestOf } from '@spotcheck/core';
import type { PackSource } from './types';

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
  return digestOf(files);
}

/** Canonical JSON of packages/core, re-exported for pack tooling. */
export { canonicalJson };
