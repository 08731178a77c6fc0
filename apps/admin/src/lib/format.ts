/**
 * A `datetime-local` input value (`YYYY-MM-DDTHH:mm`) showing an instant in China time: staff
 * type and read planned draw times in UTC+8 wherever their browser is.
 */
export function chinaDateTimeInput(v: Date | number): string {
  return new Date(new Date(v).getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

/**
 * The instant a `datetime-local` value (`YYYY-MM-DDTHH:mm[:ss]`) means when read as China time
 * (UTC+8), not the browser's zone (`new Date(value)` would read it in the browser's zone).
 */
export function fromChinaDateTimeInput(value: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(value);
  return m ? new Date(`${m[1]}T${m[2]}${m[3] ?? ':00'}+08:00`) : new Date(Number.NaN);
}

/**
 * A sampling ratio as a percentage: `"20%"` stays `20%`, a fraction `"1/20"` reads `5%`,
 * `"1/3"` reads `33.33%` (at most two decimals). Staff read one unit everywhere; the exact
 * string stays in the pack. Anything that is not a ratio is shown as it is.
 */
export function fmtRatio(ratio: string | null | undefined): string {
  if (ratio === null || ratio === undefined || ratio === '') return '—';
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(ratio);
  if (pct) return `${Number(pct[1])}%`;
  const frac = /^(\d+)\/(\d+)$/.exec(ratio);
  if (frac && Number(frac[2]) > 0) {
    const value = Math.round((Number(frac[1]) / Number(frac[2])) * 10_000) / 100;
    return `${value}%`;
  }
  return ratio;
}

/** `"20%"` → 20, `"1/20"` → 5 (the percentage a ratio means), for percentage inputs; null otherwise. */
export function ratioPercent(ratio: unknown): number | null {
  if (typeof ratio !== 'string') return null;
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(ratio);
  if (pct) return Number(pct[1]);
  const frac = /^(\d+)\/(\d+)$/.exec(ratio);
  if (frac && Number(frac[2]) > 0) return Math.round((Number(frac[1]) / Number(frac[2])) * 1e6) / 1e4;
  return null;
}
