import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { gzip as gzipCallback } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import parseRange from 'range-parser';
import { copyOutText, publications, type Db } from '@spotcheck/db';

const gzip = promisify(gzipCallback);

/** One publication serialised once: the JSON bytes and their gzip. */
interface PublicationFile {
  json: Buffer;
  gzip: Buffer;
  etag: string;
  /** The row's version (`xmin`) the bytes were read from. */
  version: string;
}

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
 * slow (issue 16), so both are made once and kept in memory, least recently used first out, up
 * to `cacheBytes`, for as long as the row is the version they were read from.
 */
export function publicationFiles(db: Db, { cacheBytes = 512 * 1024 * 1024 } = {}) {
  const cache = new LRUCache<string, PublicationFile>({
    maxSize: cacheBytes,
    sizeCalculation: (f) => Math.max(1, f.json.length + f.gzip.length),
  });
  /** Concurrent first requests for one id share one load. */
  const loading = new Map<string, Promise<PublicationFile | null>>();

  async function load(id: string): Promise<PublicationFile | null> {
    // The row's version (`xmin`, new on any write to it) is read on every request, one index
    // lookup: a publication never changes, but one changed in the database behind the platform's
    // back must be served as it now is, so a monitor comparing the file with its log leaf sees
    // the change at once, not after a restart (issue 16's review).
    const [row] = await db
      .select({ version: sql<string>`${publications}.xmin::text` })
      .from(publications)
      .where(eq(publications.id, id));
    const hit = cache.get(id);
    if (row && hit && hit.version === row.version) return hit;
    cache.delete(id); // gone, or changed behind the platform's back
    if (!row) return null;
    const key = `${id}@${row.version}`;
    let pending = loading.get(key);
    if (!pending) {
      pending = (async () => {
        // The record's JSON is written by PostgreSQL and read as UTF-8 bytes: a city draw's ~10^8
        // bytes of content are neither parsed into objects and serialised again here, nor held as
        // a string (up to twice their size) and then copied into a buffer (the server's memory
        // peak, issue 16). Same members and values as `publications.get`, PostgreSQL's spacing.
        // The version (digits) is read with the bytes, so the file is kept as the version it holds.
        const out = await copyOutText(
          db,
          sql`SELECT ${publications}.xmin::text || ' ' || json_build_object(
              'id', ${publications.id}, 'bureauCode', ${publications.bureauCode}, 'kind', ${publications.kind},
              'refId', ${publications.refId}, 'period', ${publications.period}, 'title', ${publications.title},
              'content', ${publications.content}, 'digest', ${publications.digest},
              'replacesId', ${publications.replacesId},
              'publishedAt', to_char(${publications.publishedAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'publishedBy', ${publications.publishedBy})::text
            FROM ${publications} WHERE ${publications.id} = ${id}`,
        );
        if (!out) return null;
        const all = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
        const space = all.indexOf(0x20);
        const json = all.subarray(space + 1);
        // The validator is the bytes' own SHA-256: it changes exactly when the bytes do (an edit
        // behind the platform's back included), and is the same on every server that serves them.
        const etag = `"${createHash('sha256').update(json).digest('hex')}"`;
        const file = { json, gzip: await gzip(json), etag, version: all.toString('latin1', 0, space) };
        // A file larger than the whole cache is served but not kept.
        if (json.length + file.gzip.length <= cacheBytes) cache.set(id, file);
        return file;
      })().finally(() => loading.delete(key));
      loading.set(key, pending);
    }
    return pending;
  }

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
    const body = wantsGzip ? file.gzip : file.json;
    res.statusCode = 200;
    res.setHeader('etag', wantsGzip ? gzipped : file.etag);
    if (wantsGzip) res.setHeader('content-encoding', 'gzip');
    res.setHeader('content-length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
