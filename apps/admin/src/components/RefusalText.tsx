import type { ApiErrorLang } from '@spotcheck/core';
import { errorMessage } from '../lib/errors';

/**
 * A server refusal in the reader's language. Its own module so that a page on the first-load
 * budget (the login) loads the refusal catalogue only once a refusal is there to show.
 */
export default function RefusalText({ error, lang }: { error: unknown; lang: ApiErrorLang }) {
  return <>{errorMessage(error, lang)}</>;
}
