/**
 * A timestamp (ISO string over the wire, Date in types) as `YYYY-MM-DD HH:mm` in China time
 * (UTC+8), whatever the browser's time zone: staff in any zone read the times the portal, the
 * notices and the deadlines (20 working days) speak of.
 */
export function fmtTime(v: string | Date | null | undefined): string {
  if (!v) return '';
  const ms = new Date(v).getTime();
  if (Number.isNaN(ms)) return '';
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A date as `YYYY-MM-DD`: a calendar date as it is, a timestamp's date in China (UTC+8). */
export function fmtDate(v: string | Date | null | undefined): string {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  return fmtTime(v).slice(0, 10);
}

/** Today's date in China (UTC+8) as `YYYY-MM-DD`, whatever the browser's time zone. */
export function chinaToday(now: Date = new Date()): string {
  return fmtDate(now);
}

/** China's current year (UTC+8). */
export function chinaYear(now: Date = new Date()): number {
  return Number(chinaToday(now).slice(0, 4));
}

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

/** A digest shortened for tables: first 12 hex digits. */
export function shortHash(h: string | null | undefined): string {
  return h ? `${h.slice(0, 12)}…` : '';
}

/** Quotes a CSV field when needed (RFC 4180). */
function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(';') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Downloads rows as a UTF-8 CSV (with BOM so that Excel reads Chinese). */
export function downloadCsv(filename: string, header: string[], rows: unknown[][]): void {
  const text = '\uFEFF' + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
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
