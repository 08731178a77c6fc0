/**
 * A timestamp (ISO string over the wire, Date in types) as `YYYY-MM-DD HH:mm` in China time
 * (UTC+8), whatever the browser's time zone: a publication has one date for everyone.
 */
export function fmtTime(v: string | Date | null | undefined): string {
  if (!v) return '';
  const ms = new Date(v).getTime();
  if (Number.isNaN(ms)) return '';
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A timestamp's China (UTC+8) calendar date `YYYY-MM-DD`. */
export function fmtChinaDate(v: string | Date | null | undefined): string {
  return fmtTime(v).slice(0, 10);
}

/** A digest shortened for tables: first 12 hex digits. */
export function shortHash(h: string | null | undefined): string {
  return h ? `${h.slice(0, 12)}…` : '';
}

/** Offers a JSON document as a file download. */
export function downloadJson(filename: string, text: string): void {
  downloadText(filename, text, 'application/json;charset=utf-8');
}

/** Offers a text document (CSV, JSON) as a file download. */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
