import {
  witnessesOf,
  verifyCommitmentInclusion,
  verifyPublicationInclusion,
  type LogInclusion,
  type WitnessKey,
} from '@spotcheck/core/log';

/** What `transparency.inclusion` returns. */
export interface InclusionResponse {
  inclusion: LogInclusion | null;
  pending: boolean;
}

/** How a publication stands in the transparency log, as checked in this browser. */
export interface InclusionStatus {
  status: 'verified' | 'pending' | 'failed';
  /** Checkpoint time (whole seconds, `Z`) when verified. */
  time?: string;
  leafIndex?: number;
  treeSize?: number;
  rootHash?: string;
  /** Trusted witnesses whose co-signatures of that checkpoint are valid. */
  witnessedBy: WitnessKey[];
  /** Whether enough witnesses co-signed (2, independent of the bureau). */
  witnessed: boolean;
  /** Failed because the content shown is not the content the log recorded. */
  changed?: boolean;
  reason?: string;
}

/**
 * Checks a publication's inclusion proof against the checkpoint it comes with: the leaf names this
 * publication with this content digest, the audit path leads to the signed root, and which trusted
 * witnesses co-signed. Pure: runs in the browser with the same code as the CLI.
 */
export function checkPublicationInclusion(
  res: InclusionResponse,
  publication: { id: string; digest: string },
  witnesses: readonly WitnessKey[],
  /** `digestOf` the content shown, computed by the reader (never the server's word for it). */
  contentDigest?: string,
): InclusionStatus {
  if (!res.inclusion) return { status: 'pending', witnessedBy: [], witnessed: false };
  const inc = res.inclusion;
  const r = verifyPublicationInclusion(inc, { witnesses, minWitnesses: 0 });
  if (!r.ok) return { status: 'failed', witnessedBy: [], witnessed: false, reason: r.reason };
  if (inc.leaf.publicationId !== publication.id || inc.leaf.contentDigest !== publication.digest) {
    return {
      status: 'failed',
      witnessedBy: [],
      witnessed: false,
      reason: 'the logged leaf names another publication or content',
    };
  }
  // The content shown, not only the digest the server states beside it: an edit of the content
  // behind the log's back (the digest left as it was) is what this proof is there to show.
  if (contentDigest !== undefined && contentDigest !== inc.leaf.contentDigest)
    return {
      status: 'failed',
      witnessedBy: [],
      witnessed: false,
      changed: true,
      reason: 'the content shown differs from the content the log recorded (its digest differs)',
    };
  const witnessedBy = r.witnesses ?? [];
  return {
    status: 'verified',
    time: r.time,
    leafIndex: inc.leafIndex,
    treeSize: inc.checkpoint.size,
    rootHash: inc.checkpoint.rootHash,
    witnessedBy,
    witnessed: witnessedBy.length >= 2,
  };
}

/** Whether a draw's commitment was proven public before its randomness (SPEC §9.1). */
export interface CommitmentTimeStatus {
  /** proven: in a witnessed checkpoint dated before the first source; refused: not so. */
  status: 'proven' | 'refused';
  /** The witnessed checkpoint time, when the commitment is in one. */
  time?: string;
  /** The trusted witnesses who co-signed that checkpoint, when proven. */
  witnessedBy?: WitnessKey[];
  reason?: string;
}

/**
 * The commitment-time rule of sr-draw/v2 §9.1 for the portal: the commitment counts as published
 * first only when its leaf is in a checkpoint co-signed by two trusted witnesses and that
 * checkpoint is dated before `firstSourceTime` (ISO). Anything else is refused, with the reason.
 * For v2-portal: call with `transparency.inclusion({publicationId, checkpoint: 'first-witnessed'})`.
 */
export function commitmentTimeCheck(
  res: InclusionResponse | null | undefined,
  commitmentDigest: string,
  witnesses: readonly WitnessKey[],
  firstSourceTime: string,
): CommitmentTimeStatus {
  if (!res?.inclusion) return { status: 'refused', reason: 'not-witnessed' };
  const r = verifyCommitmentInclusion(res.inclusion, commitmentDigest, witnesses);
  if (!r.ok || !r.time) return { status: 'refused', reason: r.reason ?? 'not-witnessed' };
  const source = Date.parse(firstSourceTime);
  if (!Number.isFinite(source)) return { status: 'refused', time: r.time, reason: 'no-source-time' };
  if (Date.parse(r.time) >= source) return { status: 'refused', time: r.time, reason: 'too-late' };
  return { status: 'proven', time: r.time, witnessedBy: witnessesOf(res.inclusion.checkpoint, witnesses) };
}
