import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import compression from 'compression';
import {
  apiError,
  appRouter,
  refusalBody,
  assertProductionSecrets,
  beaconFromEnv,
  type Beacon,
  createContextInner,
  isProduction,
  keySecretFor,
  evidenceDirFromEnv,
  registerEvidenceDir,
  internalErrorMessage,
  resolveApiToken,
  resolveSession,
  MAX_EVIDENCE_BYTES,
  readCookie,
  SESSION_COOKIE,
  sweepStaleSpoolDirs,
} from '@spotcheck/api';
import { projectRoot, type Database } from '@spotcheck/db';
import { handleEvidenceDownload, handleEvidenceUpload } from './evidence';
import { handleOpenData, publicBaseUrl } from './open-data';
import { isPublicationFile, publicationFiles } from './publication-file';
import { handleDrawBundleFile, isDrawBundleFile } from './draw-bundle-file';
import { handleImportUpload } from './upload';

/** A folder of built static files served under a URL prefix (a single-page app). */
export interface StaticMount {
  /** URL prefix, e.g. `/admin/` or `/`. */
  prefix: string;
  /** Folder holding `index.html` and assets. */
  dir: string;
  /**
   * Whether other sites may show it in a frame (the public column, which bureau sites embed).
   * Default false: the staff admin refuses framing, so no page can overlay it to steer clicks.
   */
  frameable?: boolean;
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  database: Database;
  port: number;
  host?: string;
  /** Static SPAs; default: apps/admin/dist at /admin/ and apps/portal/dist at /, where built. */
  staticMounts?: StaticMount[];
  /**
   * Set the cookie `Secure` flag. Default: `SPOTCHECK_SECURE_COOKIES=1|0` when set, else on
   * everywhere except a development server listening on a loopback address.
   */
  secureCookies?: boolean;
  /**
   * Behind reverse proxies: how many (true = 1) append to `X-Forwarded-For` and set
   * `X-Forwarded-Proto`/`-Host`. The client address is the entry that many from the right: what
   * the nearest trusted proxy saw; entries further left are the client's own claims. Default
   * `SPOTCHECK_TRUST_PROXY=<hops>` (1 for a single proxy).
   */
  trustProxy?: boolean | number;
  /** Production mode (no stack traces, secrets required). Default: `NODE_ENV=production` or `SPOTCHECK_PRODUCTION=1`. */
  production?: boolean;
  /** Other origins allowed to send state-changing requests. Default `SPOTCHECK_ALLOWED_ORIGINS` (comma-separated). */
  allowedOrigins?: string[];
  /**
   * The portal's public address (`https://portal.example.gov.cn`), which every absolute link of the
   * open data and feeds starts with, whatever a request's `Host` says. Default
   * `SPOTCHECK_PUBLIC_URL`; without one links follow `Host`, refused unless a host and port.
   */
  publicUrl?: string;
  /** Secret encrypting signing keys; default `SPOTCHECK_KEY_SECRET`, else the data directory's generated one (`keySecretFor`). */
  keySecret?: string;
  /** Server clock (tests). */
  now?: () => Date;
  /** Evidence store; default `SPOTCHECK_EVIDENCE_DIR`, else beside the PGlite folder, else `.data/evidence`. */
  evidenceDir?: string;
  /** Largest evidence upload in bytes (default 25 MiB). */
  maxEvidenceBytes?: number;
  /** Evidence bytes one user may upload per rolling 24 hours (default 2 GiB). */
  evidenceQuotaBytesPerDay?: number;
  /**
   * The drand beacon: default {@link beaconFromEnv} (a relay with `SPOTCHECK_DRAND_URL`, else the
   * local demo beacon, which `NODE_ENV=production` refuses). The demo beacon is served under
   * `/beacon/<chain>/info` and `/beacon/<chain>/public/<round|latest>` like a drand relay.
   */
  beacon?: Beacon | null;
}

/** A running API server. */
export interface RunningServer {
  url: string;
  server: Server;
  /** The drand beacon the server uses (the demo beacon offline), or null. */
  beacon: Beacon | null;
  close(): Promise<void>;
}

/** The default static mounts: the built admin and portal SPAs, when their dist folders exist. */
export function defaultStaticMounts(): StaticMount[] {
  return [
    { prefix: '/admin/', dir: resolve(projectRoot, 'apps/admin/dist') },
    { prefix: '/', dir: resolve(projectRoot, 'apps/portal/dist'), frameable: true },
  ].filter((m) => existsSync(join(m.dir, 'index.html')));
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Serves a file of a static mount, falling back to index.html for client-side routes. */
function serveStatic(mount: StaticMount, urlPath: string, res: ServerResponse): boolean {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.slice(mount.prefix.length).split('?')[0] ?? '');
  } catch {
    return false; // malformed %-escapes: not a file of ours (404), never a thrown URIError
  }
  if (rel.includes('\u0000')) return false;
  const root = resolve(mount.dir);
  let file = normalize(join(root, rel));
  if (file !== root && !file.startsWith(root + sep)) return false; // path traversal
  if (!existsSync(file) || !statSync(file).isFile()) {
    if (extname(rel)) return false; // a missing asset is a 404, not the app shell
    file = join(root, 'index.html');
  }
  res.statusCode = 200;
  res.setHeader('content-type', MIME[extname(file)] ?? 'application/octet-stream');
  res.setHeader('x-content-type-options', 'nosniff');
  if (!mount.frameable) {
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('content-security-policy', "frame-ancestors 'none'");
  }
  if (file.includes(`${sep}assets${sep}`))
    res.setHeader('cache-control', 'public, max-age=31536000, immutable');
  createReadStream(file).pipe(res);
  return true;
}

/**
 * Serves the demo beacon like a drand HTTP relay: `/beacon/<chain>/info` and
 * `/beacon/<chain>/public/<round|latest>` (a round only once its time has come).
 */
async function serveDemoBeacon(beacon: Beacon, url: string, now: Date, res: ServerResponse) {
  const m = /^\/beacon\/([0-9a-f]{64})\/(info|public\/(latest|\d{1,12}))\/?$/.exec(url.split('?')[0] ?? '');
  const send = (status: number, body: unknown) => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.end(JSON.stringify(body));
  };
  if (!m || m[1] !== beacon.chain) return send(404, { error: 'unknown chain or path', chain: beacon.chain });
  if (m[2] === 'info')
    return send(200, { ...beacon.info, hash: beacon.chain, demo: true, label: '演示信标 demo beacon' });
  const { genesis, period } = beacon.info;
  const latest = Math.floor((now.getTime() / 1000 - genesis) / period) + 1;
  const round = m[3] === 'latest' ? latest : Number(m[3]);
  const signature = round >= 1 ? await beacon.fetchRound(round, now) : null;
  if (!signature) return send(425, { error: `round ${round} does not exist yet`, latest });
  return send(200, { round, signature });
}

/** Most procedure calls one batched tRPC request may carry. */
export const MAX_BATCH_SIZE = 100;

/**
 * Largest tRPC body accepted without a valid session or bearer token. Anonymous procedures
 * (sign-in, the public column) take a few hundred bytes; the 64 MiB allowance is for signed-in
 * imports and rule packs, so strangers cannot make the server parse tens of megabytes each.
 */
export const MAX_ANONYMOUS_BODY_BYTES = 1024 * 1024;

/** Trusted proxy hops of a `trustProxy` setting (true = 1). */
export function proxyHops(trustProxy: boolean | number | undefined): number {
  if (trustProxy === true) return 1;
  return typeof trustProxy === 'number' && Number.isInteger(trustProxy) && trustProxy > 0 ? trustProxy : 0;
}

/**
 * The client address of a request. Behind `hops` trusted proxies it is the `hops`-th entry of
 * `X-Forwarded-For` from the right (each proxy appends the address it saw); the leftmost entries
 * are whatever the client sent, so trusting them would let anyone pick their address and dodge
 * the sign-in limits (or borrow a victim's known address).
 */
export function clientAddress(req: IncomingMessage, hops: number): string | null {
  if (hops > 0) {
    const fwd = req.headers['x-forwarded-for'];
    const entries = (Array.isArray(fwd) ? fwd.join(',') : (fwd ?? ''))
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const seen = entries[entries.length - hops] ?? entries[0];
    if (seen) return seen;
  }
  return req.socket.remoteAddress ?? null;
}

/** Whether a host name or address is the loopback interface. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

/**
 * Why a state-changing request (anything but GET/HEAD/OPTIONS) must be refused as cross-site, or
 * null: a browser's `Sec-Fetch-Site` other than same-origin/none, or an `Origin` other than the
 * server's own (or an allowed one). Requests without either header (curl, the CLI) pass: they
 * carry no ambient browser cookies of a victim.
 */
export function crossSiteRefusal(
  req: IncomingMessage,
  allowedOrigins: ReadonlySet<string>,
  trustProxy: boolean | number,
): string | null {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return null;
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  if (origin && allowedOrigins.has(origin)) return null;
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none')
    return `Sec-Fetch-Site: ${site} requests may not change anything`;
  if (origin !== undefined) {
    const fwdProto = trustProxy
      ? String(req.headers['x-forwarded-proto'] ?? '')
          .split(',')[0]!
          .trim()
      : '';
    const proto = fwdProto || ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
    const fwdHost = trustProxy
      ? String(req.headers['x-forwarded-host'] ?? '')
          .split(',')[0]!
          .trim()
      : '';
    const own = `${proto}://${fwdHost || req.headers.host}`;
    if (origin !== own) return `Origin: ${origin} may not send state-changing requests here`;
  }
  return null;
}

/** Bearer token of a request, if any. */
function bearerOf(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  return h && /^Bearer /i.test(h) ? h.slice(7).trim() : null;
}

/**
 * Starts the HTTP server: tRPC under /trpc (session cookie `spotcheck_session`, or
 * `Authorization: Bearer sct_…` for other government systems), streaming spreadsheet imports
 * under POST /upload/import/:kind (NDJSON progress), evidence files of findings (POST
 * /upload/evidence, GET /evidence/<resultId>/<sha256>), and the built SPAs. Fails with one clear line when the port
 * is taken.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const production = options.production ?? isProduction();
  if (production && !options.keySecret)
    assertProductionSecrets({ ...process.env, SPOTCHECK_PRODUCTION: '1' });
  const keySecret = options.keySecret ?? keySecretFor(options.database);
  const envSecure = process.env.SPOTCHECK_SECURE_COOKIES;
  const secureCookies =
    options.secureCookies ??
    (envSecure === '1' || envSecure === '0' ? envSecure === '1' : production || !isLoopbackHost(host));
  const trustProxy = proxyHops(options.trustProxy ?? Number(process.env.SPOTCHECK_TRUST_PROXY ?? 0));
  const allowedOrigins = new Set(
    options.allowedOrigins ??
      (process.env.SPOTCHECK_ALLOWED_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
  );
  // Checked now: a mistyped address refuses to start rather than publish broken links.
  const publicUrlSetting = options.publicUrl || process.env.SPOTCHECK_PUBLIC_URL?.trim();
  const publicUrl = publicUrlSetting ? publicBaseUrl(publicUrlSetting) : undefined;
  const evidenceDir = options.evidenceDir ?? evidenceDirFromEnv();
  // The nightly evidence-collect job works on the store this server writes to.
  registerEvidenceDir(options.database.db, evidenceDir);
  // Import folders left in the temporary folder by a server killed mid-import (kill -9).
  await sweepStaleSpoolDirs();
  const maxEvidenceBytes = options.maxEvidenceBytes ?? MAX_EVIDENCE_BYTES;
  const beacon = options.beacon === undefined ? beaconFromEnv() : options.beacon;
  if (beacon?.demo && production)
    throw new Error(
      'NODE_ENV=production refuses the unpinned demo beacon: set SPOTCHECK_DRAND_URL to a drand relay',
    );
  const now = options.now ?? (() => new Date());
  const mounts = (options.staticMounts ?? defaultStaticMounts()).sort(
    (a, b) => b.prefix.length - a.prefix.length,
  );
  const contextFor = (req: IncomingMessage, res: ServerResponse) =>
    createContextInner({
      db: options.database.db,
      now: options.now,
      sessionToken: readCookie(req.headers.cookie, SESSION_COOKIE) ?? null,
      bearerToken: bearerOf(req),
      clientAddress: clientAddress(req, trustProxy),
      userAgent: req.headers['user-agent'] ?? null,
      secureCookies,
      keySecret,
      evidenceDir,
      beacon,
      production,
      setCookie: (value) => {
        const prev = res.getHeader('set-cookie');
        res.setHeader('set-cookie', [...(Array.isArray(prev) ? prev : prev ? [String(prev)] : []), value]);
      },
    });
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: ({ req, res }) => contextFor(req, res),
    maxBodySize: 64 * 1024 * 1024,
    // One request may not fan out into thousands of procedure calls (the SPAs send ≤ 50 a batch).
    maxBatchSize: MAX_BATCH_SIZE,
    // Queries with large inputs (rulePacks.validate of a whole pack) do not fit in a URL: the
    // client sends them as POST (`httpBatchLink({ methodOverride: 'POST' })`).
    allowMethodOverride: true,
  });
  // gzip/brotli for everything compressible (the SPAs' JavaScript, tRPC answers, publications),
  // except evidence files and uploads, which stream as stored (and may be ranged), and
  // publication files, which keep their gzip made once (publication-file.ts).
  const compress = compression({
    threshold: 1024,
    filter: (req, res) =>
      !/^\/(evidence|upload)\//.test(req.url ?? '') &&
      !isPublicationFile(req.url ?? '') &&
      compression.filter(req, res),
  });
  const publicationFile = publicationFiles(options.database.db);
  const server = createServer((req, res) =>
    compress(req as never, res as never, () => {
      // A synchronous throw in a request listener would end the process: answer 500 instead.
      try {
        handle(req, res);
      } catch (err) {
        internalErrorMessage(`${req.method} ${req.url}`, err);
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      }
    }),
  );
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const refusal = crossSiteRefusal(req, allowedOrigins, trustProxy);
    if (refusal) {
      res.statusCode = 403;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      const [field, ...detail] = refusal.split(': ');
      res.end(
        JSON.stringify(
          refusalBody(apiError('FORBIDDEN', field!, 'http.crossSite', { detail: detail.join(': ') })),
        ),
      );
      return;
    }
    /** A genuine server fault: logged under a reference (never sent), then a bare 500. */
    const fail = (err: unknown) => {
      internalErrorMessage(`${req.method} ${url.split('?')[0]}`, err);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    };
    if (url.startsWith('/trpc/')) {
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (req.method !== 'POST' || declared <= MAX_ANONYMOUS_BODY_BYTES) return trpc(req, res);
      // A large or unsized body: only for a caller the server knows.
      const session = readCookie(req.headers.cookie, SESSION_COOKIE);
      const bearer = bearerOf(req);
      Promise.all([
        session ? resolveSession(options.database.db, session, now()) : null,
        bearer ? resolveApiToken(options.database.db, bearer) : null,
      ])
        .then(([user, token]) => {
          if (user || token) return trpc(req, res);
          res.statusCode = 413;
          res.setHeader('content-type', 'application/json; charset=utf-8');
          res.setHeader('connection', 'close');
          res.end(
            JSON.stringify({
              error: {
                code: 'PAYLOAD_TOO_LARGE',
                message: `body: larger than ${MAX_ANONYMOUS_BODY_BYTES} bytes (or of unknown size) without signing in`,
              },
            }),
          );
        })
        .catch(fail);
      return;
    }
    if (url === '/upload/evidence' || url.startsWith('/upload/evidence?')) {
      contextFor(req, res)
        .then((ctx) =>
          handleEvidenceUpload(ctx, req, res, maxEvidenceBytes, options.evidenceQuotaBytesPerDay),
        )
        .catch(fail);
      return;
    }
    if (url.startsWith('/evidence/')) {
      contextFor(req, res)
        .then((ctx) => handleEvidenceDownload(ctx, req, res))
        .catch(fail);
      return;
    }
    if (isDrawBundleFile(url)) {
      contextFor(req, res)
        .then((ctx) => handleDrawBundleFile(ctx, req, res))
        .catch(fail);
      return;
    }
    if (url.startsWith('/beacon/') && beacon?.demo) {
      serveDemoBeacon(beacon, url, now(), res).catch(fail);
      return;
    }
    if (url.startsWith('/upload/import/')) {
      contextFor(req, res)
        .then((ctx) => handleImportUpload(ctx, req, res))
        .catch(() => {
          if (!res.headersSent) res.statusCode = 500;
          res.end();
        });
      return;
    }
    if (isPublicationFile(url)) {
      publicationFile(req, res)
        .then((handled) => {
          if (!handled) {
            res.statusCode = 405;
            res.end();
          }
        })
        .catch(fail);
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && /^\/(open|feed)\//.test(url)) {
      handleOpenData(options.database.db, req, res, { publicUrl })
        .then((handled) => {
          if (!handled) {
            res.statusCode = 404;
            res.end('Not found\n');
          }
        })
        .catch(fail);
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      for (const m of mounts) if ((url + '/').startsWith(m.prefix) && serveStatic(m, url, res)) return;
    }
    res.statusCode = 404;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end('Not found\n');
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new Error(
            `Port ${options.port} on ${host} is already in use. Stop the other process or choose another port with --port (or PORT=…).`,
          ),
        );
      } else reject(err);
    });
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    server,
    beacon,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
