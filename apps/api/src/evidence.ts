import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import { evidenceUploads } from '@spotcheck/db';
import {
  accessFor,
  apiError,
  refusalBody,
  appendAudit,
  EmptyEvidenceError,
  hasControlCharacter,
  EVIDENCE_QUOTA_BYTES_PER_DAY,
  evidenceForDownload,
  EvidenceTooLargeError,
  evidenceQuotaCharge,
  holdEvidenceQuota,
  internalError,
  releaseEvidenceQuota,
  storeEvidence,
  type Context,
  type EvidenceQuotaHold,
} from '@spotcheck/api';

function send(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}
/** Sends a coded refusal (`{ error: { code, message, reason } }`, as tRPC errors carry it). */
const error = (res: ServerResponse, status: number, err: TRPCError) => send(res, status, refusalBody(err));

/** Roles that record results, and so upload their evidence. */
const UPLOADERS = ['inspector', 'district-admin', 'city-admin'] as const;

/**
 * POST /upload/evidence?name=<file name> with the raw file as the body and its media type as
 * `Content-Type` (session cookie required; inspectors and admins). The file is stored once
 * under its SHA-256; the answer `{sha256, size, mime, name}` goes as is into a finding's
 * `evidence` in `results.record`. Bodies over `limit` bytes get 413 and nothing is kept.
 */
export async function handleEvidenceUpload(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  quotaBytesPerDay = EVIDENCE_QUOTA_BYTES_PER_DAY,
): Promise<void> {
  if (req.method !== 'POST')
    return error(res, 405, apiError('METHOD_NOT_SUPPORTED', 'method', 'http.method', { method: 'POST' }));
  if (!ctx.user) return error(res, 401, apiError('UNAUTHORIZED', 'session', 'auth.signInFirst'));
  const access = accessFor(ctx.user, UPLOADERS);
  if (access.scope !== 'all' && access.scope.length === 0)
    return error(res, 403, apiError('FORBIDDEN', 'role', 'access.role', { roles: [...UPLOADERS] }));
  const url = new URL(req.url ?? '/', 'http://localhost');
  const name = (url.searchParams.get('name') ?? '').trim().split(/[\\/]/).pop() ?? '';
  if (!name || name.length > 255)
    return error(res, 400, apiError('BAD_REQUEST', 'name', 'evidence.nameRequired'));
  if (hasControlCharacter(name))
    return error(res, 400, apiError('BAD_REQUEST', 'name', 'evidence.nameControlChars'));
  if (req.headers['content-length'] === '0')
    return error(res, 400, apiError('BAD_REQUEST', 'file', 'evidence.empty'));
  // Per-user quota: what is left of the day's allowance bounds this upload. Uploads in flight
  // hold what they may count (rows, so on every API process), so parallel requests cannot each
  // spend the whole allowance.
  const user = ctx.user;
  const declared = Number(req.headers['content-length'] ?? 0);
  const want = evidenceQuotaCharge(Math.min(declared || limit, limit));
  const hold = await holdEvidenceQuota(ctx.db, user, quotaBytesPerDay, want, ctx.now());
  try {
    await receiveEvidence({ ...ctx, user }, req, res, limit, quotaBytesPerDay, hold, name);
  } finally {
    // Given back with the upload's record when it succeeded (then `hold.id` is null); here after a
    // refusal or a failure. A hold that cannot be given back now expires on its own within the
    // hour, so its error is logged and never replaces the upload's own.
    await releaseEvidenceQuota(ctx.db, user.bureauCode, hold).catch((err: unknown) =>
      internalError('evidence quota release', err),
    );
  }
}

async function receiveEvidence(
  ctx: Context & { user: NonNullable<Context['user']> },
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  quotaBytesPerDay: number,
  hold: EvidenceQuotaHold,
  name: string,
): Promise<void> {
  const { left } = hold;
  // A refusal gives the hold back before it answers: a client that tries again at once must not be
  // refused by what its refused upload still held (the handler's `finally` came after the answer).
  const refuse = async (status: number, err: TRPCError, close = true) => {
    await releaseEvidenceQuota(ctx.db, ctx.user.bureauCode, hold).catch((e: unknown) =>
      internalError('evidence quota release', e),
    );
    if (close) res.setHeader('connection', 'close');
    return error(res, status, err);
  };
  const overQuota = () =>
    refuse(429, apiError('TOO_MANY_REQUESTS', 'file', 'evidence.quota', { bytes: quotaBytesPerDay }));
  // Even a body without Content-Length counts at least a block: it needs that much left.
  if (left < evidenceQuotaCharge(Number(req.headers['content-length'] ?? 0))) return overQuota();
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const mime = /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : 'application/octet-stream';
  if (Number(req.headers['content-length'] ?? 0) > limit)
    return refuse(413, apiError('PAYLOAD_TOO_LARGE', 'file', 'file.largerThan', { bytes: limit }));
  let stored: { sha256: string; size: number };
  try {
    // At most what this upload holds: never what is left for others in flight.
    stored = await storeEvidence(ctx.evidenceDir, req, Math.min(limit, hold.bytes));
  } catch (err) {
    if (err instanceof EmptyEvidenceError)
      return refuse(400, apiError('BAD_REQUEST', 'file', 'evidence.empty'), false);
    // A body without Content-Length that ran past what is left of the quota, under the upload limit.
    if (err instanceof EvidenceTooLargeError && err.limit < limit) return overQuota();
    if (err instanceof EvidenceTooLargeError)
      return refuse(413, apiError('PAYLOAD_TOO_LARGE', 'file', 'file.largerThan', { bytes: err.limit }));
    // The client went away mid-body (or Node's requestTimeout ended it): no one to answer and no
    // fault of the server's. Nothing was kept; the handler's `finally` gives the hold back.
    if (!req.complete && (err as NodeJS.ErrnoException).code === 'ECONNRESET') return;
    throw err;
  }
  const user = ctx.user;
  await ctx.db.transaction(async (tx) => {
    await releaseEvidenceQuota(tx, user.bureauCode, hold);
    await tx.insert(evidenceUploads).values({
      sha256: stored.sha256,
      size: stored.size,
      mime,
      name,
      uploadedBy: user.id,
      bureauCode: user.bureauCode,
      uploadedAt: ctx.now(),
    });
    await appendAudit(
      tx,
      {
        actorUserId: user.id,
        actorRole: user.roles.find((g) => (UPLOADERS as readonly string[]).includes(g.role))?.role ?? null,
        bureauCode: user.bureauCode,
        action: 'evidence.upload',
        entity: 'evidence',
        entityId: stored.sha256,
        after: { ...stored, mime, name },
      },
      ctx.now(),
    );
  });
  hold.id = null; // given back with the record, which is committed
  send(res, 200, { sha256: stored.sha256, size: stored.size, mime, name });
}

/**
 * GET /evidence/<resultId>/<sha256>: an evidence file of a result, for users who may see the
 * result (bureau, team, covert sealing as in `results.get`). Sent as an attachment.
 */
export async function handleEvidenceDownload(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return error(res, 405, apiError('METHOD_NOT_SUPPORTED', 'method', 'http.method', { method: 'GET' }));
  if (!ctx.user) return error(res, 401, apiError('UNAUTHORIZED', 'session', 'auth.signInFirst'));
  const m = /^\/evidence\/([0-9a-fA-F-]{36})\/([0-9a-f]{64})$/.exec(
    new URL(req.url ?? '/', 'http://x').pathname,
  );
  if (!m) return error(res, 400, apiError('BAD_REQUEST', 'path', 'evidence.path'));
  let file: Awaited<ReturnType<typeof evidenceForDownload>>;
  try {
    file = await evidenceForDownload(
      { db: ctx.db, user: ctx.user, evidenceDir: ctx.evidenceDir },
      m[1]!,
      m[2]!,
    );
  } catch (err) {
    if (err instanceof TRPCError) return error(res, getHTTPStatusCodeFromError(err), err);
    throw err;
  }
  const size = await stat(file.path).then(
    (s) => s.size,
    () => null,
  );
  if (size === null) return error(res, 404, apiError('NOT_FOUND', 'sha256', 'evidence.missingFromStore'));
  res.statusCode = 200;
  res.setHeader('content-type', file.mime);
  res.setHeader('content-length', String(size));
  res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('cache-control', 'private, max-age=3600');
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file.path).pipe(res);
}
