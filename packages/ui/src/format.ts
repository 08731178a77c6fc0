import { csvDocument } from '@spotcheck/core';

/**
 * A timestamp (ISO string over the wire, Date in types) as `YYYY-MM-DD HH:mm` in China time
 * (UTC+8), whatever the browser's time zone: staff and the public read one time for everything
 * a publication, a notice or a deadline (20 working days) speaks of.
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

/** A digest shortened for tables: first 12 hex digits. */
export function shortHash(h: string | null | undefined): string {
  return h ? `${h.slice(0, 12)}…` : '';
}

/** Offers content as a file download, through a temporary object URL. */
export function downloadFile(filename: string, content: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Offers a JSON document as a file download. */
export function downloadJson(filename: string, text: string): void {
  downloadFile(filename, text, 'application/json;charset=utf-8');
}

/**
 * Rows as CSV text, UTF-8 with a BOM (so that spreadsheets read the Chinese) and CRLF line ends;
 * text a spreadsheet would run as a formula is written as text, numbers as numbers (core's
 * `csvField`, shared with every CSV the server writes).
 */
export function csvText(header: readonly unknown[], rows: Iterable<readonly unknown[]>): string {
  return csvDocument([header, ...rows]);
}
