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
 * The query of one publication in full from its immutable file `/open/publication/<id>.json`:
 * gzip made once on the server and cached by the browser, so a city-scale draw bundle is not
 * serialised again for every reader (`publications.get` refuses one that large). For `useQuery`
 * and `useQueries`; `t` names a failure in the reader's language.
 */
export function publicationFileQuery(id: string, t: ReturnType<typeof useI18n>['t']) {
  return {
    queryKey: ['publication-file', id],
    queryFn: async (): Promise<PublicationRecord> => {
      const res = await fetch(`/open/publication/${encodeURIComponent(id)}.json`);
      if (!res.ok) throw new Error(res.status === 404 ? t('common.notPublished') : t('common.loadFailed'));
      return (await res.json()) as PublicationRecord;
    },
    staleTime: Infinity,
  };
}

/** One publication in full from its file (no request while `id` is empty). */
export function usePublication(id: string) {
  const { t } = useI18n();
  return useQuery({ ...publicationFileQuery(id, t), enabled: id !== '' });
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
