import { DrawInputError } from './errors';

/** The identifier rule of sr-draw/v1 §0 (units, inspectors, strata, specialties). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** True when `value` is a valid sr-draw/v1 identifier. */
export function isDrawId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Describes a rejected value briefly, for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 70 ? `${value.slice(0, 67)}...` : value;
    return JSON.stringify(shown);
  }
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Throws a {@link DrawInputError} naming `path` unless `value` is a valid identifier. */
export function assertDrawId(value: unknown, path: string, what = 'identifier'): asserts value is string {
  if (isDrawId(value)) return;
  let why =
    'must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$ (ASCII letters, digits, . _ : -; at most 64 characters)';
  if (typeof value !== 'string') why = 'must be a string';
  else if (value.length === 0) why = 'must not be empty';
  else if (value.length > 64) why = `is ${value.length} characters long, at most 64 are allowed`;
  throw new DrawInputError(path, `${what} ${describe(value)} ${why}`);
}

/** Throws unless `value` is a safe integer within [min, max]. */
export function assertInt(
  value: unknown,
  path: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new DrawInputError(path, `expected an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    throw new DrawInputError(
      path,
      `${value} is out of range [${min}, ${max === Number.MAX_SAFE_INTEGER ? '2^53-1' : max}]`,
    );
  }
}

/** Throws unless `value` is a plain object (not null, not an array). */
export function assertObject(value: unknown, path: string): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DrawInputError(path, `expected an object, got ${describe(value)}`);
  }
}

/** Throws unless `obj` has exactly the keys in `required` plus any of `optional`. */
export function assertKeys(
  obj: Record<string, unknown>,
  path: string,
  required: readonly string[],
  optional: readonly string[] = [],
): void {
  for (const key of required) {
    if (!Object.hasOwn(obj, key)) throw new DrawInputError(path, `missing field "${key}"`);
  }
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key)) {
      throw new DrawInputError(
        path,
        `unknown field "${key}" (allowed: ${[...required, ...optional].join(', ')})`,
      );
    }
  }
}

/** Throws unless `value` is a string (optionally non-empty). */
export function assertString(value: unknown, path: string, nonEmpty = true): asserts value is string {
  if (typeof value !== 'string') throw new DrawInputError(path, `expected a string, got ${describe(value)}`);
  if (nonEmpty && value.length === 0) throw new DrawInputError(path, 'must not be empty');
}

/** Throws unless `value` is a boolean. */
export function assertBool(value: unknown, path: string): asserts value is boolean {
  if (typeof value !== 'boolean')
    throw new DrawInputError(path, `expected true or false, got ${describe(value)}`);
}

/** Throws unless `value` is an array. */
export function assertArray(value: unknown, path: string): asserts value is unknown[] {
  if (!Array.isArray(value)) throw new DrawInputError(path, `expected an array, got ${describe(value)}`);
}

/** Throws unless `list` is a strictly ascending (sorted, duplicate-free) list of identifiers. */
export function assertSortedIds(list: unknown, path: string, what: string): asserts list is string[] {
  assertArray(list, path);
  for (let i = 0; i < list.length; i++) {
    assertDrawId(list[i], `${path}[${i}]`, what);
    if (i > 0 && !((list[i - 1] as string) < (list[i] as string))) {
      const dup = list[i - 1] === list[i];
      throw new DrawInputError(
        `${path}[${i}]`,
        dup
          ? `duplicate ${what} ${describe(list[i])}`
          : `${what}: list must be sorted ascending, but ${describe(list[i - 1])} comes before ${describe(list[i])}`,
      );
    }
  }
}
