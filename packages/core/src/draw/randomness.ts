import type { SourceSpec } from './commitment';
import { DrawInputError } from './errors';
import { assertArray, describe } from './ids';

/** The published value of one source: its integers as given, or its lowercase hex string. */
export type SourceValue = readonly number[] | string;

/** RFC 3797 key string of one source: integers ascending, each in decimal followed by ".", then "/". */
export function numbersKeyString(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  let out = '';
  for (const n of sorted) out += `${n}.`;
  return `${out}/`;
}

/** Validates integers of a `numbers` source: non-empty, non-negative safe integers. */
export function assertNumbersValue(value: unknown, path: string): asserts value is number[] {
  assertArray(value, path);
  if (value.length === 0) throw new DrawInputError(path, 'a numbers source needs at least one integer');
  value.forEach((n, i) => {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw new DrawInputError(`${path}[${i}]`, `expected a non-negative integer, got ${describe(n)}`);
    }
  });
}

/**
 * The randomness string `R` of sr-draw/v1 §2: each source in order contributes its RFC 3797
 * key string (`numbers`) or its lowercase hex followed by "/" (`hex`).
 */
export function randomnessString(
  sources: readonly SourceSpec[],
  values: readonly unknown[],
  path = 'randomness.values',
): string {
  if (!Array.isArray(values))
    throw new DrawInputError(path, `expected an array with one value per source, got ${describe(values)}`);
  if (values.length !== sources.length) {
    throw new DrawInputError(
      path,
      `expected ${sources.length} values (one per commitment source), got ${values.length}`,
    );
  }
  let r = '';
  sources.forEach((source, i) => {
    const value = values[i];
    const at = `${path}[${i}]`;
    if (source.kind === 'numbers') {
      assertNumbersValue(value, at);
      r += numbersKeyString(value);
    } else {
      if (typeof value !== 'string' || !/^[0-9a-f]+$/.test(value)) {
        throw new DrawInputError(
          at,
          `source "${source.name}" is hex: expected lowercase hex digits, got ${describe(value)}`,
        );
      }
      r += `${value}/`;
    }
  });
  return r;
}
