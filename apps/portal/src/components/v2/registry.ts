import { useQuery } from '@tanstack/react-query';
import { readRegistry } from '../../lib/v2';
import { useTRPC } from '@spotcheck/ui/trpc';
import { usePublication } from '../common';

/** Publication kind of a bureau's key registry (content: the `sr-draw/v2/keys` document). */
export const KEY_REGISTRY_KIND = 'key-registry' as const;

/**
 * The bureau's key registry as the portal publishes it (newest `key-registry` publication), never
 * a key carried by a bundle. `state`: loading, none (nothing published), or ok.
 */
export function usePublishedRegistry(bureauCode: string | undefined) {
  const trpc = useTRPC();
  const list = useQuery({
    ...trpc.publications.list.queryOptions({
      bureauCode,
      kind: KEY_REGISTRY_KIND,
      limit: 50,
      offset: 0,
    }),
    enabled: !!bureauCode,
  });
  const newest = list.data?.[0];
  const full = usePublication(newest?.id ?? '');
  const parsed = full.data ? readRegistry(full.data.content) : null;
  const state: 'loading' | 'none' | 'ok' | 'error' = list.error
    ? 'error'
    : list.isPending || (newest && full.isPending)
      ? 'loading'
      : parsed
        ? 'ok'
        : 'none';
  return { state, history: list.data ?? [], publication: full.data ?? null, ...(parsed ?? {}) };
}
