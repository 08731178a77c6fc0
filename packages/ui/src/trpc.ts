import { QueryClient, useQuery } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, splitLink, type TRPCLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useMemo } from 'react';
import type { AppRouter } from '@spotcheck/api';

/** Typed tRPC hooks: `useTRPC()` gives query and mutation option factories per procedure. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** How an app's queries behave. */
export interface QueryClientOptions {
  /** How long a result counts as fresh, in milliseconds. */
  staleTime: number;
  /** tRPC error codes a query does not retry: the answer will not change on a second ask. */
  final: readonly string[];
}

/** Builds the query client: no refetch on window focus, two retries unless the error is final. */
export function makeQueryClient({ staleTime, final }: QueryClientOptions): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime,
        refetchOnWindowFocus: false,
        retry: (count, err) => {
          const code = (err as { data?: { code?: string } }).data?.code;
          return !(code && final.includes(code)) && count < 2;
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

/** How an app's tRPC client talks to the server. */
export interface TrpcClientOptions {
  /** `same-origin` sends the session cookie (staff); `omit` sends none (the public portal). */
  credentials: 'same-origin' | 'omit';
  /** Send queries whose input is too large for a URL as POST (the server allows the override). */
  largeQueriesAsPost: boolean;
}

/**
 * The tRPC client over HTTP to `/trpc` on the same origin, batched up to 50 calls (the server
 * takes at most 100) and a URL length proxies accept. Queries with large inputs (a whole rule
 * pack to validate) can go as POST; small ones stay GET.
 */
export function makeTrpcClient({ credentials, largeQueriesAsPost }: TrpcClientOptions) {
  const fetchWith: typeof fetch = (url, init) => fetch(url, { ...init, credentials });
  const batched = httpBatchLink<AppRouter>({
    url: '/trpc',
    maxURLLength: 4000,
    maxItems: 50,
    fetch: fetchWith,
  });
  const link: TRPCLink<AppRouter> = largeQueriesAsPost
    ? splitLink({
        condition: (op) => op.type === 'query' && needsPostBody(op.input),
        true: httpBatchLink({ url: '/trpc', methodOverride: 'POST', maxItems: 50, fetch: fetchWith }),
        false: batched,
      })
    : batched;
  return createTRPCClient<AppRouter>({ links: [link] });
}

/** Bureaus (city first, then districts by code) and their names; `bureaus.list` is public and small. */
export function useBureaus() {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.bureaus.list.queryOptions(), staleTime: 10 * 60_000 });
  const names = useMemo(() => new Map((q.data ?? []).map((b) => [b.code, b.name])), [q.data]);
  return {
    list: q.data ?? [],
    name: (code: string | null | undefined) => (code ? (names.get(code) ?? code) : ''),
  };
}
