/** RFC 4180 CSV: a streaming parser (quoted fields, CRLF/LF, BOM) and a writer. */

/** Parses CSV text arriving in chunks; yields one array of fields per record. */
export async function* parseCsv(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8');
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let quotePending = false; // saw a quote inside quotes: either "" or the closing quote
  let first = true;
  let sawAny = false;
  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const out: string[][] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      sawAny = true;
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (c === '"') {
            field += '"';
            continue;
          }
          inQuotes = false; // the quote closed the field; fall through to handle c
        } else if (c === '"') {
          quotePending = true;
          continue;
        } else {
          field += c;
          continue;
        }
      }
      if (c === '"' && field === '') inQuotes = true;
      else if (c === ',') {
        record.push(field);
        field = '';
      } else if (c === '\n') {
        record.push(field.endsWith('\r') ? field.slice(0, -1) : field);
        out.push(record);
        record = [];
        field = '';
      } else field += c;
    }
    for (const r of out) yield r;
  }
  if (sawAny && (field !== '' || record.length)) {
    record.push(field.endsWith('\r') ? field.slice(0, -1) : field);
    yield record;
  }
}

/**
 * Neutralises spreadsheet formulas (CSV injection): a cell starting with `=`, `+`, `-`, `@`, tab
 * or carriage return gets a leading apostrophe, so Excel/WPS shows it as text instead of running
 * it. Plain numbers (`-5`, `+86`) stay as they are.
 */
export function neutraliseFormula(v: string): string {
  if (/^[-+]?\d+(\.\d+)?$/.test(v)) return v;
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** One CSV field, formula-safe, quoted when needed. */
function csvField(raw: string): string {
  const v = neutraliseFormula(raw);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes records as CSV (CRLF, UTF-8 BOM so spreadsheet programs read Chinese correctly). */
export function writeCsv(rows: string[][]): Buffer {
  return Buffer.from('\ufeff' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n', 'utf8');
}
