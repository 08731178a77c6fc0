/**
 * Exact sampling ratios. A ratio is written as a percentage ("5%", "2.5%") or a fraction
 * ("1/20") and is never turned into a float: comparisons use integer cross-multiplication.
 */

/** A ratio as an exact fraction num/den with 0 ≤ num ≤ den. */
export interface Fraction {
  readonly num: number;
  readonly den: number;
}

/** The pattern every ratio string matches: `P%` (up to 4 decimals) or `N/D`. */
export const RATIO_PATTERN = /^(?:(?:100|[1-9]?\d)(?:\.\d{1,4})?%|[0-9]{1,9}\/[1-9][0-9]{0,8})$/;

/** Parses a ratio string into an exact fraction, or returns a message saying why it is not one. */
export function parseRatio(text: string): Fraction | string {
  if (!RATIO_PATTERN.test(text)) {
    return `"${text}" is not a ratio: write a percentage like "5%" or "2.5%", or a fraction like "1/20"`;
  }
  if (text.endsWith('%')) {
    const body = text.slice(0, -1);
    const [int = '0', dec = ''] = body.split('.');
    const den = 100 * 10 ** dec.length;
    const num = Number(int) * 10 ** dec.length + (dec ? Number(dec) : 0);
    if (num > den) return `"${text}" is above 100%`;
    return { num, den };
  }
  const [n, d] = text.split('/').map(Number) as [number, number];
  if (n > d) return `"${text}" is above 1`;
  return { num: n, den: d };
}

/** Parses a ratio already validated by the schema; throws on a malformed ratio. */
export function ratio(text: string): Fraction {
  const parsed = parseRatio(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

/** Compares two ratio strings exactly: negative when a < b, 0 when equal in value, positive when a > b. */
export function compareRatios(a: string, b: string): number {
  const x = ratio(a);
  const y = ratio(b);
  // num ≤ 10^9 and den ≤ 10^9 keep the products below 2^63; BigInt keeps them exact.
  const l = BigInt(x.num) * BigInt(y.den);
  const r = BigInt(y.num) * BigInt(x.den);
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The larger of two ratios (the first one when they are equal in value). */
export function maxRatio(a: string, b: string): string {
  return compareRatios(b, a) > 0 ? b : a;
}

/**
 * How many of `count` units a ratio selects, rounded up (a non-zero ratio of a non-empty
 * stratum always selects at least one unit), computed exactly.
 */
export function applyRatio(text: string, count: number): number {
  const { num, den } = ratio(text);
  const q = BigInt(count) * BigInt(num);
  const d = BigInt(den);
  return Number((q + d - 1n) / d);
}
