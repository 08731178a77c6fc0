import { sourceTime, type SourceSpecV2 } from '@spotcheck/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { readRegistry, type RegistryKey } from '../../lib/v2';
import type { LogTrust } from '../../lib/verify';
import { useTRPC } from '@spotcheck/ui/trpc';
import { useWitnesses } from '../LogProof';

/** The earliest source time of a commitment (ISO, whole seconds), or undefined when unreadable. */
export function firstSourceTime(sources: readonly unknown[]): string | undefined {
  try {
    const t = Math.min(...sources.map((s) => sourceTime(s as SourceSpecV2)));
    return Number.isFinite(t) ? new Date(t * 1000).toISOString().replace('.000Z', 'Z') : undefined;
  } catch {
    return undefined;
  }
}

interface RegistryView {
  state: 'loading' | 'none' | 'ok' | 'error';
  document?: unknown;
  registry?: { keys: RegistryKey[] };
  /** The publication the registry was read from (the bureau's newest `key-registry`). */
  publication?: { id: string } | null;
}

/** A publication's inclusion in its first witnessed checkpoint (null while none, or without an id). */
function useFirstWitnessed(publicationId: string | undefined) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.transparency.inclusion.queryOptions({
      publicationId: publicationId ?? '',
      checkpoint: 'first-witnessed',
    }),
    enabled: !!publicationId,
  });
}

/**
 * What a v2 draw page verifies with the public log (§9.1, §9.7): the bundle with its commitment's
 * inclusion proof (the one it was published with, else the first witnessed checkpoint the log
 * serves now), the registry (the one in force at signing when its own proof is there, else the
 * newest published; with the earlier versions proving when each key was logged) and the city's
 * witnesses. With the draw's own `publication`, also its log time and the bureau's newest registry
 * (§9.7: the key must be valid when the sign-off was public, whatever registry came with it).
 * `loading` while the proofs are on their way.
 */
export function useDrawLogProof(
  drawId: string,
  published: unknown,
  registryAtSigning: unknown,
  registryInclusion: unknown,
  latest: RegistryView,
  registryHistory?: unknown,
  publication?: { id: string; content: unknown },
) {
  const trpc = useTRPC();
  const inc = useQuery(trpc.transparency.commitmentInclusion.queryOptions({ drawId }));
  const drawInc = useFirstWitnessed(publication?.id);
  const current = latest.state === 'ok' ? latest : null;
  const currentInc = useFirstWitnessed(current?.publication?.id);
  const witnesses = useWitnesses();
  const served = inc.data?.inclusion ?? null;
  const bundle = useMemo(() => {
    const b = published as Record<string, unknown>;
    return b.inclusion !== undefined || !served ? published : { ...b, inclusion: served };
  }, [published, served]);
  const atSigning = useMemo(
    () => (registryInclusion && registryAtSigning ? readRegistry(registryAtSigning) : null),
    [registryAtSigning, registryInclusion],
  );
  const registry: RegistryView = atSigning ? { state: 'ok', ...atSigning } : latest;
  const log = useMemo<LogTrust | undefined>(
    () =>
      witnesses.data
        ? {
            witnesses: witnesses.data.map((w) => ({ name: w.name, label: w.label, publicKey: w.publicKey })),
            ...(atSigning ? { registryInclusion, registryHistory } : {}),
            ...(publication
              ? { publication: { content: publication.content, inclusion: drawInc.data?.inclusion ?? null } }
              : {}),
            ...(publication && current?.document !== undefined
              ? {
                  currentRegistry: {
                    registry: current.document,
                    inclusion: currentInc.data?.inclusion ?? null,
                  },
                }
              : {}),
          }
        : undefined,
    [
      witnesses.data,
      atSigning,
      registryInclusion,
      registryHistory,
      publication,
      drawInc.data,
      current?.document,
      currentInc.data,
    ],
  );
  const pending = (q: { isPending: boolean; error: unknown; fetchStatus: string }) =>
    q.isPending && !q.error && q.fetchStatus !== 'idle';
  const loading =
    pending(inc) ||
    pending(witnesses) ||
    pending(drawInc) ||
    pending(currentInc) ||
    (!!publication && latest.state === 'loading');
  return {
    bundle,
    registry,
    log,
    loading,
    witnesses: log?.witnesses ?? [],
    registryInclusion: atSigning ? registryInclusion : undefined,
    registryHistory: atSigning ? registryHistory : undefined,
  };
}
