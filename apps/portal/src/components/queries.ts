import { useQuery } from '@tanstack/react-query';
import type { AppRouter } from '@spotcheck/api';
import type { inferRouterOutputs } from '@trpc/server';
import { useBureau } from '../bureau';
import { useI18n } from '../i18n';
import type { PublicationKind } from '../lib/publications';
import { useTRPC } from '@spotcheck/ui/trpc';

/** A publication in full, as `publications.get` returns it. */
export type PublicationRecord = inferRouterOutputs<AppRouter>['publications']['get'];

/**
 * One publication in full (no request while `id` is empty), from its immutable file
 * `/open/publication/<id>.json`: gzip made once on the server and cached by the browser, so a
 * city-scale draw bundle is not serialised again for every reader.
 */
export function usePublication(id: string) {
  const { t } = useI18n();
  return useQuery({
    queryKey: ['publication-file', id],
    queryFn: async (): Promise<PublicationRecord> => {
      const res = await fetch(`/open/publication/${encodeURIComponent(id)}.json`);
      if (!res.ok) throw new Error(res.status === 404 ? t('common.notPublished') : t('common.loadFailed'));
      return (await res.json()) as PublicationRecord;
    },
    staleTime: Infinity,
    enabled: id !== '',
  });
}

/** Publications of a kind for the chosen bureau, newest first. */
export function usePublications(
  kind: PublicationKind | 'blacklist-removal' | 'supervision' | 'supervision-closed',
  limit = 200,
  bureauCode?: string,
) {
  const trpc = useTRPC();
  const { code } = useBureau();
  return useQuery(
    trpc.publications.list.queryOptions({ bureauCode: bureauCode ?? code, kind, limit, offset: 0 }),
  );
}
