import { useQueries, useQuery } from '@tanstack/react-query';
import type { PublicationFull } from '../../lib/v2';
import { useTRPC } from '@spotcheck/ui/trpc';
import { publicationFileQuery } from '../queries';
import { useI18n } from '../../i18n';

/**
 * Every commitment, draw and void publication of a bureau and period, in full: the attempt chain
 * and the ledger of all commitments are computed from what is public, not from what a bundle says.
 */
export function usePeriodPublications(bureauCode: string, period: string) {
  const trpc = useTRPC();
  const { t } = useI18n();
  const enabled = bureauCode !== '' && period !== '';
  const list = (kind: 'commitment' | 'draw' | 'void') =>
    trpc.publications.list.queryOptions({ bureauCode, period, kind, limit: 500, offset: 0 });
  const commitments = useQuery({ ...list('commitment'), enabled });
  const draws = useQuery({ ...list('draw'), enabled });
  const voids = useQuery({ ...list('void'), enabled });
  const headers = [...(commitments.data ?? []), ...(draws.data ?? []), ...(voids.data ?? [])];
  // `combine`'s result is structurally shared: `pubs` keeps its identity until the loaded set changes.
  // From the files, not `publications.get`: a city's draw and commitment are 10^8 bytes.
  const full = useQueries({
    queries: headers.map((h) => publicationFileQuery(h.id, t)),
    combine: (results) => ({
      pending: results.some((q) => q.isPending),
      data: results.map((q) => q.data).filter((d): d is NonNullable<typeof d> => !!d),
    }),
  });
  const ready = !commitments.isPending && !draws.isPending && !voids.isPending && !full.pending;
  const pubs = full.data as unknown as PublicationFull[];
  return {
    ready,
    commitments: pubs.filter((p) => p.kind === 'commitment'),
    outcomes: pubs.filter((p) => p.kind === 'draw' || p.kind === 'void'),
  };
}
