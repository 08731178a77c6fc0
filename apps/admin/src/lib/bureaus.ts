import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTRPC } from '../trpc';

/** Bureau names by code (`bureaus.list` is public and small). */
export function useBureaus() {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.bureaus.list.queryOptions(), staleTime: 10 * 60_000 });
  const names = useMemo(() => new Map((q.data ?? []).map((b) => [b.code, b.name])), [q.data]);
  return {
    list: q.data ?? [],
    name: (code: string | null | undefined) => (code ? (names.get(code) ?? code) : ''),
  };
}
