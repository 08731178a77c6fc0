/**
 * One member of a JSON object found in its UTF-8 text without parsing the rest: a publication
 * record's `content.bundle` is what a draw's check reads, while the record also carries the names
 * of every unit drawn (a city's 2·10^5, ~4·10^7 bytes) that would otherwise be decoded and parsed
 * for nothing (issue 16). The text must be valid JSON (PostgreSQL wrote it): values are skipped by
 * their brackets and quotes, never checked, and what is found is parsed afterwards, so a malformed
 * text fails there.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

function skipSpace(bytes: Uint8Array, at: number): number {
  while (at < bytes.length && isSpace(bytes[at]!)) at++;
  return at;
}

/** The index after the string that starts (at its quote) at `at`. */
function skipString(bytes: Uint8Array, at: number): number {
  for (let i = at + 1; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === BACKSLASH) i++;
    else if (b === QUOTE) return i + 1;
  }
  throw new Error('JSON text ends inside a string');
}

/** The index after the value that starts at `at` (no space before it). */
function skipValue(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first === QUOTE) return skipString(bytes, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let i = at; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === QUOTE) i = skipString(bytes, i) - 1;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    throw new Error('JSON text ends inside an object or array');
  }
  // A number, true, false or null: up to the next delimiter.
  let i = at;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || isSpace(b)) break;
    i++;
  }
  return i;
}

/**
 * The bytes of the value at `path` (member names, object in object) in the JSON text `bytes`, as a
 * view into it, or null when a member is missing or not reached through objects.
 */
export function jsonMemberBytes(bytes: Uint8Array, path: readonly string[]): Uint8Array | null {
  let start = skipSpace(bytes, 0);
  let end = skipValue(bytes, start);
  const decoder = new TextDecoder();
  for (const name of path) {
    if (bytes[start] !== OPEN_BRACE) return null;
    let at = skipSpace(bytes, start + 1);
    let found: [number, number] | null = null;
    while (at < end && bytes[at] !== CLOSE_BRACE) {
      const keyEnd = skipString(bytes, at);
      const key = JSON.parse(decoder.decode(bytes.subarray(at, keyEnd))) as string;
      at = skipSpace(bytes, keyEnd);
      if (bytes[at] !== COLON) throw new Error('JSON object member without a colon');
      const valueStart = skipSpace(bytes, at + 1);
      const valueEnd = skipValue(bytes, valueStart);
      // The last member of a name wins, as in JSON.parse.
      if (key === name) found = [valueStart, valueEnd];
      at = skipSpace(bytes, valueEnd);
      if (bytes[at] === COMMA) at = skipSpace(bytes, at + 1);
    }
    if (!found) return null;
    [start, end] = found;
  }
  return bytes.subarray(start, end);
}
