/** The parts of the core log module the CLI uses, plus UTF-8 of served leaf text. */
export * from '@spotcheck/core/log';

/** UTF-8 bytes of a leaf as served. */
export function utf8Leaf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
