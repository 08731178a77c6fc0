import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import {
  appRouter,
  assertProductionSecrets,
  startAuditCheckpoints,
  beaconFromEnv,
  type Beacon,
  createContextInner,
  isProduction,
  keySecretFromEnv,
  evidenceDirFromEnv,
  MAX_EVIDENCE_BYTES,
  readCookie,
  SESSION_COOKIE,
} from '@spotcheck/api';
import { projectRoot, type Database } from '@spotcheck/db';
import { handleEvidenceDownload, handleEvidenceUpload } from './evidence';
import { handleImportUpload } from './upload';

/** A folder of built static files served under a URL prefix (a single-page app). */
export interface StaticMount {
  /** URL prefix, e.g. `/admin/` or `/`. */
  prefix: string;
  /** Folder holding `index.html` and assets. */
  dir: string;
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
  /** Trust `X-Forwarded-For`/`-Proto` (behind a reverse proxy). Default `SPOTCHECK_TRUST_PROXY=1`. */
  trustProxy?: boolean;
  /** Production mode (no stack traces, secrets required). Default: `NODE_ENV=production` or `SPOTCHECK_PRODUCTION=1`. */
  production?: boolean;
  /** Other origins allowed to send state-changing requests. Default `SPOTCHECK_ALLOWED_ORIGINS` (comma-separated). */
  allowedOrigins?: string[];
  /** Secret encrypting signing keys; default `SPOTCHECK_KEY_SECRET`. */
  keySecret?: string;
  /** Publish a signed audit checkpoint this often (ms); 0 (the default here) turns it off. `spotcheck start` uses 10 minutes. */
  auditCheckpointIntervalMs?: number;
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
    { prefix: '/', dir: resolve(projectRoot, 'apps/portal/dist') },
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
  const rel = decodeURIComponent(urlPath.slice(mount.prefix.length).split('?')[0] ?? '');
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

/** The client address of a request. */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string | null {
  if (trustProxy) {
    const fwd = req.headers['x-forwarded-for'];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
    if (first) return first;
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
  trustProxy: boolean,
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
  const keySecret = options.keySecret ?? keySecretFromEnv();
  const envSecure = process.env.SPOTCHECK_SECURE_COOKIES;
  const secureCookies =
    options.secureCookies ??
    (envSecure === '1' || envSecure === '0' ? envSecure === '1' : production || !isLoopbackHost(host));
  const trustProxy = options.trustProxy ?? process.env.SPOTCHECK_TRUST_PROXY === '1';
  const allowedOrigins = new Set(
    options.allowedOrigins ??
      (process.env.SPOTCHECK_ALLOWED_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
  );
  const evidenceDir = options.evidenceDir ?? evidenceDirFromEnv();
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
    // Queries with large inputs (rulePacks.validate of a whole pack) do not fit in a URL: the
    // client sends them as POST (`httpBatchLink({ methodOverride: 'POST' })`).
    allowMethodOverride: true,
  });
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const refusal = crossSiteRefusal(req, allowedOrigins, trustProxy);
    if (refusal) {
      res.statusCode = 403;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ error: { code: 'FORBIDDEN', message: refusal } }));
      return;
    }
    if (url.startsWith('/trpc/')) return trpc(req, res);
    const fail = () => {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    };
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
    if (req.method === 'GET' || req.method === 'HEAD') {
      for (const m of mounts) if ((url + '/').startsWith(m.prefix) && serveStatic(m, url, res)) return;
    }
    res.statusCode = 404;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end('Not found\n');
  });
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
  const checkpointEvery = options.auditCheckpointIntervalMs ?? 0;
  const stopCheckpoints =
    checkpointEvery > 0
      ? startAuditCheckpoints(options.database.db, keySecret, checkpointEvery, options.now)
      : () => {};
  return {
    url: `http://${host}:${port}`,
    server,
    beacon,
    close: () =>
      new Promise((resolve) => {
        stopCheckpoints();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
