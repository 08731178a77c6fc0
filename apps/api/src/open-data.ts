import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIPv6 } from 'node:net';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { Feed } from 'feed';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { OPEN_DATASETS, openDataRows, toCsv, type OpenDataset } from '@spotcheck/api';
import { bureaus, publications, type Db } from '@spotcheck/db';

const gzipAsync = promisify(gzipCallback);

const KINDS = [
  'checklist',
  'procedure',
  'plan',
  'commitment',
  'draw',
  'void',
  'quarterly-results',
  'blacklist',
];

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.statusCode = status;
  res.setHeader('content-type', type);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('access-control-allow-origin', '*');
  res.end(body);
}

function bad(res: ServerResponse, message: string) {
  send(res, 400, 'text/plain; charset=utf-8', `${message}\n`);
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The public base URL of a deployment (`SPOTCHECK_PUBLIC_URL`: the portal's address, e.g.
 * `https://portal.example.gov.cn` or `https://www.example.gov.cn/spotcheck`) as links are built
 * from it: scheme, host, port and path, no trailing slash. Throws, naming the setting, on
 * anything else: not http(s), or with credentials, a query or a fragment.
 */
export function publicBaseUrl(value: string): string {
  const why = (what: string) =>
    new Error(`SPOTCHECK_PUBLIC_URL: ${JSON.stringify(value)} ${what} (e.g. https://portal.example.gov.cn)`);
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw why('is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw why('must be an http or https URL');
  if (url.username || url.password || url.search || url.hash || value.includes('?') || value.includes('#'))
    throw why('must be a scheme, host and optional path, without credentials, query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** A host name label; `_` too, as in container service names. */
const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
/** `Host` as RFC 9110 has it: a name (or IPv4 address) or a bracketed IPv6 address, and a port. */
const HOST = new RegExp(`^(?:(${LABEL}(?:\\.${LABEL})*)|\\[([0-9A-Fa-f:.]+)\\])(?::(\\d{1,5}))?$`);

/** Where an answer's absolute links point, and whether that came from the request's `Host`. */
export interface LinkBase {
  /** Scheme, host and path the links start with, no trailing slash. */
  base: string;
  /** Taken from `Host`: the answer varies with it (`Vary: Host`). */
  perHost: boolean;
}

/**
 * The base of the absolute links an answer carries: the configured public URL (as {@link
 * publicBaseUrl} returns it), whatever `Host` says; without one (the zero-setup demo) `http://`
 * and the request's `Host` when it is a host name or address with an optional port and nothing
 * else, else null. A client's `Host` never puts a path, credentials or a second host into a link.
 */
export function linkBaseOf(host: string | undefined, publicUrl: string | undefined): LinkBase | null {
  if (publicUrl) return { base: publicUrl, perHost: false };
  if (!host || host.length > 261) return null;
  const m = HOST.exec(host);
  if (!m) return null;
  const [, name, ipv6, port] = m;
  if (name !== undefined && name.length > 253) return null;
  if (ipv6 !== undefined && !isIPv6(ipv6)) return null;
  if (port !== undefined && Number(port) > 65535) return null;
  return { base: `http://${host.toLowerCase()}`, perHost: true };
}

/** Options of {@link handleOpenData}. */
export interface OpenDataOptions {
  /**
   * The configured public base URL, as {@link publicBaseUrl} returns it: every absolute link
   * starts with it. Without it links start with the request's `Host`, checked ({@link linkBaseOf}).
   */
  publicUrl?: string;
}

/**
 * How many bytes of built `results` downloads (plain and gzip) a server keeps per database, least
 * recently used first out. A city's results CSV is tens of MB; a download larger than this is
 * built for its request and not kept.
 */
const CACHE_BYTES = 64 * 1024 * 1024;

/** A built download of one filter and format, as of one version of its publications. */
export interface OpenFile {
  /** {@link resultsVersion} of the publications it was built from. */
  version: string;
  /** The CSV document, or the JSON of the rows array (the JSON answer frames it, {@link frameOf}). */
  body: Buffer;
  /** SHA-256 of `body`, hex. */
  digest: string;
  /**
   * The gzip of the framing last asked for compressed: one, as every request's framing is the same
   * under a configured public URL (a demo server without one frames per `Host`).
   */
  gzip: { head: string; bytes: Buffer } | null;
  gzipping: { head: string; bytes: Promise<Buffer> } | null;
}

const sizeOf = (file: OpenFile) => file.body.length + (file.gzip?.bytes.length ?? 0);

/** A built download as kept: its bytes with their digest, no gzip yet. */
export const openFile = (version: string, body: Buffer): OpenFile => ({
  version,
  body,
  digest: sha256(body),
  gzip: null,
  gzipping: null,
});

/**
 * The built `results` downloads of one database by format and filter, each kept with the version
 * of the publications it was built from, at most `maxBytes` of them (exported for tests). Without
 * it, every anonymous request read the items of every quarter it selects (a province's: every
 * quarter it published).
 */
export class OpenFiles {
  private readonly files = new Map<string, OpenFile>();
  private bytes = 0;
  /** Concurrent requests for one version of one download share one build. */
  private readonly building = new Map<string, Promise<OpenFile>>();

  constructor(private readonly maxBytes: number) {}

  /** The kept download `name` if it was built from `version`, else `build()`'s, kept from now on. */
  get(name: string, version: string, build: () => Promise<Buffer>): Promise<OpenFile> {
    const kept = this.files.get(name);
    if (kept?.version === version) {
      // Most recently used last.
      this.files.delete(name);
      this.files.set(name, kept);
      return Promise.resolve(kept);
    }
    const key = `${name}@${version}`;
    let pending = this.building.get(key);
    if (!pending) {
      pending = build()
        .then((body) => {
          const file = openFile(version, body);
          this.drop(name);
          // One larger than the whole cache is served but not kept.
          if (body.length <= this.maxBytes) {
            this.files.set(name, file);
            this.bytes += sizeOf(file);
            this.evict();
          }
          return file;
        })
        .finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }

  /**
   * `head + file.body + tail` gzip-compressed, made once per framing: kept with the file (in
   * place of another framing's) when both fit the cache.
   */
  gzip(name: string, file: OpenFile, head: string, tail: string): Promise<Buffer> {
    if (file.gzip?.head === head) return Promise.resolve(file.gzip.bytes);
    if (file.gzipping?.head === head) return file.gzipping.bytes;
    const bytes: Promise<Buffer> = gzipAsync(
      Buffer.concat([Buffer.from(head), file.body, Buffer.from(tail)]),
    ).then((z) => {
      if (file.gzipping?.bytes === bytes) file.gzipping = null;
      if (file.body.length + z.length <= this.maxBytes) {
        const kept = this.files.get(name) === file;
        if (kept) this.bytes -= sizeOf(file);
        file.gzip = { head, bytes: z };
        if (kept) {
          this.bytes += sizeOf(file);
          this.evict();
        }
      }
      return z;
    });
    file.gzipping = { head, bytes };
    return bytes;
  }

  private drop(name: string) {
    const file = this.files.get(name);
    if (!file) return;
    this.bytes -= sizeOf(file);
    this.files.delete(name);
  }

  /** Least recently used out until the rest fit. */
  private evict() {
    for (const name of this.files.keys()) {
      if (this.bytes <= this.maxBytes) return;
      this.drop(name);
    }
  }
}

const openFiles = new WeakMap<Db, OpenFiles>();

function openFilesOf(db: Db): OpenFiles {
  let files = openFiles.get(db);
  if (!files) {
    files = new OpenFiles(CACHE_BYTES);
    openFiles.set(db, files);
  }
  return files;
}

/** Filters of the `results` dataset (`kind` is its own). */
interface ResultsFilter {
  bureauCode?: string;
  period?: string;
}

/**
 * The version of the `results` download of a filter: how many quarterly-results publications the
 * filter selects and a digest of their ids and row versions (`xmin`), read from their headers
 * alone. The rows are built from these publications (`openDataRows` reads the newest 20,000 of
 * them), so a new quarter, a supplement or a correction (each a new publication), and a row
 * changed in the database behind the platform's back (a new row version) each change it.
 */
async function resultsVersion(db: Db, f: ResultsFilter): Promise<{ count: number; version: string }> {
  const where: SQL[] = [eq(publications.kind, 'quarterly-results')];
  if (f.bureauCode) where.push(eq(publications.bureauCode, f.bureauCode));
  if (f.period) where.push(eq(publications.period, f.period));
  const [v] = await db
    .select({
      count: sql<number>`count(*)::int`,
      rows: sql<
        string | null
      >`md5(string_agg(${publications.id}::text || ' ' || ${publications}.xmin::text, ',' ORDER BY ${publications.id}))`,
    })
    .from(publications)
    .where(and(...where));
  const count = v?.count ?? 0;
  return { count, version: `${count}:${v?.rows ?? ''}` };
}

/** The text around a kept body: none for CSV; the JSON answer's object around its rows array. */
function frameOf(dataset: OpenDataset, format: 'csv' | 'json', schema: string) {
  if (format === 'csv') return { head: '', tail: '' };
  // What `JSON.stringify({ dataset, schema, rows })` writes around the rows.
  return {
    head: `{"dataset":${JSON.stringify(dataset.name)},"schema":${JSON.stringify(schema)},"rows":`,
    tail: '}',
  };
}

/**
 * A `results` download, built once per version of the publications it comes from ({@link
 * resultsVersion}, one query of their headers on each request) and kept as bytes, with its gzip;
 * a strong ETag (from the SHA-256 of the bytes) and `Cache-Control: no-cache`, 304 on
 * `If-None-Match`. The kept bytes are sent as they are (`no-transform`: the compression
 * middleware does not compress them again on every request).
 */
async function serveResults(
  db: Db,
  req: IncomingMessage,
  res: ServerResponse,
  dataset: OpenDataset,
  format: 'csv' | 'json',
  f: ResultsFilter,
  schema: string,
  perHost: boolean,
) {
  const files = openFilesOf(db);
  const { count, version } = await resultsVersion(db, f);
  const name = `${format}|${f.bureauCode ?? ''}|${f.period ?? ''}`;
  const serialise = (rows: Parameters<typeof toCsv>[1]) =>
    Buffer.from(format === 'csv' ? toCsv(dataset, rows) : JSON.stringify(rows));
  // Nothing published for the filter: nothing to read, and nothing kept (any code may be asked).
  const file = count
    ? await files.get(name, version, async () => serialise((await openDataRows(db, dataset.name, f))!))
    : openFile(version, serialise([]));
  const { head, tail } = frameOf(dataset, format, schema);
  const etag = `"${sha256(`${head}\n${file.digest}\n${tail}`)}"`;
  const gzipped = `${etag.slice(0, -1)}-gzip"`;
  const wantsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('access-control-allow-origin', '*');
  // Kept by anyone, revalidated each time: a new quarter changes the answer at once.
  res.setHeader('cache-control', 'no-cache, no-transform');
  res.setHeader('vary', perHost ? 'Accept-Encoding, Host' : 'Accept-Encoding');
  res.setHeader('etag', wantsGzip ? gzipped : etag);
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => [etag, gzipped, '*'].includes(t.trim().replace(/^W\//, '')))) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader(
    'content-type',
    format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
  );
  if (wantsGzip) {
    const z = await files.gzip(name, file, head, tail);
    res.setHeader('content-encoding', 'gzip');
    res.setHeader('content-length', z.length);
    res.end(req.method === 'HEAD' ? undefined : z);
    return;
  }
  res.setHeader('content-length', Buffer.byteLength(head) + file.body.length + Buffer.byteLength(tail));
  if (req.method === 'HEAD') return void res.end();
  // Written part by part: the kept bytes are never copied into one answer.
  if (head) res.write(head);
  res.write(file.body);
  res.end(tail);
}

/**
 * Open data (no login): `GET /open/schema.json`, `GET /open/<dataset>.csv|json` with optional
 * `bureau`, `period`, `kind` (publications) query parameters, and `GET /feed/<bureau>.atom`, an
 * Atom feed of a bureau's newest publications. Everything comes from the public column.
 * Absolute links (the JSON's schema, the feed's) start with `options.publicUrl`, or else with the
 * request's `Host`, answered 400 when it is not a host and port. Returns false when the URL is not
 * one of these.
 */
export async function handleOpenData(
  db: Db,
  req: IncomingMessage,
  res: ServerResponse,
  options: OpenDataOptions = {},
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  /** Where this answer's links point; null once it has been refused for its `Host`. */
  const linkBase = (): LinkBase | null => {
    const base = linkBaseOf(req.headers.host, options.publicUrl);
    if (!options.publicUrl) res.setHeader('vary', 'Host');
    if (!base)
      bad(res, 'Host: must be a host name or address and an optional port (or set SPOTCHECK_PUBLIC_URL)');
    return base;
  };
  if (url.pathname === '/open/schema.json') {
    send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ datasets: OPEN_DATASETS }, null, 2));
    return true;
  }
  const m = /^\/open\/([a-z-]+)\.(csv|json)$/.exec(url.pathname);
  if (m) {
    const dataset = OPEN_DATASETS.find((d) => d.name === m[1]);
    if (!dataset) {
      send(res, 404, 'text/plain; charset=utf-8', `no dataset "${m[1]}": see /open/schema.json\n`);
      return true;
    }
    const bureauCode = url.searchParams.get('bureau') ?? undefined;
    const period = url.searchParams.get('period') ?? undefined;
    const kind = url.searchParams.get('kind') ?? undefined;
    if (bureauCode !== undefined && !/^\d{6}$/.test(bureauCode)) {
      bad(res, 'bureau: must be a 6-digit bureau code');
      return true;
    }
    if (period !== undefined && !/^\d{4}(-Q[1-4]|-\d{2})?$/.test(period)) {
      bad(res, 'period: must be YYYY, YYYY-Qn or YYYY-MM');
      return true;
    }
    if (kind !== undefined && !KINDS.includes(kind)) {
      bad(res, `kind: must be one of ${KINDS.join(', ')}`);
      return true;
    }
    const format = m[2] as 'csv' | 'json';
    // Only the JSON answer links (to its schema); the CSV is the same whatever the Host.
    const links = format === 'json' ? linkBase() : { base: '', perHost: false };
    if (!links) return true;
    const schema = `${links.base}/open/schema.json`;
    const file = `${dataset.name}${bureauCode ? `-${bureauCode}` : ''}${period ? `-${period}` : ''}`;
    res.setHeader('content-disposition', `attachment; filename="${file}.${m[2]}"`);
    // Every quarter's items, whatever their number: built once per version of its publications.
    if (dataset.name === 'results') {
      await serveResults(db, req, res, dataset, format, { bureauCode, period }, schema, links.perHost);
      return true;
    }
    const rows = (await openDataRows(db, dataset.name, { bureauCode, period, kind }))!;
    if (format === 'csv') send(res, 200, 'text/csv; charset=utf-8', toCsv(dataset, rows));
    else
      send(
        res,
        200,
        'application/json; charset=utf-8',
        JSON.stringify({ dataset: dataset.name, schema, rows }),
      );
    return true;
  }
  const f = /^\/feed\/(\d{6})\.atom$/.exec(url.pathname);
  if (f) {
    const links = linkBase();
    if (!links) return true;
    const origin = links.base;
    const [bureau] = await db.select().from(bureaus).where(eq(bureaus.code, f[1]!));
    if (!bureau) {
      send(res, 404, 'text/plain; charset=utf-8', `no bureau ${f[1]}\n`);
      return true;
    }
    // The columns an entry prints, never the content: anyone may ask, and a city draw's content
    // is ~10^8 bytes (a second and tens of MB a request to read, for a title and a digest).
    const rows = await db
      .select({
        id: publications.id,
        kind: publications.kind,
        period: publications.period,
        title: publications.title,
        digest: publications.digest,
        publishedAt: publications.publishedAt,
      })
      .from(publications)
      .where(eq(publications.bureauCode, bureau.code))
      .orderBy(desc(publications.publishedAt))
      .limit(50);
    const feed = new Feed({
      id: `${origin}/feed/${bureau.code}.atom`,
      title: `${bureau.name} 双随机、一公开`,
      link: `${origin}/?bureau=${bureau.code}`,
      language: 'zh-CN',
      copyright: bureau.name,
      updated: rows[0]?.publishedAt ?? new Date(0),
      feedLinks: { atom: `${origin}/feed/${bureau.code}.atom` },
    });
    for (const p of rows)
      feed.addItem({
        id: `urn:uuid:${p.id}`,
        title: p.title,
        link: `${origin}/publication/${p.id}?bureau=${bureau.code}`,
        date: p.publishedAt,
        description: `${p.kind}${p.period ? ` ${p.period}` : ''} · SHA-256 ${p.digest}`,
      });
    send(res, 200, 'application/atom+xml; charset=utf-8', feed.atom1());
    return true;
  }
  return false;
}
