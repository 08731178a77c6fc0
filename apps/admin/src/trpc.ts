import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@spotcheck/api';

/** Typed tRPC hooks: `useTRPC()` gives query/mutation option factories per procedure. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** Builds the query client; failed auth is not retried (the login page takes over). */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (count, err) => {
          const code = (err as { data?: { code?: string } }).data?.code;
          if (
            code === 'UNAUTHORIZED' ||
            code === 'FORBIDDEN' ||
            code === 'NOT_FOUND' ||
            code === 'BAD_REQUEST'
          )
            return false;
          return count < 2;
        },
      },
    },
  });
}

/** Inputs longer than this (serialized) go in a POST body, never in the URL (HTTP 431/414). */
const MAX_URL_INPUT = 1500;

/** Whether a query's input is too large for a URL. */
export function needsPostBody(input: unknown): boolean {
  if (input === undefined) return false;
  return encodeURIComponent(JSON.stringify(input)).length > MAX_URL_INPUT;
}

/**
 * The tRPC client over HTTP: same origin, session cookie sent by the browser. Queries with large
 * inputs (a whole rule pack to validate) are sent as POST (the server allows the method override);
 * small queries stay GET, batched up to a URL length proxies accept.
 */
export function makeTrpcClient() {
  const fetchSameOrigin: typeof fetch = (url, init) => fetch(url, { ...init, credentials: 'same-origin' });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'query' && needsPostBody(op.input),
        // The server takes at most 100 calls a batch (MAX_BATCH_SIZE).
        true: httpBatchLink({ url: '/trpc', methodOverride: 'POST', maxItems: 50, fetch: fetchSameOrigin }),
        false: httpBatchLink({ url: '/trpc', maxURLLength: 4000, maxItems: 50, fetch: fetchSameOrigin }),
      }),
    ],
  });
}
