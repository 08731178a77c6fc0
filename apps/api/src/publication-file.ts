import type { IncomingMessage, ServerResponse } from 'node:http';
import parseRange from 'range-parser';
import { publicationRecords } from '@spotcheck/api';
import type { Db } from '@spotcheck/db';

/** The path of a publication's file: `/open/publication/<uuid>.json`. */
const FILE_PATH =
  /^\/open\/publication\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/;

/** Whether a request is for a publication file (the compression middleware leaves these alone). */
export function isPublicationFile(url: string): boolean {
  return FILE_PATH.test(url.split('?')[0] ?? '');
}

/**
 * Publications as files: `GET /open/publication/<id>.json` is the record `publications.get`
 * returns (the same members and values; PostgreSQL's JSON text). A publication never changes once
 * written (a correction is a new publication that replaces it), so each file is immutable and
 * content-addressed: a strong ETag from the bytes' SHA-256, `Cache-Control: immutable`, 304 on
 * `If-None-Match`, and byte ranges of the plain encoding (a range whose `If-Range` names other
 * bytes gets the whole file, so a resumed download never splices two versions). A city draw
 * bundle is ~10^8 bytes of JSON: serialising and compressing it on every request is what made it
 * slow (issue 16), so both are made once and kept in memory ({@link publicationRecords}, shared
 * with `publications.verifyDraw`) for as long as the row is the version they were read from.
 */
export function publicationFiles(db: Db) {
  const load = publicationRecords(db);

  /** Serves the request when it is for a publication file; returns false otherwise. */
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const m = FILE_PATH.exec((req.url ?? '').split('?')[0] ?? '');
    if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('x-content-type-options', 'nosniff');
    const file = await load(m[1]!);
    if (!file) {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(`no publication ${m[1]}\n`);
      return true;
    }
    const gzipped = `${file.etag.slice(0, -1)}-gzip"`;
    // A publication is never meant to change: browsers and shared caches keep what they were sent
    // (the record as published); a monitor reads from this server, which checks the row each time.
    res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    res.setHeader('vary', 'Accept-Encoding');
    res.setHeader('accept-ranges', 'bytes');
    res.setHeader('content-type', 'application/json; charset=utf-8');
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => [file.etag, gzipped, '*'].includes(t.trim().replace(/^W\//, '')))) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    const range = req.headers.range;
    // `If-Range` naming other bytes (or a date: no Last-Modified is sent) asks for the whole file.
    const ifRange = req.headers['if-range'];
    if (range && (ifRange === undefined || ifRange === file.etag)) {
      // Ranges are of the plain JSON (a download that resumes where it stopped).
      const ranges = parseRange(file.json.length, range, { combine: true });
      if (ranges === -1) {
        res.statusCode = 416;
        res.setHeader('content-range', `bytes */${file.json.length}`);
        res.end();
        return true;
      }
      if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) {
        const { start, end } = ranges[0]!;
        res.statusCode = 206;
        res.setHeader('etag', file.etag);
        res.setHeader('content-range', `bytes ${start}-${end}/${file.json.length}`);
        res.setHeader('content-length', end - start + 1);
        res.end(req.method === 'HEAD' ? undefined : file.json.subarray(start, end + 1));
        return true;
      }
    }
    const wantsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = wantsGzip ? await file.gzip() : file.json;
    res.statusCode = 200;
    res.setHeader('etag', wantsGzip ? gzipped : file.etag);
    if (wantsGzip) res.setHeader('content-encoding', 'gzip');
    res.setHeader('content-length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
