/**
 * fast-check arbitraries derived from zod 4 schemas (zod-fast-check only knows zod 3), for the
 * procedure fuzz run. Values are "valid-ish": they follow the schema's shape and bounds, strings
 * are often drawn from a pool of real ids (of every bureau), and {@link hostile} values replace
 * any part of them: NUL, huge or lone-surrogate strings, deep nesting, wrong types.
 */
import fc from 'fast-check';

/** The parts of a zod 4 schema's internals this module reads. */
interface ZodLike {
  _zod: {
    def: Record<string, unknown> & { type: string };
    bag: Record<string, unknown>;
  };
}

const MAX_DEPTH = 6;

/** An arbitrary of values shaped like `schema`; strings are sometimes taken from `pool`. */
export function arbitraryOf(schema: unknown, pool: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  const s = schema as ZodLike;
  const def = s?._zod?.def;
  if (!def) return fc.anything({ maxDepth: 2 });
  const bag = s._zod.bag ?? {};
  const inner = (x: unknown) => arbitraryOf(x, pool, depth + 1);
  if (depth > MAX_DEPTH) return fc.constant(undefined);
  switch (def.type) {
    case 'string': {
      const min = (bag.minimum as number | undefined) ?? 0;
      const max = Math.max(min, Math.min((bag.maximum as number | undefined) ?? 40, 60));
      const patterns = bag.patterns as Set<RegExp> | undefined;
      const pattern = patterns && [...patterns][0];
      const shaped = pattern
        ? fc
            .stringMatching(pattern)
            .filter((v) => v.length >= min && v.length <= ((bag.maximum as number) ?? 1e9))
        : fc.string({
            minLength: min,
            maxLength: max,
            unit: fc.oneof(fc.constantFrom('a', 'Z', '1', '-', ' '), fc.constantFrom('滨', '海', '单', '位')),
          });
      return pool.length
        ? fc.oneof({ arbitrary: shaped, weight: 2 }, { arbitrary: fc.constantFrom(...pool), weight: 1 })
        : shaped;
    }
    case 'number': {
      const int = bag.format === 'safeint' || bag.format === 'int32' || bag.format === 'uint32';
      const min = (bag.minimum as number | undefined) ?? (int ? -1000 : -1e6);
      const max = (bag.maximum as number | undefined) ?? (int ? 100_000 : 1e6);
      return int
        ? fc.integer({
            min: Math.max(min, Number.MIN_SAFE_INTEGER),
            max: Math.min(max, Number.MAX_SAFE_INTEGER),
          })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'int':
      return fc.integer({ min: -1000, max: 100_000 });
    case 'bigint':
      return fc.bigInt({ min: -1000n, max: 1000n });
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true });
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
    case 'object': {
      const shape = def.shape as Record<string, ZodLike>;
      const keys = Object.keys(shape);
      const required = keys.filter(
        (k) => !['optional', 'default', 'prefault'].includes(shape[k]!._zod.def.type),
      );
      return fc.record(Object.fromEntries(keys.map((k) => [k, inner(shape[k])])), { requiredKeys: required });
    }
    case 'array': {
      const min = (bag.minimum as number | undefined) ?? 0;
      const max = Math.max(min, Math.min((bag.maximum as number | undefined) ?? 4, 6));
      return fc.array(inner(def.element), { minLength: Math.min(min, 6), maxLength: max });
    }
    case 'tuple':
      return fc.tuple(...(def.items as unknown[]).map(inner));
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map(inner));
    case 'intersection':
      return fc
        .tuple(inner(def.left), inner(def.right))
        .map(([a, b]) => (a && b && typeof a === 'object' && typeof b === 'object' ? { ...a, ...b } : a));
    case 'record':
      return fc.dictionary(
        inner(def.keyType).map((k) => String(k)),
        inner(def.valueType),
        { maxKeys: 4 },
      );
    case 'map':
    case 'set':
      return fc.constant(undefined);
    case 'optional':
    case 'default':
    case 'prefault':
      return fc.option(inner(def.innerType), { nil: undefined, freq: 4 });
    case 'nullable':
      return fc.option(inner(def.innerType), { nil: null, freq: 4 });
    case 'nonoptional':
    case 'readonly':
    case 'catch':
    case 'success':
      return inner(def.innerType);
    case 'pipe':
      return inner(def.in);
    case 'lazy':
      return inner((def.getter as () => unknown)());
    case 'custom': {
      const Class = bag.Class;
      if (Class === Uint8Array || Class === Buffer) return fc.uint8Array({ maxLength: 64 });
      return fc.anything({ maxDepth: 2 });
    }
    case 'template_literal':
      return fc.string({ maxLength: 20 });
    default:
      return fc.anything({ maxDepth: 2 });
  }
}

/** Deeply nested value: `levels` arrays or objects inside each other. */
function nested(levels: number, asObject: boolean): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = asObject ? { a: v } : [v];
  return v;
}

/** Values no schema expects: the adversary's inputs. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    'a\u0000b',
    '\u0000',
    'x'.repeat(200_000),
    '滨'.repeat(70_000),
    '\ud800',
    'a\udfffb',
    "' OR 1=1 --",
    "'; DROP TABLE units; --",
    '$1',
    '%s%n',
    '../../../etc/passwd',
    '<script>alert(1)</script>',
    '=cmd|/C calc!A1',
    '',
    ' ',
    '0',
    '-1',
    'NaN',
    '9'.repeat(400),
    '00000000-0000-0000-0000-000000000000',
    '2027-02-30',
    '9999-99-99T99:99:99Z',
    -1,
    0,
    -0,
    1.5,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
    -1e308,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 31,
    true,
    null,
    undefined,
    [],
    {},
    { __proto__: { admin: true } },
    JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"x": 1}}}'),
    new Date(Number.NaN),
    new Uint8Array(3),
    Array.from({ length: 20_000 }, (_, i) => i),
    Array.from({ length: 2000 }, () => 'x'.repeat(100)),
  ),
  fc.constantFrom(10, 31, 33, 200, 20_000).chain((n) => fc.boolean().map((o) => nested(n, o))),
  fc.anything({
    maxDepth: 3,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withTypedArray: true,
  }),
);

/**
 * Replaces the value at a random path of `value` with `replacement` (a copy; `value` is kept).
 * `choice` picks the path among all of the value's nodes (the root included).
 */
export function replaceAt(value: unknown, choice: number, replacement: unknown): unknown {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (path.length > 8) return;
    if (Array.isArray(v)) v.forEach((c, i) => walk(c, [...path, i]));
    else if (v && typeof v === 'object' && !(v instanceof Date) && !(v instanceof Uint8Array))
      for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...path, k]);
  };
  walk(value, []);
  const path = paths[choice % paths.length]!;
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = replacement;
  return copy;
}
