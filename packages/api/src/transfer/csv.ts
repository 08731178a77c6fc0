/** RFC 4180 CSV: a streaming parser (quoted fields, CRLF/LF, BOM) and a writer. */
import { csvDocument, restoreFormulaText } from '@spotcheck/core';

/** Core's formula neutraliser, which every CSV field goes through (the security suite checks it). */
export { neutraliseFormula } from '@spotcheck/core';

/**
 * Parses CSV text arriving in chunks; yields one array of fields per record. A field neutralised
 * against formulas (`'=…`, `'-…`, as {@link writeCsv} writes it and a spreadsheet saves it again)
 * reads as the text it stood for, so that an exported roster re-imports unchanged.
 */
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
        record.push(restoreFormulaText(field));
        field = '';
      } else if (c === '\n') {
        record.push(restoreFormulaText(field.endsWith('\r') ? field.slice(0, -1) : field));
        out.push(record);
        record = [];
        field = '';
      } else field += c;
    }
    for (const r of out) yield r;
  }
  if (sawAny && (field !== '' || record.length)) {
    record.push(restoreFormulaText(field.endsWith('\r') ? field.slice(0, -1) : field));
    yield record;
  }
}

/**
 * Writes records as CSV (CRLF, UTF-8 BOM so spreadsheet programs read Chinese correctly) through
 * core's `csvField`: text a spreadsheet would run as a formula gets a leading apostrophe and
 * quotes, a number stays a number; {@link parseCsv} reads the text back as it was.
 */
export function writeCsv(rows: Iterable<readonly unknown[]>): Buffer {
  return Buffer.from(csvDocument(rows), 'utf8');
}
