/** The message of a tRPC or network error, as the API phrases it (`field: problem`). */
export function errorMessage(err: unknown): string {
  if (!err) return '';
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The tRPC error code of an error, if any (`UNAUTHORIZED`, `FORBIDDEN`…). */
export function errorCode(err: unknown): string | undefined {
  return (err as { data?: { code?: string } } | null)?.data?.code;
}
