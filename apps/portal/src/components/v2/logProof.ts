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
}

/** A draw's or a void's publication, whose sign-off the page dates by the log (§9.7). */
export interface SignedPublication {
  id: string;
  /** Its content as served (it holds the bundle checked). */
  content: unknown;
  /** Whose signature: the draw's sign-off or the attempt's void. */
  of: 'draw' | 'void';
}

/** The bureau a bundle's plan names (signed into its commitment), if it names one. */
export function planBureauOf(bundle: unknown): string | undefined {
  const bureau = (bundle as { commitment?: { plan?: { bureau?: unknown } } } | null)?.commitment?.plan
    ?.bureau;
  return typeof bureau === 'string' ? bureau : undefined;
}

/**
 * Where the log dates a sign-off (§9.7) and the bureau's newest registry by the log's order: the
 * signature record's inclusion (or, for a draw signed before records, the publication's own leaf
 * with its content), `inclusion` null when the log holds none, undefined while none is witnessed.
 */
function useSignOffLog(
  publication: SignedPublication | undefined,
  drawId: string,
  bureau: string | undefined,
) {
  const trpc = useTRPC();
  const record = useQuery({
    ...trpc.transparency.signOffInclusion.queryOptions({ drawId, of: publication?.of ?? 'draw' }),
    enabled: !!publication,
  });
  // No signature record: the publication's own leaf (NOT_FOUND: the log holds none).
  const own = useQuery({
    ...trpc.transparency.inclusion.queryOptions({
      publicationId: publication?.id ?? '',
      checkpoint: 'first-witnessed',
    }),
    enabled: !!publication && record.data?.publicationId === null,
    retry: false,
  });
  const head = useQuery({
    ...trpc.transparency.registryHead.queryOptions({ bureauCode: bureau ?? '' }),
    enabled: !!publication && !!bureau,
  });
  const signOff = useMemo((): LogTrust['signOff'] => {
    if (!publication || !record.data) return undefined;
    // In the log but in no witnessed checkpoint yet: its log time will be no earlier than now.
    const pending = (inclusion: unknown) =>
      inclusion ? { inclusion } : { inclusion: undefined, pendingAt: new Date().toISOString() };
    if (record.data.publicationId !== null) return pending(record.data.inclusion);
    if (own.error?.data?.code === 'NOT_FOUND') return { inclusion: null, content: publication.content };
    return { ...pending(own.data?.inclusion), content: publication.content };
  }, [publication, record.data, own.data, own.error]);
  const currentRegistry = useMemo((): LogTrust['currentRegistry'] => {
    if (!publication || !head.data) return undefined;
    return {
      registry: head.data.registry ?? null,
      inclusion: head.data.inclusion ?? undefined,
      history: head.data.history,
    };
  }, [publication, head.data]);
  const pending = (q: { isPending: boolean; error: unknown; fetchStatus: string }) =>
    q.isPending && !q.error && q.fetchStatus !== 'idle';
  // A proof the log could not give (the server failing) leaves the check waiting, never passed
  // without it.
  const unavailable = !!record.error || !!head.error || (!!own.error && own.error.data?.code !== 'NOT_FOUND');
  return {
    signOff,
    currentRegistry,
    loading: pending(record) || pending(own) || pending(head) || unavailable,
  };
}

/**
 * What a v2 draw page verifies with the public log (§9.1, §9.7): the bundle with its commitment's
 * inclusion proof (the one it was published with, else the first witnessed checkpoint the log
 * serves now), the registry (the one in force at signing when its own proof is there, else the
 * newest published; with the earlier versions proving when each key was logged) and the city's
 * witnesses. With the draw's (void's) own `publication`, also the sign-off's log time and the
 * bureau's newest registry by the log's order (§9.7: the key must be valid when the sign-off was
 * public, whatever registry came with it).
 * `loading` while the proofs are on their way.
 */
export function useDrawLogProof(
  drawId: string,
  published: unknown,
  registryAtSigning: unknown,
  registryInclusion: unknown,
  latest: RegistryView,
  registryHistory?: unknown,
  publication?: SignedPublication,
) {
  const trpc = useTRPC();
  const inc = useQuery(trpc.transparency.commitmentInclusion.queryOptions({ drawId }));
  const signOffLog = useSignOffLog(publication, drawId, planBureauOf(published));
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
  const { signOff, currentRegistry } = signOffLog;
  const log = useMemo<LogTrust | undefined>(
    () =>
      witnesses.data
        ? {
            witnesses: witnesses.data.map((w) => ({ name: w.name, label: w.label, publicKey: w.publicKey })),
            ...(atSigning ? { registryInclusion, registryHistory } : {}),
            ...(signOff ? { signOff } : {}),
            ...(currentRegistry ? { currentRegistry } : {}),
          }
        : undefined,
    [witnesses.data, atSigning, registryInclusion, registryHistory, signOff, currentRegistry],
  );
  const pending = (q: { isPending: boolean; error: unknown; fetchStatus: string }) =>
    q.isPending && !q.error && q.fetchStatus !== 'idle';
  const loading = pending(inc) || pending(witnesses) || signOffLog.loading;
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
