import { sha256 } from '@noble/hashes/sha2.js';
import { DrawInputError } from './errors';
import { describe } from './ids';

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

/** Lowercase hex of `count` big-endian 32-bit words starting at `words[offset]`. */
export function wordsToHex(words: Uint32Array, offset = 0, count = 8): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const w = words[offset + i]!;
    out += HEX[w >>> 24]! + HEX[(w >>> 16) & 0xff]! + HEX[(w >>> 8) & 0xff]! + HEX[w & 0xff]!;
  }
  return out;
}

/** Bytes of an even-length hex string (either case); throws on anything else. */
export function fromHex(hex: string, path = 'hex'): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new DrawInputError(path, `expected an even-length hex string, got ${describe(hex)}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A JSON value that sr-draw/v1 can canonicalise. */
export type CanonicalValue =
  string | number | boolean | null | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue };

/**
 * Writes canonical JSON (sr-draw/v1 §0: RFC 8785 JCS for strings, safe integers, booleans,
 * null, arrays and objects) as a sequence of string pieces to `emit`.
 */
export function writeCanonical(x: unknown, emit: (piece: string) => void, path = '$'): void {
  switch (typeof x) {
    case 'string':
      emit(JSON.stringify(x));
      return;
    case 'number':
      if (!Number.isSafeInteger(x)) {
        throw new DrawInputError(path, `only integers with |n| < 2^53 are allowed, got ${describe(x)}`);
      }
      emit(String(x));
      return;
    case 'boolean':
      emit(x ? 'true' : 'false');
      return;
    case 'object':
      if (x === null) {
        emit('null');
        return;
      }
      if (Array.isArray(x)) {
        emit('[');
        for (let i = 0; i < x.length; i++) {
          if (i > 0) emit(',');
          if (!(i in x)) throw new DrawInputError(`${path}[${i}]`, 'arrays must not have holes');
          writeCanonical(x[i], emit, `${path}[${i}]`);
        }
        emit(']');
        return;
      }
      {
        const proto = Object.getPrototypeOf(x) as unknown;
        if (proto !== Object.prototype && proto !== null) {
          throw new DrawInputError(path, 'only plain objects can be canonicalised');
        }
        const obj = x as Record<string, unknown>;
        // Default sort compares UTF-16 code units, which is exactly what JCS prescribes.
        const keys = Object.keys(obj).sort();
        emit('{');
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          if (i > 0) emit(',');
          emit(JSON.stringify(key));
          emit(':');
          writeCanonical(obj[key], emit, `${path}.${key}`);
        }
        emit('}');
      }
      return;
    default:
      throw new DrawInputError(path, `${typeof x} values cannot be canonicalised`);
  }
}

/** Canonical JSON text of `x` (sr-draw/v1 §0). Throws a {@link DrawInputError} on floats, unsafe integers and non-JSON values. */
export function canonical(x: unknown): string {
  const parts: string[] = [];
  writeCanonical(x, (p) => parts.push(p));
  return parts.join('');
}

const CHUNK = 1 << 16;

/** SHA-256 of UTF-8(canonical(x)), streamed in chunks so a 10^6-row frame never becomes one string. */
export function sha256Canonical(x: unknown): Uint8Array {
  const h = sha256.create();
  let buffered: string[] = [];
  let size = 0;
  writeCanonical(x, (piece) => {
    buffered.push(piece);
    size += piece.length;
    if (size >= CHUNK) {
      h.update(encoder.encode(buffered.join('')));
      buffered = [];
      size = 0;
    }
  });
  if (size > 0) h.update(encoder.encode(buffered.join('')));
  return h.digest();
}

/** `sha256hex(x)`: lowercase hex SHA-256 of UTF-8(canonical(x)) (sr-draw/v1 §0). */
export function sha256hex(x: unknown): string {
  return toHex(sha256Canonical(x));
}
