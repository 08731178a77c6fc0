/**
 * The size in bytes of a JSON value in PostgreSQL's binary `jsonb` form, before compression: what
 * `pg_column_size(value::jsonb)` reports, and what PostgreSQL's limit on one jsonb value
 * ({@link MAX_JSONB_BYTES}) applies to. Computed without a database, so that a plan can be refused
 * before anything is written when its draw could not be published (issue 16).
 *
 * The layout (src/backend/utils/adt/jsonb_util.c): a 4-byte varlena header, then the root
 * container; a container is a 4-byte header, one 4-byte entry per element (two per key and value
 * of an object, keys first, in length-then-bytes order), then the elements' data; strings are
 * their UTF-8 bytes, booleans and null take no data, numbers are `numeric` values (a 4-byte varlena
 * header, a 2-byte short header and 2 bytes per base-10000 digit) and, like nested containers,
 * start on a 4-byte boundary. A scalar alone is stored as a one-element array.
 */

/** PostgreSQL's limit on one jsonb value (`JENTRY_OFFLENMASK`): 2^28 − 1 bytes. */
export const MAX_JSONB_BYTES = 0x0fffffff;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Base-10000 digits of a finite number's decimal form, leading and trailing zero groups stripped. */
function numericDigits(n: number): number {
  if (Number.isSafeInteger(n)) {
    // The common case (counts, flags, weights, sequences) without a string.
    let m = Math.abs(n);
    if (m === 0) return 0;
    while (m % 10000 === 0) m /= 10000;
    let groups = 1;
    while (m >= 10000) {
      m = Math.floor(m / 10000);
      groups++;
    }
    return groups;
  }
  let text = Math.abs(n).toString();
  if (/e/i.test(text)) {
    // 1e21, 1e-7: PostgreSQL reads the exponent form into the same digits as the expanded one.
    const [mantissa, exp] = text.toLowerCase().split('e') as [string, string];
    const [i, f = ''] = mantissa.split('.') as [string, string?];
    const digits = i + f;
    const point = i.length + Number(exp);
    text =
      point <= 0
        ? `0.${'0'.repeat(-point)}${digits}`
        : point >= digits.length
          ? digits + '0'.repeat(point - digits.length)
          : `${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const [int, frac = ''] = text.split('.') as [string, string?];
  const intGroups = int.padStart(Math.ceil(int.length / 4) * 4, '0').match(/.{4}/g) ?? [];
  const fracGroups = frac.padEnd(Math.ceil(frac.length / 4) * 4, '0').match(/.{4}/g) ?? [];
  const groups = [...intGroups, ...fracGroups];
  let first = 0;
  let last = groups.length;
  while (first < last && groups[first] === '0000') first++;
  while (last > first && groups[last - 1] === '0000') last--;
  return last - first;
}

/** The bytes of a JSON value (as `JSON.stringify` would write it) in PostgreSQL's jsonb form. */
export function jsonbSize(value: unknown): number {
  let at = 4; // the varlena header
  const align = () => (at = (at + 3) & ~3);
  const put = (v: unknown): void => {
    if (v === null || typeof v === 'boolean') return;
    if (typeof v === 'string') {
      at += utf8(v);
      return;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return; // JSON.stringify writes null
      align();
      at += 4 + 2 + 2 * numericDigits(v);
      return;
    }
    if (Array.isArray(v)) {
      align();
      at += 4 + 4 * v.length;
      for (const e of v) put(e === undefined || typeof e === 'function' ? null : e);
      return;
    }
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, e]) => e !== undefined && typeof e !== 'function')
        .map(([k, e]) => [Buffer.from(k, 'utf8'), e] as const)
        .sort(([a], [b]) => a.length - b.length || Buffer.compare(a, b));
      align();
      at += 4 + 8 * entries.length;
      for (const [k] of entries) at += k.length;
      for (const [, e] of entries) put(e);
    }
  };
  if (value !== null && typeof value === 'object') put(value);
  else {
    at += 4 + 4; // a scalar alone: a one-element array
    put(value);
  }
  return at;
}
