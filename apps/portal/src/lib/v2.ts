/**
 * The portal's reading of sr-draw/v2 publications: exclusions summarised by reason and offered as
 * CSV/JSON, the bureau's key registry, roster changes before a commitment, and the chain of
 * attempts of a plan. Everything here is pure and tolerant of absent fields: published content is
 * JSON from the server, and the verification itself is `@spotcheck/core`'s, not ours.
 */

import { csvText } from '@spotcheck/ui/format';

function obj(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}
const str = (x: unknown): string => (typeof x === 'string' ? x : '');
const strOrNull = (x: unknown): string | null => (typeof x === 'string' ? x : null);
const num = (x: unknown): number => (typeof x === 'number' ? x : 0);
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

/** The algorithm a bundle claims (`sr-draw/v1`, `sr-draw/v2`, or '' when absent). */
export function bundleAlgorithm(bundle: unknown): string {
  return str(obj(bundle).algorithm);
}

/** True for an sr-draw/v2 bundle (by its declared algorithm; verification checks the rest). */
export function isV2Bundle(bundle: unknown): boolean {
  return bundleAlgorithm(bundle) === 'sr-draw/v2';
}

// ---------------------------------------------------------------------------------------------
// Exclusions (§1 excluded rows `[unitId, reason]`, §9.5 the whole roster).

/** One excluded row: a unit of the roster not in the frame, and why. */
export interface ExcludedRow {
  unit: string;
  reason: string;
}

/** Reads a bundle's or commitment's `excluded` rows (`[unitId, reason]`). */
export function readExcluded(rows: unknown): ExcludedRow[] {
  return arr(rows)
    .filter((r): r is unknown[] => Array.isArray(r))
    .map((r) => ({ unit: str(r[0]), reason: str(r[1]) }));
}

/** Counts of excluded units by reason, largest first (ties by reason id). */
export function exclusionSummary(rows: readonly ExcludedRow[]): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  return [...counts.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}

/**
 * The full exclusion list as CSV (UTF-8 with BOM so spreadsheets read the Chinese): unit id, the
 * reason id as committed, and the reason in the reader's language.
 */
export function exclusionsCsv(
  rows: readonly ExcludedRow[],
  header: [string, string, string],
  reasonName: (reason: string) => string,
): string {
  return csvText(
    header,
    rows.map((r) => [r.unit, r.reason, reasonName(r.reason)]),
  );
}

// ---------------------------------------------------------------------------------------------
// Key registry (§6, §9.7).

/** One key of a bureau's registry, as published. */
export interface RegistryKey {
  keyId: string;
  publicKey: string;
  signer: { id: string; name: string };
  validFrom: string;
  validUntil: string | null;
  /** Revoked (not merely expired): recorded beside the registry when the platform says so. */
  revoked: boolean;
  revokedAt: string | null;
  revokedReason: string | null;
}

/** A bureau's key registry (`sr-draw/v2/keys`). */
export interface Registry {
  spec: string;
  bureau: string;
  keys: RegistryKey[];
}

/** The exact registry document to hand to a verifier (§6 shape, nothing added). */
export interface RegistryDocument {
  spec: string;
  bureau: string;
  keys: {
    keyId: string;
    publicKey: string;
    signer: { id: string; name: string };
    validFrom: string;
    validUntil: string | null;
  }[];
}

/**
 * Finds the registry in a publication's content: either the registry itself or
 * `{registry, revocations?}`. Revocations (`[{keyId, at, reason}]`) mark keys as revoked.
 */
export function readRegistry(content: unknown): { registry: Registry; document: RegistryDocument } | null {
  const c = obj(content);
  const r = c.spec === 'sr-draw/v2/keys' ? c : obj(c.registry);
  if (r.spec !== 'sr-draw/v2/keys') return null;
  const revocations = new Map<string, { at: string | null; reason: string | null }>();
  for (const raw of arr(c.revocations ?? r.revocations)) {
    const v = obj(raw);
    revocations.set(str(v.keyId), { at: strOrNull(v.at ?? v.revokedAt), reason: strOrNull(v.reason) });
  }
  const rawKeys = arr(r.keys).map(obj);
  const keys: RegistryKey[] = rawKeys.map((k) => {
    const rev = revocations.get(str(k.keyId));
    const revokedFlag = k.revoked === true || typeof k.revokedAt === 'string';
    return {
      keyId: str(k.keyId),
      publicKey: str(k.publicKey),
      signer: { id: str(obj(k.signer).id), name: str(obj(k.signer).name) },
      validFrom: str(k.validFrom),
      validUntil: strOrNull(k.validUntil),
      revoked: revokedFlag || rev !== undefined,
      revokedAt: strOrNull(k.revokedAt) ?? rev?.at ?? null,
      revokedReason: strOrNull(k.revokedReason) ?? rev?.reason ?? null,
    };
  });
  return {
    registry: { spec: str(r.spec), bureau: str(r.bureau), keys },
    // The verifier gets the registry exactly as published (it rejects unknown keys).
    document: {
      spec: str(r.spec),
      bureau: str(r.bureau),
      keys: rawKeys.map((k) => ({
        keyId: str(k.keyId),
        publicKey: str(k.publicKey),
        signer: { id: str(obj(k.signer).id), name: str(obj(k.signer).name) },
        validFrom: str(k.validFrom),
        validUntil: strOrNull(k.validUntil),
      })),
    },
  };
}

/** A key's state at an instant: not yet valid, valid, expired, or revoked. */
export type KeyState = 'pending' | 'valid' | 'expired' | 'revoked';

/** The state of a registry key at `now` (ISO instants compare as time, not text). */
export function keyState(key: RegistryKey, now: Date): KeyState {
  if (key.revoked) return 'revoked';
  const t = now.getTime();
  const until = key.validUntil === null ? Infinity : Date.parse(key.validUntil);
  // Ended before it became valid (validUntil = validFrom): never valid, not waiting to be.
  if (until <= Date.parse(key.validFrom)) return 'expired';
  if (Date.parse(key.validFrom) > t) return 'pending';
  if (until <= t) return 'expired';
  return 'valid';
}

// ---------------------------------------------------------------------------------------------
// Roster changes of the 30 days before a commitment (§9.5).

/**
 * One change to the roster published beside a commitment (as the API publishes it: the audited
 * action, the entity and its id, and the names of the fields that changed; values stay internal).
 */
export interface RosterChange {
  at: string;
  action: string;
  entity: string;
  entityId: string | null;
  fields: string[];
}

/** Reads roster changes (`[{at, action, entity, entityId, fields}]`), oldest first. */
export function readRosterChanges(x: unknown): RosterChange[] {
  return arr(x)
    .map(obj)
    .map((c) => ({
      at: str(c.at),
      action: str(c.action),
      entity: str(c.entity),
      entityId: strOrNull(c.entityId),
      fields: arr(c.fields).filter((f): f is string => typeof f === 'string'),
    }))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

// ---------------------------------------------------------------------------------------------
// Attempts of a plan (§1 previous, §9.2, §9.4).

/** What the next attempt's commitment says was known when attempt n−1 was voided. */
export interface PreviousAttempt {
  attempt: number;
  commitmentDigest: string;
  bundleDigest: string | null;
  randomness: string | null;
  resultDigest: string | null;
  reason: string;
  knownVoids: number | null;
  sources: unknown[];
}

/** Reads a v2 commitment's `previous` block (null for attempt 1). */
export function readPrevious(commitment: unknown): PreviousAttempt | null {
  const p = obj(commitment).previous;
  if (p === null || p === undefined) return null;
  const o = obj(p);
  return {
    attempt: num(o.attempt),
    commitmentDigest: str(o.commitmentDigest),
    bundleDigest: strOrNull(o.bundleDigest),
    randomness: strOrNull(o.randomness),
    resultDigest: strOrNull(o.resultDigest),
    reason: str(o.reason),
    knownVoids: typeof o.knownVoids === 'number' ? o.knownVoids : null,
    sources: arr(o.sources),
  };
}

/** A v2 commitment's plan block. */
export interface PlanRef {
  id: string;
  bureau: string;
  period: string;
  kind: string;
  attempt: number;
}

/** Reads a commitment's plan block. */
export function readPlan(commitment: unknown): PlanRef {
  const p = obj(obj(commitment).plan);
  return {
    id: str(p.id),
    bureau: str(p.bureau),
    period: str(p.period),
    kind: str(p.kind),
    attempt: typeof p.attempt === 'number' ? p.attempt : 1,
  };
}

/** A v2 source, for display. */
export interface SourceView {
  kind: 'drand' | 'lottery' | string;
  chain: string | null;
  round: number | null;
  pinned: boolean;
  game: string | null;
  issue: string | null;
  drawDate: string | null;
}

/** The pinned drand chains (§2): quicknet. Anything else with `info` is a demo beacon. */
export const PINNED_CHAINS: Record<string, string> = {
  '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971': 'quicknet',
};

/** Reads one v2 source. */
export function readSource(x: unknown): SourceView {
  const s = obj(x);
  const chain = strOrNull(s.chain);
  return {
    kind: str(s.kind),
    chain,
    round: typeof s.round === 'number' ? s.round : null,
    pinned: chain !== null && chain in PINNED_CHAINS,
    game: strOrNull(s.game),
    issue: strOrNull(s.issue),
    drawDate: strOrNull(s.drawDate),
  };
}

/** Lottery games (§2 table) and the operator each belongs to. */
export const LOTTERY_OPERATOR: Record<string, 'cwl' | 'sl'> = {
  'cwl-ssq': 'cwl',
  'cwl-kl8': 'cwl',
  'cwl-3d': 'cwl',
  'sl-dlt': 'sl',
  'sl-pl3': 'sl',
  'sl-pl5': 'sl',
};

/** The operator's page where a lottery issue's result is published (verifiers link it, §2). */
export function lotteryResultUrl(game: string): string | null {
  switch (LOTTERY_OPERATOR[game]) {
    case 'cwl':
      return 'https://www.cwl.gov.cn/ygkj/wqkjgg/';
    case 'sl':
      return 'https://www.lottery.gov.cn/kj/kjlb.html';
    default:
      return null;
  }
}

/** One commitment of a bureau and period, as the list of all commitments shows it. */
export interface CommitmentEntry {
  publicationId: string;
  planId: string;
  attempt: number;
  commitmentDigest: string;
  publishedAt: string;
  /** How the attempt ended: a draw publication, a void publication, or still open. */
  outcome: 'drawn' | 'voided' | 'open';
  outcomePublicationId: string | null;
}

/** A publication with its content, as `publications.get` returns it. */
export interface PublicationFull {
  id: string;
  kind: string;
  refId: string;
  bureauCode: string;
  period: string | null;
  title: string;
  publishedAt: string | Date;
  content: unknown;
}

/** The commitment digest a commitment, draw or void publication names. */
export function publishedCommitmentDigest(content: unknown): string {
  const c = obj(content);
  return str(c.commitmentDigest) || str(obj(c.bundle).commitmentDigest) || str(obj(c.void).commitmentDigest);
}

/** The commitment a commitment, draw or void publication carries (null for digest-only ones). */
export function publishedCommitment(content: unknown): Record<string, unknown> | null {
  const c = obj(content);
  const direct = obj(c.commitment);
  if (direct.plan) return direct;
  const fromBundle = obj(obj(c.bundle).commitment);
  return fromBundle.plan ? fromBundle : null;
}

/**
 * Every commitment of a bureau and period with how it ended, so that parallel commitments of
 * one plan cannot hide (§9.2): sorted by plan, then attempt, then publication time.
 */
export function commitmentLedger(
  commitments: readonly PublicationFull[],
  outcomes: readonly PublicationFull[],
): CommitmentEntry[] {
  const ended = new Map<string, { kind: 'drawn' | 'voided'; id: string }>();
  // A void wins over a draw of the same commitment: the draw was withdrawn.
  for (const p of [...outcomes].sort((a, b) => (a.kind === 'void' ? 1 : 0) - (b.kind === 'void' ? 1 : 0))) {
    const d = publishedCommitmentDigest(p.content);
    if (d) ended.set(d, { kind: p.kind === 'void' ? 'voided' : 'drawn', id: p.id });
  }
  return commitments
    .map((p) => {
      const c = publishedCommitment(p.content);
      const plan = readPlan(c);
      const digest = publishedCommitmentDigest(p.content);
      const end = ended.get(digest);
      return {
        publicationId: p.id,
        planId: plan.id || p.refId,
        attempt: plan.attempt,
        commitmentDigest: digest,
        publishedAt: String(p.publishedAt instanceof Date ? p.publishedAt.toISOString() : p.publishedAt),
        outcome: end?.kind ?? ('open' as const),
        outcomePublicationId: end?.id ?? null,
      };
    })
    .sort(
      (a, b) =>
        (a.planId < b.planId ? -1 : a.planId > b.planId ? 1 : 0) ||
        a.attempt - b.attempt ||
        Date.parse(a.publishedAt) - Date.parse(b.publishedAt),
    );
}

/** Plans that have more than one commitment for the same attempt: what §9.2 forbids. */
export function duplicateAttempts(entries: readonly CommitmentEntry[]): Set<string> {
  const seen = new Map<string, number>();
  for (const e of entries) {
    const k = `${e.planId}\u0000${e.attempt}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return new Set(
    entries.filter((e) => (seen.get(`${e.planId}\u0000${e.attempt}`) ?? 0) > 1).map((e) => e.publicationId),
  );
}

/** Who signed a void and when, read from a void publication (v2 envelope, or v1 approver). */
export interface VoidEnvelopeView {
  signerName: string;
  signedAt: string | null;
  reason: string;
  requestedBy: string | null;
}

/** Reads the signed void of a void publication (`{void}`, `{bundle: {void}}` or a v1 void). */
export function readVoidEnvelope(content: unknown): VoidEnvelopeView | null {
  const c = obj(content);
  const env = obj(c.void ?? obj(c.bundle).void);
  if (env.signer !== undefined) {
    return {
      signerName: str(obj(env.signer).name),
      signedAt: strOrNull(env.signedAt),
      reason: str(env.reason),
      requestedBy: strOrNull(env.requestedBy),
    };
  }
  if (typeof c.approvedBy === 'string')
    return {
      signerName: c.approvedBy,
      signedAt: strOrNull(c.approvedAt),
      reason: str(c.reason),
      requestedBy: strOrNull(c.requestedBy),
    };
  return null;
}
