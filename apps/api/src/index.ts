import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import {
  appRouter,
  createContextInner,
  evidenceDirFromEnv,
  MAX_EVIDENCE_BYTES,
  readCookie,
  SESSION_COOKIE,
} from '@spotcheck/api';
import { projectRoot, type Database } from '@spotcheck/db';
import { handleEvidenceDownload, handleEvidenceUpload } from './evidence';
import { handleOpenData } from './open-data';
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
  /** Set the cookie `Secure` flag (behind HTTPS). Default: `SPOTCHECK_SECURE_COOKIES=1`. */
  secureCookies?: boolean;
  /** Trust `X-Forwarded-For` for the client address (behind a reverse proxy). */
  trustProxy?: boolean;
  /** Server clock (tests). */
  now?: () => Date;
  /** Evidence store; default `SPOTCHECK_EVIDENCE_DIR`, else beside the PGlite folder, else `.data/evidence`. */
  evidenceDir?: string;
  /** Largest evidence upload in bytes (default 25 MiB). */
  maxEvidenceBytes?: number;
}

/** A running API server. */
export interface RunningServer {
  url: string;
  server: Server;
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

/** The client address of a request. */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string | null {
  if (trustProxy) {
    const fwd = req.headers['x-forwarded-for'];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? null;
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
  const secureCookies = options.secureCookies ?? process.env.SPOTCHECK_SECURE_COOKIES === '1';
  const trustProxy = options.trustProxy ?? false;
  const evidenceDir = options.evidenceDir ?? evidenceDirFromEnv();
  const maxEvidenceBytes = options.maxEvidenceBytes ?? MAX_EVIDENCE_BYTES;
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
      evidenceDir,
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
    if (url.startsWith('/trpc/')) return trpc(req, res);
    const fail = () => {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    };
    if (url === '/upload/evidence' || url.startsWith('/upload/evidence?')) {
      contextFor(req, res)
        .then((ctx) => handleEvidenceUpload(ctx, req, res, maxEvidenceBytes))
        .catch(fail);
      return;
    }
    if (url.startsWith('/evidence/')) {
      contextFor(req, res)
        .then((ctx) => handleEvidenceDownload(ctx, req, res))
        .catch(fail);
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
    if ((req.method === 'GET' || req.method === 'HEAD') && /^\/(open|feed)\//.test(url)) {
      handleOpenData(options.database.db, req, res)
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
  return {
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
