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

/** The path of the value being written, kept as a stack and joined only when an error names it. */
type PathStack = (string | number)[];

const pathText = (root: string, stack: PathStack): string =>
  root + stack.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');

/** Writes canonical text into one growing string, handing it to `sink` whenever it passes `chunk` characters. */
class CanonicalWriter {
  out = '';
  private readonly stack: PathStack = [];
  // Objects of one shape (a draw's 10^5 selected units) sort their keys once.
  private lastKeys: string[] = [];
  private lastSorted: string[] = [];

  constructor(
    private readonly root: string,
    private readonly sink: ((piece: string) => void) | null,
    private readonly chunk: number,
  ) {}

  private fail(message: string): never {
    throw new DrawInputError(pathText(this.root, this.stack), message);
  }

  private sortedKeys(obj: object): string[] {
    const keys = Object.keys(obj);
    const last = this.lastKeys;
    if (keys.length === last.length) {
      let same = true;
      for (let i = 0; i < keys.length; i++)
        if (keys[i] !== last[i]) {
          same = false;
          break;
        }
      if (same) return this.lastSorted;
    }
    this.lastKeys = keys;
    // Default sort compares UTF-16 code units, which is exactly what JCS prescribes.
    this.lastSorted = keys.slice().sort();
    return this.lastSorted;
  }

  write(x: unknown): void {
    switch (typeof x) {
      case 'string':
        this.out += JSON.stringify(x);
        break;
      case 'number':
        if (!Number.isSafeInteger(x))
          this.fail(`only integers with |n| < 2^53 are allowed, got ${describe(x)}`);
        this.out += String(x);
        break;
      case 'boolean':
        this.out += x ? 'true' : 'false';
        break;
      case 'object':
        if (x === null) this.out += 'null';
        else if (Array.isArray(x)) {
          this.out += '[';
          const { stack } = this;
          stack.push(0);
          for (let i = 0; i < x.length; i++) {
            stack[stack.length - 1] = i;
            if (i > 0) this.out += ',';
            if (!(i in x)) this.fail('arrays must not have holes');
            this.write(x[i]);
          }
          stack.pop();
          this.out += ']';
        } else {
          const proto = Object.getPrototypeOf(x) as unknown;
          if (proto !== Object.prototype && proto !== null)
            this.fail('only plain objects can be canonicalised');
          const obj = x as Record<string, unknown>;
          const keys = this.sortedKeys(obj);
          this.out += '{';
          const { stack } = this;
          stack.push('');
          for (let i = 0; i < keys.length; i++) {
            const key = keys[i]!;
            stack[stack.length - 1] = key;
            this.out += i > 0 ? `,${JSON.stringify(key)}:` : `${JSON.stringify(key)}:`;
            this.write(obj[key]);
          }
          stack.pop();
          this.out += '}';
        }
        break;
      default:
        this.fail(`${typeof x} values cannot be canonicalised`);
    }
    if (this.sink && this.out.length >= this.chunk) {
      this.sink(this.out);
      this.out = '';
    }
  }
}

/**
 * Writes canonical JSON (sr-draw/v1 §0: RFC 8785 JCS for strings, safe integers, booleans,
 * null, arrays and objects) as a sequence of string pieces to `emit`; their concatenation is the
 * canonical text.
 */
export function writeCanonical(x: unknown, emit: (piece: string) => void, path = '$'): void {
  const w = new CanonicalWriter(path, emit, CHUNK);
  w.write(x);
  if (w.out.length > 0) emit(w.out);
}

/** Canonical JSON text of `x` (sr-draw/v1 §0). Throws a {@link DrawInputError} on floats, unsafe integers and non-JSON values. */
export function canonical(x: unknown): string {
  const w = new CanonicalWriter('$', null, 0);
  w.write(x);
  return w.out;
}

const CHUNK = 1 << 16;

/** A streaming SHA-256 of UTF-8 text: what every digest of canonical JSON is computed with. */
export interface TextSha256 {
  update(text: string): void;
  digest(): Uint8Array;
}

let makeTextSha256 = (): TextSha256 => {
  const h = sha256.create();
  return { update: (text) => h.update(encoder.encode(text)), digest: () => h.digest() };
};

/** A new streaming SHA-256 of UTF-8 text (noble's, or the backend installed by {@link useTextSha256}). */
export function textSha256(): TextSha256 {
  return makeTextSha256();
}

/**
 * Installs another implementation of the same function (`@spotcheck/core/node` installs node:crypto's,
 * several times faster on the 10^8 bytes of a city draw). The bytes hashed and the digests are
 * unchanged; browsers keep noble's.
 */
export function useTextSha256(make: () => TextSha256): void {
  makeTextSha256 = make;
}

/** SHA-256 of UTF-8(canonical(x)), streamed in chunks so a 10^6-row frame never becomes one string. */
export function sha256Canonical(x: unknown): Uint8Array {
  const h = textSha256();
  writeCanonical(x, (piece) => h.update(piece));
  return h.digest();
}

/** `sha256hex(x)`: lowercase hex SHA-256 of UTF-8(canonical(x)) (sr-draw/v1 §0). */
export function sha256hex(x: unknown): string {
  return toHex(sha256Canonical(x));
}
