import { TRPCError } from '@trpc/server';
import {
  API_ERRORS,
  type ApiErrorCode,
  type ApiErrorParamsArg,
  type ApiErrorReason,
  type EntityKind,
} from '@spotcheck/core';
import { CreateUserError } from '../auth/users';

/** HTTP-ish codes a refusal uses (tRPC error codes). */
export type RefusalCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'PRECONDITION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'METHOD_NOT_SUPPORTED'
  | 'CLIENT_CLOSED_REQUEST';

/**
 * A refusal with its catalogued reason (`@spotcheck/core` api-errors.ts): the message is the
 * English `field: text`; `reason` travels in the response's `data.reason` (trpc.ts errorFormatter).
 */
export class ApiError extends TRPCError {
  readonly reason: ApiErrorReason;
  constructor(code: RefusalCode, reason: ApiErrorReason, cause?: unknown) {
    super({ code, message: `${reason.field}: ${englishOf(reason)}`, cause });
    this.reason = reason;
  }
}

function englishOf(reason: ApiErrorReason): string {
  return (API_ERRORS[reason.code as ApiErrorCode].en as (p: unknown) => string)(reason.params);
}

/** Builds a coded refusal naming the field at fault (`apiError('CONFLICT', 'planId', 'plan.notSubmitted', { status })`). */
export function apiError<C extends ApiErrorCode>(
  code: RefusalCode,
  field: string,
  reason: C,
  ...params: ApiErrorParamsArg<C>
): ApiError {
  return new ApiError(code, { code: reason, field, params: params[0] ?? {} });
}

/** Throws a coded 4xx naming the field at fault: message `field: English text`, reason in `data`. */
export function fail<C extends ApiErrorCode>(
  code: RefusalCode,
  field: string,
  reason: C,
  ...params: ApiErrorParamsArg<C>
): never {
  throw apiError(code, field, reason, ...params);
}

/** The JSON body of a refusal on a plain HTTP route (uploads, evidence): tRPC's code, message, reason. */
export function refusalBody(err: TRPCError): {
  error: { code: string; message: string; reason: ApiErrorReason | null };
} {
  return {
    error: { code: err.code, message: err.message, reason: err instanceof ApiError ? err.reason : null },
  };
}

/** Throws NOT_FOUND for a missing entity addressed by `field`. */
export function notFound(field: string, what: EntityKind, id: string): never {
  return fail('NOT_FOUND', field, 'notFound', { entity: what, id });
}

/** The PostgreSQL error inside drizzle's wrappers, if any. */
export function pgErrorOf(
  err: unknown,
): { code?: string; detail?: string; constraint?: string; column?: string; message?: string } | null {
  for (
    let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0;
    e && i < 5;
    e = e.cause as typeof e, i++
  ) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e as never;
  }
  return null;
}

/** Whether an error came from the database (drizzle's wrapper or a PostgreSQL error in its causes). */
export function isDatabaseError(err: unknown): boolean {
  for (
    let e = err as { name?: unknown; message?: unknown; cause?: unknown } | undefined, i = 0;
    e && i < 5;
    i++
  ) {
    if (pgErrorOf(e)) return true;
    if (
      e.name === 'DrizzleQueryError' ||
      (typeof e.message === 'string' && e.message.startsWith('Failed query'))
    )
      return true;
    e = e.cause as typeof e;
  }
  return false;
}

let internalErrorSeq = 0;

/**
 * Logs a genuine server fault (its message may hold SQL and parameters) and returns what the
 * client may see instead: a reference to the log line, nothing more.
 */
export function internalErrorMessage(where: string, err: unknown): string {
  return internalError(where, err).message;
}

/** Logs a server fault under a new reference: the reference and the sentence the client gets. */
export function internalError(where: string, err: unknown): { ref: string; message: string } {
  const ref = `E${Date.now().toString(36)}${(++internalErrorSeq).toString(36)}`;
  console.error(`[${ref}] ${where}:`, err);
  return { ref, message: `internal error (reference ${ref}); the server log has the details` };
}

/** Maps database and domain errors to 4xx tRPC errors; null when it is a genuine server fault. */
export function toClientError(err: unknown): TRPCError | null {
  if (err instanceof CreateUserError) return new ApiError('BAD_REQUEST', err.reason, err);
  const pgErr = pgErrorOf(err);
  if (!pgErr) return null;
  const where = pgErr.constraint ?? pgErr.column ?? 'input';
  switch (pgErr.code) {
    case '23505':
      return apiError('CONFLICT', where, 'db.duplicate', { detail: pgErr.detail ?? 'duplicate' });
    case '23503':
      return apiError('BAD_REQUEST', where, 'db.missingReference', { detail: pgErr.detail ?? '' });
    case '22021': // character not in repertoire (NUL)
    case '22P05': // untranslatable character
    case '22003': // numeric out of range
    case '54001': // statement too complex
    case '23502':
    case '23514':
    case '22P02':
    case '22007':
    case '22008':
    case '22001':
      return apiError('BAD_REQUEST', where, 'db.invalidValue', {
        detail: (pgErr.message ?? 'invalid value').split('\n')[0]!.slice(0, 200),
      });
    case '40001':
    case '40P01':
      return apiError('CONFLICT', 'concurrent change', 'db.concurrentChange');
    default:
      return null;
  }
}
