import type { ApiErrorReason } from '@spotcheck/core';
import { downloadFile } from '@spotcheck/ui/format';
import { refusalOf } from './errors';

/** A file as the API returns it: name, MIME type, base64 content. */
export interface Base64File {
  filename: string;
  mime: string;
  base64: string;
}

/** Saves a base64 file from the API (templates, exports) through a temporary link. */
export function downloadBase64(file: Base64File): void {
  downloadFile(
    file.filename,
    Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0)),
    file.mime,
  );
}

/** Reads a browser file as base64 (without the `data:` prefix). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('file: cannot be read'));
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.readAsDataURL(file);
  });
}

/** The spreadsheet format of a file name, if it is one the API reads. */
export function formatOf(name: string): 'xlsx' | 'csv' | null {
  const ext = name.toLowerCase().split('.').pop();
  return ext === 'xlsx' ? 'xlsx' : ext === 'csv' ? 'csv' : null;
}

/** One line of the NDJSON stream of `POST /upload/import/:kind`. */
export type UploadLine =
  | { type: 'progress'; phase: 'reading' | 'writing'; rows: number }
  | ({ type: 'report' } & Record<string, unknown>)
  | { type: 'error'; code: string; message: string; reason?: ApiErrorReason | null };

/** Splits complete NDJSON lines off a growing response text; returns them and the consumed length. */
export function takeLines(text: string, from: number): { lines: UploadLine[]; next: number } {
  const end = text.lastIndexOf('\n');
  if (end < from) return { lines: [], next: from };
  const lines = text
    .slice(from, end)
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as UploadLine);
  return { lines, next: end + 1 };
}

/** The error a cancelled upload rejects with. */
export class UploadCancelled extends Error {
  constructor() {
    super('the upload was cancelled');
  }
}

/**
 * Streams a file to `url` with XMLHttpRequest (fetch reports no upload progress): `onSent`
 * receives bytes sent, `onLine` each NDJSON line as it arrives. Resolves when the response ends;
 * `signal` aborts the request (the server then stops and writes nothing it has not committed).
 */
export function streamUpload(
  url: string,
  file: Blob,
  onSent: (sent: number, total: number) => void,
  onLine: (line: UploadLine) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    signal?.addEventListener('abort', () => {
      xhr.abort();
      reject(new UploadCancelled());
    });
    let consumed = 0;
    const drain = () => {
      const { lines, next } = takeLines(xhr.responseText, consumed);
      consumed = next;
      lines.forEach(onLine);
    };
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onSent(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onprogress = drain;
    xhr.onerror = () => reject(new Error('network: the upload was interrupted'));
    xhr.onload = () => {
      if (xhr.status !== 200) {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          // not JSON (a proxy's page): the status says it
        }
        reject(refusalOf(body, xhr.status));
        return;
      }
      drain();
      const rest = xhr.responseText.slice(consumed).trim();
      if (rest) onLine(JSON.parse(rest) as UploadLine);
      resolve();
    };
    xhr.send(file);
  });
}
