/**
 * Shapes of the sr-draw/v2 publications (the public portal reads these; keep them stable).
 *
 * | kind | refId | content |
 * |---|---|---|
 * | `plan-id` | plan id | {@link PlanIdPublication} — published at approval, before attempt 1's commitment |
 * | `commitment` | draw id | {@link CommitmentPublicationV2} (or {@link SealedCommitmentPublicationV2} for covert plans) |
 * | `draw` | draw id | {@link DrawPublicationV2} — the signed bundle, the registry it was checked against, names |
 * | `void` | draw id | {@link VoidPublicationV2} — the voided attempt's full bundle with randomness and result when they existed (a covert plan's: {@link SealedVoidPublicationV2} until the plan is executed, then the full one replaces it) |
 * | `key-registry` | bureau code | `KeyRegistry` (`sr-draw/v2/keys`), republished on every change |
 *
 * v1 publications (`content.bundle.algorithm === 'sr-draw/v1'`, or a commitment whose
 * `commitment.algorithm` is `sr-draw/v1`) keep their old shapes. Tell the two apart by
 * `content.algorithm` (v2 publications carry it at the top level).
 */
import type {
  CommitmentV2,
  DrawBundleV2,
  ExcludedRow,
  FrameRowV2,
  KeyRegistry,
  PersonRow,
  SealedVoidV2,
  VoidedBundleV2,
} from '@spotcheck/core';
import type { LogInclusion } from '@spotcheck/core/log';
import type { RegistryVersionProof } from '../log/proofs';
import type { RosterChange } from './plans/exclusions';
import { EXCLUDED_REASONS } from './plans/exclusions';
import { VOID_REASONS } from './draw-v2';
import type { PlanRow } from './workflow';

/** Reason ids with their meaning, `[zh, en]`. */
export type ReasonList = Record<string, readonly [string, string]>;

/** `plan-id`: a plan exists and will be drawn; every commitment of it will be public. */
export interface PlanIdPublication {
  algorithm: 'sr-draw/v2';
  plan: { id: string; bureau: string; period: string; kind: string; title: string };
  approvedAt: string;
}

/** `commitment` of an open plan. */
export interface CommitmentPublicationV2 {
  algorithm: 'sr-draw/v2';
  sealed: false;
  commitment: CommitmentV2;
  commitmentDigest: string;
  frame: FrameRowV2[];
  excluded: ExcludedRow[];
  /** Count of excluded units per reason id. */
  excludedByReason: Record<string, number>;
  excludedReasons: ReasonList;
  inspectors: PersonRow[];
  experts: PersonRow[];
  /** Roster changes of the 30 days before the commitment (§9.5), oldest first. */
  rosterChanges: RosterChange[];
  /** True when a drand source is the local demo beacon (show 演示信标 / demo beacon). */
  demoBeacon: boolean;
}

/** `commitment` of a covert plan (R10): only what proves later that the bundle was fixed first. */
export interface SealedCommitmentPublicationV2 {
  algorithm: 'sr-draw/v2';
  sealed: true;
  commitmentDigest: string;
  commitment: Pick<CommitmentV2, 'algorithm' | 'plan' | 'sources' | 'previous' | 'committedAt'>;
  rosterChanges: RosterChange[];
  demoBeacon: boolean;
}

/** Public names of the units and officers a result names (R15–R16 redaction). */
export interface DrawRoster {
  units: Record<string, { name: string; industry: string; bureauCode: string }>;
  inspectors: Record<string, { name: string; certificateNo: string }>;
  experts: Record<string, { name: string }>;
}

/**
 * `draw`: the signed bundle (with its sign-off, and its commitment's `inclusion` in the first
 * witnessed checkpoint when there was one at signing) and the registry it verifies against, with
 * that registry's own log inclusion (§9.7) when witnessed by then.
 */
export interface DrawPublicationV2 {
  algorithm: 'sr-draw/v2';
  bundle: DrawBundleV2;
  registry: KeyRegistry;
  registryInclusion?: LogInclusion;
  /** Earlier registry versions that first logged the registry's entries, with their inclusions (§9.7). */
  registryHistory?: RegistryVersionProof[];
  roster: DrawRoster;
  demoBeacon: boolean;
}

/**
 * `void`: the voided attempt in full, its bundle with its commitment's `inclusion` when witnessed
 * by then (as a draw's). `bundleDigest = sha256hex(bundle without inclusion)` is what the next
 * `previous` names. The registry comes with its own proofs as in {@link DrawPublicationV2}.
 */
export interface VoidPublicationV2 {
  algorithm: 'sr-draw/v2';
  plan: string;
  attempt: number;
  reason: string;
  voidReasons: ReasonList;
  /** Whether the attempt's randomness existed when the void was requested. */
  afterRandomness: boolean;
  bundle: VoidedBundleV2;
  bundleDigest: string;
  registry: KeyRegistry;
  registryInclusion?: LogInclusion;
  registryHistory?: RegistryVersionProof[];
  requestedBy: string;
  requestedAt: string | null;
  signedBy: string;
  demoBeacon: boolean;
}

/**
 * `void` of a covert plan (R10) until the plan is executed: the signed void and the attempt's
 * digests ({@link SealedVoidV2}), the sealed commitment's members, and none of its rows (frame,
 * officers, teams, result), which the redraw shares with the attempt that will be inspected.
 * Replaced by the full {@link VoidPublicationV2} when the plan's draw is published.
 */
export interface SealedVoidPublicationV2 extends SealedVoidV2 {
  plan: string;
  attempt: number;
  reason: string;
  voidReasons: ReasonList;
  afterRandomness: boolean;
  registry: KeyRegistry;
  registryInclusion?: LogInclusion;
  registryHistory?: RegistryVersionProof[];
  requestedBy: string;
  requestedAt: string | null;
  signedBy: string;
  demoBeacon: boolean;
}

/** Content of a `plan-id` publication. */
export function planIdPublication(plan: PlanRow, at: Date): PlanIdPublication {
  return {
    algorithm: 'sr-draw/v2',
    plan: { id: plan.id, bureau: plan.bureauCode, period: plan.period, kind: plan.kind, title: plan.title },
    approvedAt: at.toISOString(),
  };
}

/** Content of a `commitment` publication (sealed for covert plans). */
export function commitmentPublication(
  frozen: {
    commitment: CommitmentV2;
    commitmentDigest: string;
    frame: FrameRowV2[];
    excluded: ExcludedRow[];
    excludedByReason: Record<string, number>;
    inspectorRows: PersonRow[];
    expertRows: PersonRow[];
    sealed: boolean;
  },
  rosterChanges: RosterChange[],
  demoBeacon: boolean,
): CommitmentPublicationV2 | SealedCommitmentPublicationV2 {
  const c = frozen.commitment;
  if (frozen.sealed)
    return {
      algorithm: 'sr-draw/v2',
      sealed: true,
      commitmentDigest: frozen.commitmentDigest,
      commitment: {
        algorithm: c.algorithm,
        plan: c.plan,
        sources: c.sources,
        previous: c.previous,
        committedAt: c.committedAt,
      },
      // A covert plan names no unit or officer until executed: the changes' times and kinds only.
      rosterChanges: rosterChanges.map((r) => ({ ...r, entityId: null, fields: [] })),
      demoBeacon,
    };
  return {
    algorithm: 'sr-draw/v2',
    sealed: false,
    commitment: c,
    commitmentDigest: frozen.commitmentDigest,
    frame: frozen.frame,
    excluded: frozen.excluded,
    excludedByReason: frozen.excludedByReason,
    excludedReasons: EXCLUDED_REASONS,
    inspectors: frozen.inspectorRows,
    experts: frozen.expertRows,
    rosterChanges,
    demoBeacon,
  };
}

export { VOID_REASONS };
