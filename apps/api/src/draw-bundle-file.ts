import type { IncomingMessage, ServerResponse } from 'node:http';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import { apiError, drawBundleFile, refusalBody, type Context } from '@spotcheck/api';

/** The path of a draw's bundle file: `/draws/<uuid>/bundle.json`. */
const BUNDLE_PATH = /^\/draws\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/bundle\.json$/;

/** Whether a request is for a draw's bundle file. */
export function isDrawBundleFile(url: string): boolean {
  return BUNDLE_PATH.test(url.split('?')[0] ?? '');
}

function refuse(res: ServerResponse, status: number, err: TRPCError) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(refusalBody(err)));
}

/**
 * `GET /draws/<id>/bundle.json` (signed-in staff of the draw's bureau; sealed covert plans
 * refused): a drawn attempt's bundle for `spotcheck verify` ({@link drawBundleFile}), as the JSON
 * text PostgreSQL writes of the row, read as bytes (a city draw's ~10^8 bytes are not parsed,
 * serialised or held as a string by the server; the compression middleware gzips it for clients
 * that accept it). Refusals carry the API's coded errors.
 */
export async function handleDrawBundleFile(ctx: Context, req: IncomingMessage, res: ServerResponse) {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return refuse(res, 405, apiError('METHOD_NOT_SUPPORTED', 'method', 'http.method', { method: 'GET' }));
  const id = BUNDLE_PATH.exec((req.url ?? '').split('?')[0] ?? '')![1]!;
  let parts: Uint8Array[];
  try {
    parts = await drawBundleFile(ctx, id);
  } catch (err) {
    if (err instanceof TRPCError) return refuse(res, getHTTPStatusCodeFromError(err), err);
    throw err;
  }
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="draw-${id}-bundle.json"`);
  res.setHeader('x-content-type-options', 'nosniff');
  // Staff-only: never kept by a shared cache.
  res.setHeader('cache-control', 'private, no-store');
  if (req.method === 'HEAD') {
    res.setHeader('content-length', String(parts.reduce((n, p) => n + p.byteLength, 0)));
    return void res.end();
  }
  // Written part by part: the bundle's bytes as PostgreSQL wrote them, never joined into one copy.
  for (const part of parts) res.write(part);
  res.end();
}
