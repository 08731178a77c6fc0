import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
import {
  accessFor,
  apiError,
  internalError,
  isDatabaseError,
  refusalBody,
  toClientError,
  runImport,
  TRANSFER_FORMATS,
  TRANSFER_KINDS,
  type Context,
  type TransferFormat,
  type TransferKind,
} from '@spotcheck/api';

/** Largest upload accepted by the streaming route. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/**
 * POST /upload/import/:kind?format=xlsx|csv[&versionId=…] with the raw file as the body.
 * Large files stream straight from the socket into the row reader; the response is NDJSON:
 * `{"type":"progress","phase":"reading","rows":1000}` lines, then `{"type":"report",…}`.
 * (The SPA sends small files as base64 through `transfer.import`; tRPC cannot stream progress.)
 */
export async function handleImportUpload(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const kind = url.pathname.slice('/upload/import/'.length) as TransferKind;
  const format = (url.searchParams.get('format') ?? '') as TransferFormat;
  if (req.method !== 'POST')
    return send(
      res,
      405,
      refusalBody(apiError('METHOD_NOT_SUPPORTED', 'method', 'http.method', { method: 'POST' })),
    );
  if (!ctx.user) return send(res, 401, refusalBody(apiError('UNAUTHORIZED', 'session', 'auth.signInFirst')));
  if (!TRANSFER_KINDS.includes(kind))
    return send(
      res,
      400,
      refusalBody(apiError('BAD_REQUEST', 'kind', 'upload.kind', { allowed: [...TRANSFER_KINDS] })),
    );
  if (!TRANSFER_FORMATS.includes(format))
    return send(
      res,
      400,
      refusalBody(apiError('BAD_REQUEST', 'format', 'upload.format', { allowed: [...TRANSFER_FORMATS] })),
    );
  const access = accessFor(ctx.user, ['city-admin', 'district-admin']);
  if (access.scope !== 'all' && access.scope.length === 0)
    return send(res, 403, refusalBody(apiError('FORBIDDEN', 'role', 'upload.adminRequired')));
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_UPLOAD_BYTES)
    return send(
      res,
      413,
      refusalBody(apiError('PAYLOAD_TOO_LARGE', 'file', 'file.largerThan', { bytes: MAX_UPLOAD_BYTES })),
    );

  let received = 0;
  async function* body(): AsyncGenerator<Buffer> {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > MAX_UPLOAD_BYTES)
        throw apiError('PAYLOAD_TOO_LARGE', 'file', 'file.largerThan', { bytes: MAX_UPLOAD_BYTES });
      yield chunk;
    }
  }
  res.statusCode = 200;
  res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  const line = (o: unknown) => res.write(JSON.stringify(o) + '\n');
  // The uploader cancelled or went away before the answer: stop, and write nothing not yet committed.
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  try {
    const report = await runImport(
      { db: ctx.db, now: ctx.now, user: ctx.user, access },
      kind,
      format,
      body(),
      {
        versionId: url.searchParams.get('versionId') ?? undefined,
        onProgress: (p) => line({ type: 'progress', ...p }),
        signal: gone.signal,
      },
    );
    line({ type: 'report', ...report });
  } catch (err) {
    const known = err instanceof TRPCError ? err : toClientError(err);
    if (known) line({ type: 'error', ...refusalBody(known).error });
    else if (isDatabaseError(err)) {
      // A database fault's message holds the SQL and its parameters: the log gets it, not the client.
      const fault = internalError(`upload/import/${kind}`, err);
      line({
        type: 'error',
        code: 'INTERNAL_SERVER_ERROR',
        message: fault.message,
        reason: { code: 'internal', field: 'server', params: { ref: fault.ref } },
      });
    } else
      line({
        type: 'error',
        ...refusalBody(
          apiError('BAD_REQUEST', 'file', 'file.unreadable', {
            format,
            detail: (err as Error).message?.split('\n')[0] ?? 'unknown error',
          }),
        ).error,
      });
  }
  res.end();
}
