import { TRPCError } from '@trpc/server';
import { CreateUserError } from '../auth/users';

/** Throws a 4xx naming the field at fault: `field: message`. */
export function fail(
  code: 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'PRECONDITION_FAILED',
  field: string,
  message: string,
): never {
  throw new TRPCError({ code, message: `${field}: ${message}` });
}

/** Throws NOT_FOUND for a missing entity addressed by `field`. */
export function notFound(field: string, what: string, id: string): never {
  return fail('NOT_FOUND', field, `no ${what} ${id}`);
}

/** The PostgreSQL error inside drizzle's wrappers, if any. */
function pgErrorOf(
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

/** Maps database and domain errors to 4xx tRPC errors; null when it is a genuine server fault. */
export function toClientError(err: unknown): TRPCError | null {
  if (err instanceof CreateUserError)
    return new TRPCError({ code: 'BAD_REQUEST', message: err.message, cause: err });
  const pgErr = pgErrorOf(err);
  if (!pgErr) return null;
  const where = pgErr.constraint ?? pgErr.column ?? 'input';
  switch (pgErr.code) {
    case '23505':
      return new TRPCError({
        code: 'CONFLICT',
        message: `${where}: already exists (${pgErr.detail ?? 'duplicate'})`,
      });
    case '23503':
      return new TRPCError({
        code: 'BAD_REQUEST',
        message: `${where}: refers to something that does not exist (${pgErr.detail ?? ''})`,
      });
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
      return new TRPCError({
        code: 'BAD_REQUEST',
        message: `${where}: ${(pgErr.message ?? 'invalid value').split('\n')[0]!.slice(0, 200)}`,
      });
    case '40001':
    case '40P01':
      return new TRPCError({
        code: 'CONFLICT',
        message: 'concurrent change: another request changed the same data; retry',
      });
    default:
      return null;
  }
}
