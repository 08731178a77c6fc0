import dayjs from 'dayjs';

/** A timestamp (ISO string over the wire, Date in types) as `YYYY-MM-DD HH:mm`. */
export function fmtTime(v: string | Date | null | undefined): string {
  return v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '';
}

/** A date as `YYYY-MM-DD`. */
export function fmtDate(v: string | Date | null | undefined): string {
  return v ? dayjs(v).format('YYYY-MM-DD') : '';
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
