/**
 * A publication's record as JSON bytes, read from PostgreSQL once per version of its row and kept
 * for every reader of the whole record: its public file (`/open/publication/<id>.json`, apps/api)
 * and `publications.verifyDraw`. A city draw's record is ~1.5·10^8 bytes of JSON, and PostgreSQL
 * takes ~5 s to write it as text and send it (issue 16): the file and the check each read it
 * once before, now the second reader of the same version finds it made.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { copyOutText, publications, type Db } from '@spotcheck/db';

const gzipAsync = promisify(gzipCallback);

/** How many bytes of records (JSON and gzip) a server keeps, least recently used first out. */
const CACHE_BYTES = 512 * 1024 * 1024;

/** One version of a publication's record. */
export interface PublicationRecord {
  /**
   * The record `publications.get` returns (the same members and values; PostgreSQL's JSON text),
   * as UTF-8: a public file, so without `publishedBy` (the staff account's internal id, R16).
   * Shared by every reader: never written to, never handed to a thread as its own.
   */
  json: Buffer;
  /** A strong validator: the bytes' SHA-256, the same on every server that serves them. */
  etag: string;
  /** The row's version (`xmin`) the bytes were read from. */
  version: string;
  /** The bytes gzip-compressed, made on the first ask and kept with them. */
  gzip(): Promise<Buffer>;
}

interface Entry {
  json: Buffer;
  etag: string;
  version: string;
  gzip: Buffer | null;
  gzipping: Promise<Buffer> | null;
}

let reads = 0;

/** How many records have been read from the database (not found kept), for tests. */
export function publicationRecordReads(): number {
  return reads;
}

const byDatabase = new WeakMap<Db, (id: string) => Promise<PublicationRecord | null>>();

/**
 * The records of `db`'s publications (one cache per database a server opens). `load(id)` checks
 * the row's version on every call, one index lookup: a publication never changes, but one changed
 * in the database behind the platform's back is read as it now is, so a monitor comparing the file
 * with its log leaf, or anyone verifying the draw, sees the change at once, not after a restart.
 */
export function publicationRecords(db: Db): (id: string) => Promise<PublicationRecord | null> {
  let load = byDatabase.get(db);
  if (!load) {
    load = recordLoader(db);
    byDatabase.set(db, load);
  }
  return load;
}

/** The loader of {@link publicationRecords} keeping at most `cacheBytes` (exported for tests). */
export function recordLoader(db: Db, cacheBytes = CACHE_BYTES) {
  const cache = new LRUCache<string, Entry>({
    maxSize: cacheBytes,
    sizeCalculation: (e) => Math.max(1, e.json.length + (e.gzip?.length ?? 0)),
  });
  /** Concurrent first readers of one version share one read. */
  const loading = new Map<string, Promise<Entry | null>>();

  const record = (id: string, entry: Entry): PublicationRecord => ({
    json: entry.json,
    etag: entry.etag,
    version: entry.version,
    gzip: () => {
      if (entry.gzip) return Promise.resolve(entry.gzip);
      entry.gzipping ??= gzipAsync(entry.json).then((z) => {
        entry.gzipping = null;
        // Kept only if both fit the cache: counted again with it, a record too large for both
        // would be put out of the cache, JSON and all (the next ask compresses again).
        if (entry.json.length + z.length > cacheBytes) return z;
        entry.gzip = z;
        // Counted again with its gzip (when it is still this version's entry).
        if (cache.peek(id) === entry) cache.set(id, entry);
        return z;
      });
      return entry.gzipping;
    },
  });

  return async function load(id: string): Promise<PublicationRecord | null> {
    const [row] = await db
      .select({ version: sql<string>`${publications}.xmin::text` })
      .from(publications)
      .where(eq(publications.id, id));
    const hit = cache.get(id);
    if (row && hit && hit.version === row.version) return record(id, hit);
    cache.delete(id); // gone, or changed behind the platform's back
    if (!row) return null;
    const key = `${id}@${row.version}`;
    let pending = loading.get(key);
    if (!pending) {
      pending = read(db, id)
        .then((entry) => {
          // A record larger than the whole cache is read but not kept.
          if (entry && entry.json.length <= cacheBytes) cache.set(id, entry);
          return entry;
        })
        .finally(() => loading.delete(key));
      loading.set(key, pending);
    }
    const entry = await pending;
    return entry ? record(id, entry) : null;
  };
}

/**
 * The record's JSON, written by PostgreSQL and read as UTF-8 bytes: a city draw's ~10^8 bytes of
 * content are neither parsed into objects and serialised again here, nor held as a string (up to
 * twice their size) and then copied into a buffer (the server's memory peak, issue 16). The
 * content is written last, after the other members' object without its closing brace: put inside
 * `json_build_object` it took a second longer to write and ~3 s longer to reach the server. The
 * version (digits) is read with the bytes, so the entry is kept as the version it holds.
 */
async function read(db: Db, id: string): Promise<Entry | null> {
  reads++;
  const out = await copyOutText(
    db,
    sql`SELECT ${publications}.xmin::text || ' ' || left(json_build_object(
        'id', ${publications.id}, 'bureauCode', ${publications.bureauCode}, 'kind', ${publications.kind},
        'refId', ${publications.refId}, 'period', ${publications.period}, 'title', ${publications.title},
        'digest', ${publications.digest}, 'replacesId', ${publications.replacesId},
        'publishedAt', to_char(${publications.publishedAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        )::text, -1) || ', "content" : ' || ${publications.content}::text || '}'
      FROM ${publications} WHERE ${publications.id} = ${id}`,
  );
  if (!out) return null;
  const all = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  const space = all.indexOf(0x20);
  const json = all.subarray(space + 1);
  return {
    json,
    // It changes exactly when the bytes do (an edit behind the platform's back included).
    etag: `"${createHash('sha256').update(json).digest('hex')}"`,
    version: all.toString('latin1', 0, space),
    gzip: null,
    gzipping: null,
  };
}
