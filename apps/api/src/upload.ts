import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
import {
  accessFor,
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
    return send(res, 405, { error: { code: 'METHOD_NOT_SUPPORTED', message: 'method: use POST' } });
  if (!ctx.user)
    return send(res, 401, { error: { code: 'UNAUTHORIZED', message: 'session: sign in first' } });
  if (!TRANSFER_KINDS.includes(kind))
    return send(res, 400, {
      error: { code: 'BAD_REQUEST', message: `kind: one of ${TRANSFER_KINDS.join(', ')}` },
    });
  if (!TRANSFER_FORMATS.includes(format))
    return send(res, 400, {
      error: { code: 'BAD_REQUEST', message: `format: one of ${TRANSFER_FORMATS.join(', ')}` },
    });
  const access = accessFor(ctx.user, ['city-admin', 'district-admin']);
  if (access.scope !== 'all' && access.scope.length === 0)
    return send(res, 403, {
      error: { code: 'FORBIDDEN', message: 'role: city-admin or district-admin required' },
    });
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_UPLOAD_BYTES)
    return send(res, 413, {
      error: { code: 'PAYLOAD_TOO_LARGE', message: `file: larger than ${MAX_UPLOAD_BYTES} bytes` },
    });

  let received = 0;
  async function* body(): AsyncGenerator<Buffer> {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > MAX_UPLOAD_BYTES)
        throw new TRPCError({
          code: 'PAYLOAD_TOO_LARGE',
          message: `file: larger than ${MAX_UPLOAD_BYTES} bytes`,
        });
      yield chunk;
    }
  }
  res.statusCode = 200;
  res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  const line = (o: unknown) => res.write(JSON.stringify(o) + '\n');
  try {
    const report = await runImport(
      { db: ctx.db, now: ctx.now, user: ctx.user, access },
      kind,
      format,
      body(),
      {
        versionId: url.searchParams.get('versionId') ?? undefined,
        onProgress: (p) => line({ type: 'progress', ...p }),
      },
    );
    line({ type: 'report', ...report });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    line({
      type: 'error',
      code: err instanceof TRPCError ? e.code : 'BAD_REQUEST',
      message:
        err instanceof TRPCError
          ? e.message
          : `file: cannot be read as ${format} (${e.message ?? 'unknown error'})`,
    });
  }
  res.end();
}
