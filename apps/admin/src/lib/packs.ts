import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useI18n } from '../i18n';
import { useTRPC, useBureaus } from '@spotcheck/ui/trpc';

const CJK = /[\u4e00-\u9fff]/;

/**
 * Names a rule pack (`tianjin/binhai`, optionally with its version) as a Chinese page shows it:
 * by the bureau it belongs to ("滨海新区规则包（1.0.0 版）"), never by its id; English
 * pages keep `id@version`.
 */
export function usePackLabel(): (id: string, version?: string) => string {
  const trpc = useTRPC();
  const { lang } = useI18n();
  const bureaus = useBureaus();
  const list = useQuery({ ...trpc.rulePacks.list.queryOptions(), staleTime: 10 * 60_000 });
  const bureauOf = useMemo(
    () => new Map((list.data ?? []).map((r) => [r.packId, r.bureauCode])),
    [list.data],
  );
  return (id, version) => {
    if (lang === 'en') return version ? `${id}@${version}` : id;
    const name = bureaus.name(bureauOf.get(id));
    const base = CJK.test(name) ? `${name}规则包` : '规则包';
    return version ? `${base}（${version} 版）` : base;
  };
}
