import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@spotcheck/api';

/** Typed tRPC hooks: `useTRPC()` gives query option factories per procedure. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** Builds the query client; publications are immutable, so results stay fresh for a while. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        retry: (count, err) => {
          const code = (err as { data?: { code?: string } }).data?.code;
          if (code === 'NOT_FOUND' || code === 'BAD_REQUEST') return false;
          return count < 2;
        },
      },
    },
  });
}

/** The tRPC client over HTTP, same origin; the portal never logs in, so no cookies are sent. */
export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: '/trpc',
        maxItems: 50, // the server takes at most 100 calls a batch
        fetch: (url, init) => fetch(url, { ...init, credentials: 'omit' }),
      }),
    ],
  });
}
