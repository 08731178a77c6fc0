import { createServer, type Server } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { appRouter, createContextInner } from '@spotcheck/api';
import type { Database } from '@spotcheck/db';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  database: Database;
  port: number;
  host?: string;
}

/** A running API server. */
export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Starts the HTTP server: tRPC under /trpc. Fails with one clear line when the port is taken. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: () => createContextInner({ db: options.database.db }),
  });
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/trpc/')) return trpc(req, res);
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
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
