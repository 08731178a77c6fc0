/**
 * CSV (RFC 4180) as spreadsheet programs read it, safe from formula injection: the one field
 * writer behind every CSV the platform offers (admin and portal downloads, open data, the credit
 * report, roster exports), so that none of them escapes differently.
 */

/**
 * Text starting with what makes a spreadsheet run it as a formula (`=`, `+`, `-`, `@`; tab and CR,
 * which some programs drop first), after any apostrophes.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * A text cell made safe to open (OWASP "CSV Injection"): text starting with `=`, `+`, `-`, `@`,
 * tab or carriage return gets a leading apostrophe, so Excel, WPS and LibreOffice show it as text
 * instead of running it. Text that already starts with apostrophes before one of those gets one
 * more, so that {@link restoreFormulaText} gives back exactly the text written. Only for text:
 * a number the platform writes (`-3`) is no formula and goes through {@link csvField} as it is.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The text a field read from a CSV stood for: {@link neutraliseFormula} undone. */
export function restoreFormulaText(field: string): string {
  return field.startsWith("'") && FORMULA_START.test(field.slice(1)) ? field.slice(1) : field;
}

/**
 * One CSV field: a finite number or a bigint as written (`-3` stays a number), a flag as
 * `true`/`false`, null or undefined as empty, a list joined with `;`, anything else as text
 * through {@link neutraliseFormula}. A neutralised field is always quoted, any other when it holds
 * a quote, comma or line break; quotes inside are doubled.
 */
export function csvField(value: unknown): string {
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'boolean') return String(value);
  const text =
    value === null || value === undefined ? '' : Array.isArray(value) ? value.join(';') : String(value);
  const safe = neutraliseFormula(text);
  return safe !== text || /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Records as CSV text: a UTF-8 byte order mark (so that spreadsheet programs read the Chinese),
 * each field through {@link csvField}, CRLF after every record.
 */
export function csvDocument(records: Iterable<readonly unknown[]>): string {
  const lines: string[] = [];
  for (const r of records) lines.push(r.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
