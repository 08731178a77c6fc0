import { describeRefusal, type ApiErrorLang, type ApiErrorReason } from '@spotcheck/core';

/** What a server refusal carries besides its message (tRPC's `error.data`, or an upload route's JSON). */
interface RefusalData {
  code?: string;
  reason?: ApiErrorReason | null;
}

/** A refusal of a plain HTTP route (uploads, evidence), shaped like a tRPC client error (`data`). */
export class RefusalError extends Error {
  constructor(
    message: string,
    readonly data: RefusalData,
  ) {
    super(message);
    this.name = 'RefusalError';
  }
}

/** The refusal in an upload route's JSON body (`{ error: { code, message, reason } }`), else an HTTP status error. */
export function refusalOf(body: unknown, status: number): RefusalError {
  const e = (body as { error?: { code?: string; message?: string; reason?: ApiErrorReason | null } } | null)
    ?.error;
  return new RefusalError(e?.message ?? `HTTP ${status}`, {
    code: e?.code ?? httpCode(status),
    reason: e?.reason,
  });
}

const httpCode = (status: number): string =>
  ({
    400: 'BAD_REQUEST',
    401: 'UNAUTHORIZED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    429: 'TOO_MANY_REQUESTS',
  })[status] ?? 'INTERNAL_SERVER_ERROR';

/**
 * The message of a tRPC, upload or network error in `lang`: a server refusal by its catalogued
 * code (`data.reason`, `@spotcheck/core` api-errors.ts) with its params; an uncatalogued one as a
 * generic sentence with its reference. A Chinese page never shows the server's English message.
 */
export function errorMessage(err: unknown, lang: ApiErrorLang): string {
  return describeRefusal(err, lang);
}

/** The tRPC error code of an error, if any (`UNAUTHORIZED`, `FORBIDDEN`…). */
export function errorCode(err: unknown): string | undefined {
  return (err as { data?: { code?: string } } | null)?.data?.code;
}

/** The catalogued reason code of a server refusal, if any (`witness.nameTaken`…). */
export function reasonCode(err: unknown): string | undefined {
  return (err as { data?: RefusalData | null } | null)?.data?.reason?.code;
}
