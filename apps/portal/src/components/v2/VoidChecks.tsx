import { useMemo } from 'react';
import { ChecksCard } from './ChecksCard';
import { useDrawLogProof } from './logProof';
import { usePublishedRegistry } from './registry';

/** What a published sr-draw/v2 void carries for its check (`publishVoid` on the server). */
export interface VoidPublicationForCheck {
  bundle: { commitment: { plan: { bureau: string } } };
  registry?: unknown;
  registryInclusion?: unknown;
  registryHistory?: unknown;
}

/**
 * Verifies a voided attempt in the browser, as a draw is: its inputs and digests, its commitment
 * time from the public log, its randomness and result when they existed, and the signed void
 * against the bureau's key registry (a second official, a key logged before it signed, and valid
 * when the void's publication was in a witnessed checkpoint).
 */
export function VoidChecks({
  drawId,
  publicationId,
  content,
}: {
  drawId: string;
  /** The void's publication: its log time is the void signature's (§9.7). */
  publicationId: string;
  content: VoidPublicationForCheck;
}) {
  const bureau = content.bundle.commitment.plan.bureau;
  const latest = usePublishedRegistry(bureau);
  const publication = useMemo(
    () => ({ id: publicationId, content, of: 'void' as const }),
    [publicationId, content],
  );
  const proof = useDrawLogProof(
    drawId,
    content.bundle,
    content.registry,
    content.registryInclusion,
    latest,
    content.registryHistory,
    publication,
  );
  return (
    <ChecksCard
      bundle={proof.bundle}
      registry={proof.registry.document}
      registryState={proof.loading ? 'loading' : proof.registry.state}
      bureauCode={bureau}
      log={proof.log}
    />
  );
}
