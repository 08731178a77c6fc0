/**
 * Public types of sr-draw/v2 (packages/core/SPEC.md, part II). Names follow the spec; where a v1
 * type of the same role exists, the v2 one carries a `V2` suffix.
 */
import type { DrawHasher } from '../hash';
import type { StratumMethod, TeamSpec, VersionRef } from '../commitment';
import type { StratumOutcome } from '../engine';

/** The algorithm identifier of sr-draw/v2. */
export const SR_DRAW_V2 = 'sr-draw/v2';
/** `spec` of the signed sign-off message (SPEC §II.6). */
export const SIGN_OFF_SPEC = 'sr-draw/v2/sign-off';
/** `spec` of a signed void (SPEC §II.9.4). */
export const VOID_SPEC = 'sr-draw/v2/void';
/** `spec` of a key registry (SPEC §II.6). */
export const KEY_REGISTRY_SPEC = 'sr-draw/v2/keys';
/** The scheme of every drand chain sr-draw/v2 accepts. */
export const DRAND_SCHEME = 'bls-unchained-g1-rfc9380';

/** Frame row `[unitId, stratumId, weight, mandatory, specialty, expert]` (SPEC §II.1). */
export type FrameRowV2 = [
  unitId: string,
  stratumId: string,
  weight: number,
  mandatory: 0 | 1,
  specialty: string,
  expert: 0 | 1,
];

/** Why a roster unit is not in the frame: a reason id from the platform's published list. */
export type ExcludedRow = [unitId: string, reason: string];

/** Reasons an inspector or expert may not go to a unit (SPEC §II.1, amended by §II.9.6). */
export const EXCLUSION_REASONS = ['avoid', 'jurisdiction', 'last-team'] as const;
/** One of {@link EXCLUSION_REASONS}. */
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];
/** `[unitId, reason]`; a person's list is sorted by (unitId, reason) without exact duplicates. */
export type Exclusion = [unitId: string, reason: ExclusionReason];

/** Inspector or expert row `[id, capacity, specialties, exclusions]` (SPEC §II.1). */
export type PersonRow = [id: string, capacity: number, specialties: string[], exclusions: Exclusion[]];

/** `{count, digest}` of a row list in the commitment. */
export interface RowsRef {
  count: number;
  /** `sha256hex(rows)`. */
  digest: string;
}

/** The plan block: exactly these keys. */
export interface PlanRefV2 {
  id: string;
  bureau: string;
  period: string;
  kind: 'general' | 'key' | 'covert';
  /** 1 for the first commitment of the plan, n for the n-th attempt. */
  attempt: number;
}

/** The public parameters of an unpinned drand chain; its chain hash is `sha256hex(info)`. */
export interface DrandChainInfo {
  /** G2 public key, compressed, 96 bytes as lowercase hex. */
  publicKey: string;
  /** Unix seconds of round 1. */
  genesis: number;
  /** Seconds between rounds. */
  period: number;
  scheme: typeof DRAND_SCHEME;
}

/** A drand round named before it exists. `info` only (and always) for unpinned chains. */
export interface DrandSource {
  kind: 'drand';
  chain: string;
  round: number;
  info?: DrandChainInfo;
}

/** A lottery draw named before it exists. */
export interface LotterySource {
  kind: 'lottery';
  game: LotteryGameId;
  issue: string;
  /** `YYYY-MM-DD`, a calendar date in UTC+8. */
  drawDate: string;
}

/** A randomness source of sr-draw/v2. */
export type SourceSpecV2 = DrandSource | LotterySource;

/** The value of a drand source: the round's BLS signature (96 lowercase hex digits). */
export type DrandValue = string;
/** The value of a lottery source: its groups of integers exactly as the operator publishes them. */
export type LotteryValue = number[][];
/** A source's value. */
export type SourceValueV2 = DrandValue | LotteryValue;

/** The lottery games of SPEC §II.2. */
export const LOTTERY_GAME_IDS = ['cwl-ssq', 'cwl-kl8', 'cwl-3d', 'sl-dlt', 'sl-pl3', 'sl-pl5'] as const;
/** One of {@link LOTTERY_GAME_IDS}. */
export type LotteryGameId = (typeof LOTTERY_GAME_IDS)[number];

/** One group of a lottery game's published result. */
export interface LotteryGroup {
  count: number;
  min: number;
  max: number;
  /** `true`: distinct and ascending; `false`: digits in drawn order (repeats allowed). */
  distinctAscending: boolean;
}

/** A lottery game of the table in SPEC §II.2. */
export interface LotteryGame {
  id: LotteryGameId;
  operator: 'cwl' | 'sl';
  nameZh: string;
  groups: LotteryGroup[];
  /** Entropy of one draw in hundredths of a bit (快乐8 = 6162). */
  entropyCentibits: number;
}

/** The voided previous attempt (SPEC §II.1 `previous`, §II.9.4). */
export interface PreviousAttempt {
  attempt: number;
  commitmentDigest: string;
  sources: SourceSpecV2[];
  /** Its R string when its values existed, else null. */
  randomness: string | null;
  /** Its result digest when a result existed, else null. */
  resultDigest: string | null;
  /** A reason id from the platform's published list of void reasons. */
  reason: string;
  /** `sha256hex` of the voided attempt's published bundle ({@link VoidedBundleV2}). */
  bundleDigest: string;
  /** Attempts of this plan voided after their randomness was known, counting this one; > 1 is rejected. */
  knownVoids: number;
}

/** The commitment of sr-draw/v2: exactly these keys. */
export interface CommitmentV2 {
  algorithm: typeof SR_DRAW_V2;
  plan: PlanRefV2;
  /** Sorted by id. */
  rulePacks: VersionRef[];
  checklist: VersionRef;
  frame: RowsRef;
  excluded: RowsRef;
  strata: { id: string; method: StratumMethod; quota: number }[];
  inspectors: RowsRef;
  experts: RowsRef;
  team: TeamSpec;
  sources: SourceSpecV2[];
  previous: PreviousAttempt | null;
  /** Whole seconds, UTC, `Z`. */
  committedAt: string;
}

/** Why a unit was selected (SPEC §I.4). */
export type SelectionReasonV2 = 'mandatory' | 'certainty' | 'random';

/** One selected unit, in sequence order. */
export interface SelectedUnitV2 {
  unit: string;
  stratum: string;
  reason: SelectionReasonV2;
  sequence: number;
  /** The select key, lowercase hex. */
  key: string;
  /** Inspector ids in the order chosen; `[]` when teams are not drawn. */
  team: string[];
  /** The expert's id for rows with `expert = 1`, else null. */
  expert: string | null;
}

/** A person whose final load exceeds capacity. */
export interface OverloadV2 {
  kind: 'expert' | 'inspector';
  id: string;
  load: number;
  capacity: number;
}

/** The result document of sr-draw/v2. */
export interface DrawResultV2 {
  selected: SelectedUnitV2[];
  strata: StratumOutcome[];
  /** Sorted by (kind, id): experts first. */
  overloads: OverloadV2[];
}

/** `{id, name}` of an official. */
export interface SignerRef {
  id: string;
  /** Compared by code points, never normalised. */
  name: string;
}

/** The signer block of a sign-off or void. */
export interface SignerWithKey extends SignerRef {
  /** Lowercase hex SHA-256 of the raw 32-byte Ed25519 public key. */
  keyId: string;
}

/** Sign-off of a draw (SPEC §II.6). The signature covers {@link signOffMessage}. */
export interface SignOff {
  signer: SignerWithKey;
  /** Whole seconds, UTC, `Z`. */
  signedAt: string;
  /** Ed25519 signature, 128 lowercase hex digits. */
  signature: string;
}

/**
 * A signed void of an attempt (SPEC §II.9.4): the envelope of a sign-off with `spec` = `sr-draw/v2/void`,
 * the voided commitment digest, the reason id and the official who requested the void (who may not sign it).
 */
export interface VoidEnvelope {
  spec: typeof VOID_SPEC;
  commitmentDigest: string;
  reason: string;
  /** Signer id of the official who asked for the void; the signer must be someone else. */
  requestedBy: string;
  signer: SignerWithKey;
  signedAt: string;
  signature: string;
}

/** One key of a registry. */
export interface KeyRegistryEntry {
  keyId: string;
  /** Raw 32-byte Ed25519 public key, lowercase hex. */
  publicKey: string;
  signer: SignerRef;
  validFrom: string;
  /** null while the key is valid. */
  validUntil: string | null;
}

/** A bureau's published key registry (SPEC §II.6, §II.9.7). */
export interface KeyRegistry {
  spec: typeof KEY_REGISTRY_SPEC;
  bureau: string;
  keys: KeyRegistryEntry[];
}

/** The published randomness of a draw. */
export interface PublishedRandomnessV2 {
  values: SourceValueV2[];
  string: string;
}

/** The inputs of a draw before anyone computes it: the bundle without result, digest and sign-off. */
export interface UnsignedBundleV2 {
  algorithm: typeof SR_DRAW_V2;
  commitment: CommitmentV2;
  commitmentDigest: string;
  frame: FrameRowV2[];
  excluded: ExcludedRow[];
  inspectors: PersonRow[];
  experts: PersonRow[];
  randomness: PublishedRandomnessV2;
}

/** A drawn but not yet signed bundle (what the approver signs). */
export interface ComputedBundleV2 extends UnsignedBundleV2 {
  result: DrawResultV2;
  resultDigest: string;
}

/** The published bundle of sr-draw/v2; `inclusion` is the optional transparency-log proof (SPEC §II.9.1). */
export interface DrawBundleV2 extends ComputedBundleV2 {
  signOff: SignOff;
  inclusion?: unknown;
}

/**
 * The published bundle of a voided attempt: its inputs, its randomness and result when its sources
 * existed (else null), and the signed void. `previous.bundleDigest = sha256hex(voidedBundle)`
 * computed without `inclusion` (the log proof of its commitment, attached when it exists).
 */
export interface VoidedBundleV2 {
  algorithm: typeof SR_DRAW_V2;
  commitment: CommitmentV2;
  commitmentDigest: string;
  frame: FrameRowV2[];
  excluded: ExcludedRow[];
  inspectors: PersonRow[];
  experts: PersonRow[];
  randomness: PublishedRandomnessV2 | null;
  result: DrawResultV2 | null;
  resultDigest: string | null;
  void: VoidEnvelope;
  inclusion?: unknown;
}

/**
 * A covert plan's void as published before the plan is executed (R10, sealed): the signed void and
 * the digests of the attempt, none of its rows. `bundleDigest` is the digest of the bundle
 * ({@link VoidedBundleV2}) published in full once the plan is executed, which the next attempt's
 * `previous.bundleDigest` names; `randomness` and `resultDigest` are the attempt's when known.
 */
export interface SealedVoidV2 {
  algorithm: typeof SR_DRAW_V2;
  sealed: true;
  commitmentDigest: string;
  commitment: Pick<CommitmentV2, 'algorithm' | 'plan' | 'sources' | 'previous' | 'committedAt'>;
  randomness: PublishedRandomnessV2 | null;
  resultDigest: string | null;
  bundleDigest: string;
  void: VoidEnvelope;
}

/** Outcome of an injected transparency-log inclusion verifier. */
export interface InclusionOutcome {
  ok: boolean;
  /** The checkpoint's time (whole seconds UTC, `Z`) when ok. */
  time?: string;
  reason?: string;
}

/**
 * What a verifier knows beside the proof: the raw public keys (base64) of the bureau's officials
 * (from the key registry given), which can never count as independent witnesses (§9.1).
 */
export interface InclusionContext {
  bureauKeys: readonly string[];
}

/** Verifies a bundle's `inclusion` against its commitment digest (provided by `packages/core/src/log`). */
export type InclusionVerifier = (
  inclusion: unknown,
  commitmentDigest: string,
  context?: InclusionContext,
) => InclusionOutcome;

/**
 * Verifies the log inclusion of the key registry given beside a bundle (§9.7): the proof is of a
 * `key-registry` publication whose content is exactly that registry, in a witnessed checkpoint.
 */
export type RegistryInclusionVerifier = (
  inclusion: unknown,
  registry: unknown,
  context?: InclusionContext,
) => InclusionOutcome;

/** `spec` of a signature record (the sign-off's own log entry, §9.7). */
export const SIGNATURE_SPEC = 'sr-draw/v2/signature';

/**
 * What the platform publishes (kind `sign-off`, or `void-sign-off`) the moment a draw is signed or an attempt is
 * voided, covert plans included, so that the signature's log time is when it was made, not when
 * the draw's publication came (a covert plan's weeks later, a void's again at the next attempt).
 * Every field comes from the bundle, so any verifier rebuilds it ({@link signatureRecord}).
 */
export interface SignatureRecordV2 {
  spec: typeof SIGNATURE_SPEC;
  bureau: string;
  /** A draw's sign-off, or an attempt's void. */
  of: 'draw' | 'void';
  commitmentDigest: string;
  /** The signed result's digest (a draw's); null for a void, which signs no result. */
  resultDigest: string | null;
  /** The bundle's `signOff`, or its `void` envelope, exactly. */
  signature: SignOff | VoidEnvelope;
}

/** A log leaf a sign-off's proof may be of: its kind and the digest of its content. */
export interface AcceptedLeaf {
  kind: string;
  contentDigest: string;
}

/**
 * Verifies the log inclusion of a sign-off (§9.7, the sign-off's log time): the proof is of a leaf
 * of one of the `accepted` kinds with that content digest, in a witnessed checkpoint.
 */
export type SignOffInclusionVerifier = (
  inclusion: unknown,
  accepted: readonly AcceptedLeaf[],
  context?: InclusionContext,
) => InclusionOutcome;

/** Status of one verification line. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'info';

/** Parameters of a check line, for translated UIs. */
export type CheckParams = Record<string, string | number | boolean | null>;

/**
 * One line of a verification report. `id` is stable (UIs translate by id and params):
 * `parse`, `digest.commitment`, `digest.frame`, `digest.excluded`, `digest.inspectors`,
 * `digest.experts`, `commitmentTime`, `source.<i>.drand.signature`, `source.<i>.drand.chain`,
 * `source.<i>.lottery.format`, `source.<i>.lottery.value`, `source.<i>.timing`, `randomness`,
 * `sufficiency`, `freshness`, `previous`, `feasibility`, `result`, `signOff`, `signOff.timing`,
 * `registryTime` and `registryEntries` (when a registry is given), `signOffLogTime` (when the
 * draw's publication proof or the bureau's current registry is given), `void` (voided bundles),
 * and `v1` for a whole sr-draw/v1 verification.
 */
export interface VerificationCheck {
  id: string;
  status: CheckStatus;
  params: CheckParams;
  /** One English line. */
  message: string;
}

/** What a verifier reports: `ok` is true when no line failed. */
export interface VerificationReport {
  algorithm: string;
  ok: boolean;
  checks: VerificationCheck[];
}

/** Options of {@link verifyBundleV2}. */
export interface VerifyOptionsV2 {
  /** The bureau's key registry, given beside the bundle (never taken from it). */
  registry?: unknown;
  /** Verifies `inclusion`; without it times come from `committedAt` and the report says so. */
  verifyInclusion?: InclusionVerifier;
  /** The log inclusion proof of `registry` (§9.7), given beside it. */
  registryInclusion?: unknown;
  /** Verifies `registryInclusion`; without it the report says "registry log time not proven". */
  verifyRegistryInclusion?: RegistryInclusionVerifier;
  /**
   * Earlier published versions of the registry, each with its log inclusion (§9.7): they prove
   * when an entry of `registry` was first logged (an entry's `validFrom` may not precede that).
   */
  registryHistory?: unknown;
  /**
   * The log inclusion of the sign-off (§9.7: its log time), in its first witnessed checkpoint: of
   * its signature record (kind `sign-off` or `void-sign-off`, content {@link signatureRecord} of this bundle), or else
   * of the draw's (the void's) own publication, whose content's `digestOf` the caller computed from
   * the content holding this very bundle (`signOffContentDigest`). `null`: the log holds no leaf of
   * it (fails); undefined: not known yet (warns). The signing key must be valid at that log time.
   */
  signOffInclusion?: unknown;
  signOffContentDigest?: string;
  /**
   * Without `signOffInclusion`: the instant at which the caller found the sign-off's record in the
   * log but in no witnessed checkpoint. Its log time can then be no earlier than 30 s before it
   * (witnesses co-sign within 30 s of a checkpoint's time): a key ended by then fails already.
   */
  signOffPendingAt?: string;
  /**
   * Verifies `signOffInclusion`, and the inclusion of each of `currentRegistryHistory` (a
   * `key-registry` leaf with that content's digest).
   */
  verifySignOffInclusion?: SignOffInclusionVerifier;
  /**
   * The bureau's newest key registry (the last `key-registry` leaf of the plan's bureau in the log),
   * with its log inclusion: a key it ended before the sign-off's log time fails, whatever older
   * registry came with the bundle. A proof given that does not verify fails; none given warns.
   */
  currentRegistry?: unknown;
  currentRegistryInclusion?: unknown;
  /**
   * Every earlier version of the bureau's registry in the log, in log order, `[{registry,
   * inclusion}]` (inclusion null while in no witnessed checkpoint). An end once published is final:
   * a key any version ended before the sign-off's log time fails, whatever a later version (an
   * insider's, taking the end back) says. Given with `currentRegistry`; without it the line warns.
   * Each is proven by `verifySignOffInclusion`; only a version that is a registry of the bureau
   * counts (other content logged as one holds no end). The registry given with the bundle, when
   * proven in the log, must be among these versions or `currentRegistry` (else the list is not
   * every version, and the line fails).
   */
  currentRegistryHistory?: unknown;
  /** Refuse unpinned drand chains (a production deployment). */
  production?: boolean;
  /** Hashing backend for the result recomputation. */
  hasher?: DrawHasher;
  /**
   * Told as each step of the verification begins (a city bundle takes seconds: progress for the
   * CLI and the admin). Steps in order: {@link VERIFY_STEPS_V2}; a bundle that fails to parse
   * stops after the first.
   */
  onStep?: (step: VerifyStepV2) => void;
}

/** The steps of a v2 verification, in the order they run. */
export const VERIFY_STEPS_V2 = ['parse', 'digests', 'sources', 'feasibility', 'result', 'signOff'] as const;
/** One of {@link VERIFY_STEPS_V2}. */
export type VerifyStepV2 = (typeof VERIFY_STEPS_V2)[number];

/** Options of a v2 draw computation. */
export interface DrawOptionsV2 {
  hasher?: DrawHasher;
}
