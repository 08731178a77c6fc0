/**
 * sr-draw/v2 bundles for the portal's tests, made with `@spotcheck/core` alone: a demo beacon
 * (unpinned chain), a 福彩3D lottery beside it, a signed draw, the bureau's key registry, and an
 * attempt 2 whose attempt 1 was voided after its randomness was known.
 */
import {
  buildCommitmentV2,
  demoBeacon,
  drawSrV2,
  ed25519KeyPair,
  makeUscc,
  sha256hex,
  signOff,
  signVoid,
  type CommitmentV2,
  type DrawBundleV2,
  type ExcludedRow,
  type FrameRowV2,
  type KeyRegistry,
  type PersonRow,
  type PreviousAttempt,
  type SourceSpecV2,
  type SourceValueV2,
  type VoidedBundleV2,
} from '@spotcheck/core';

/** The bureau of the fixtures (Binhai). */
export const FIXTURE_BUREAU = '120116';

/** The demo beacon of the fixtures: genesis 2027-01-01T00:00:00Z, a round every 3 s. */
export const fixtureBeacon = demoBeacon('portal-fixtures', Date.parse('2027-01-01T00:00:00Z') / 1000);

/** The approver's and the void signer's keys (seeded, so the fixtures are stable). */
export const approverKey = ed25519KeyPair(new TextEncoder().encode('portal approver'));
export const voidKey = ed25519KeyPair(new TextEncoder().encode('portal deputy'));
export const approver = { id: 'u-approver', name: '滨海新区分管领导' };
export const deputy = { id: 'u-deputy', name: '滨海新区副局长' };

/** The bureau's key registry holding both officials' keys. */
export function fixtureRegistry(): KeyRegistry {
  return {
    spec: 'sr-draw/v2/keys',
    bureau: FIXTURE_BUREAU,
    keys: [
      {
        keyId: approverKey.keyId,
        publicKey: approverKey.publicKey,
        signer: approver,
        validFrom: '2026-12-01T00:00:00Z',
        validUntil: null,
      },
      {
        keyId: voidKey.keyId,
        publicKey: voidKey.publicKey,
        signer: deputy,
        validFrom: '2026-12-01T00:00:00Z',
        validUntil: null,
      },
    ].sort((a, b) => (a.keyId < b.keyId ? -1 : 1)),
  };
}

const unit = (i: number) => makeUscc('91', '120116', `MA${String(i).padStart(6, '0')}`);

/** 12 units in the frame, 5 excluded with reasons, 6 inspectors (one avoids a unit), no experts. */
export function fixtureRows(): {
  frame: FrameRowV2[];
  excluded: ExcludedRow[];
  inspectors: PersonRow[];
  experts: PersonRow[];
} {
  const ids = Array.from({ length: 17 }, (_, i) => unit(i + 1)).sort();
  const frameIds = ids.slice(0, 12);
  const excludedIds = ids.slice(12);
  const frame: FrameRowV2[] = frameIds.map((id, i) => [
    id,
    i % 2 === 0 ? 'credit-a' : 'risk-high',
    1 + (i % 3),
    i === 5 ? 1 : 0,
    '',
    0,
  ]);
  const reasons = ['closed', 'out-of-scope', 'out-of-scope', 'not-due', 'ceiling-reached'];
  const excluded: ExcludedRow[] = excludedIds.map((id, i) => [id, reasons[i]!]);
  const inspectors: PersonRow[] = Array.from({ length: 6 }, (_, i) => [
    `I120116-000${i + 1}`,
    6,
    [],
    i === 0 ? [[frameIds[0]!, 'avoid']] : [],
  ]);
  return { frame, excluded, inspectors, experts: [] };
}

/** The sources of an attempt committed at `committedAt`: the first beacon round ≥ 60 s later, and 福彩3D the next day. */
export function fixtureSources(committedAt: string, lotteryDate: string, issue: string): SourceSpecV2[] {
  const t = Date.parse(committedAt) / 1000 + 60;
  const round = Math.ceil((t - fixtureBeacon.info.genesis) / fixtureBeacon.info.period) + 1;
  return [fixtureBeacon.source(round), { kind: 'lottery', game: 'cwl-3d', issue, drawDate: lotteryDate }];
}

function valuesFor(sources: SourceSpecV2[], lottery: number[][]): SourceValueV2[] {
  return sources.map((s) => (s.kind === 'drand' ? fixtureBeacon.sign(s.round).signature : lottery));
}

function commit(
  attempt: number,
  committedAt: string,
  sources: SourceSpecV2[],
  previous: PreviousAttempt | null,
) {
  const rows = fixtureRows();
  const commitment: CommitmentV2 = buildCommitmentV2(
    {
      plan: { id: 'plan-2027-q1', bureau: FIXTURE_BUREAU, period: '2027-Q1', kind: 'general', attempt },
      rulePacks: [{ id: 'tianjin/binhai', version: '1', digest: 'ab'.repeat(32) }],
      checklist: { id: 'cl-1', version: '2', digest: 'cd'.repeat(32) },
      strata: [
        { id: 'credit-a', method: 'srs', quota: 2 },
        { id: 'risk-high', method: 'pareto', quota: 2 },
      ],
      team: { assign: true, size: 2, specialist: false },
      sources,
      previous,
      committedAt,
    },
    rows,
  );
  return { commitment, rows };
}

/** A signed attempt-1 bundle (demo beacon + 福彩3D), as a draw publication carries it. */
export function sampleBundleV2(): DrawBundleV2 {
  const committedAt = '2027-01-04T09:00:00Z';
  const sources = fixtureSources(committedAt, '2027-01-05', '2027005');
  const { commitment, rows } = commit(1, committedAt, sources, null);
  const computed = drawSrV2({ commitment, ...rows, values: valuesFor(sources, [[3, 8, 5]]) });
  return {
    ...computed,
    signOff: signOff(
      approverKey.secretKey,
      approver,
      '2027-01-06T02:00:00Z',
      computed.commitmentDigest,
      computed.resultDigest,
    ),
  };
}

/**
 * Attempt 1 drawn, then voided (signed by the deputy, requested by the approver) after its
 * randomness was known; attempt 2 names later sources and declares everything attempt 1 had.
 */
export function voidedChain(): { voided: VoidedBundleV2; attempt2: DrawBundleV2 } {
  const first = sampleBundleV2();
  const { signOff: _unsigned, ...computed } = first;
  const voided: VoidedBundleV2 = {
    ...computed,
    void: signVoid(voidKey.secretKey, deputy, '2027-01-06T03:00:00Z', {
      commitmentDigest: first.commitmentDigest,
      reason: 'plan-withdrawn',
      requestedBy: approver.id,
    }),
  };
  const committedAt = '2027-01-07T09:00:00Z';
  const sources = fixtureSources(committedAt, '2027-01-08', '2027008');
  const previous: PreviousAttempt = {
    attempt: 1,
    commitmentDigest: first.commitmentDigest,
    sources: first.commitment.sources,
    randomness: first.randomness.string,
    resultDigest: first.resultDigest,
    reason: 'plan-withdrawn',
    bundleDigest: sha256hex(voided),
    knownVoids: 1,
  };
  const { commitment, rows } = commit(2, committedAt, sources, previous);
  const computed2 = drawSrV2({ commitment, ...rows, values: valuesFor(sources, [[0, 4, 4]]) });
  return {
    voided,
    attempt2: {
      ...computed2,
      signOff: signOff(
        approverKey.secretKey,
        approver,
        '2027-01-09T02:00:00Z',
        computed2.commitmentDigest,
        computed2.resultDigest,
      ),
    },
  };
}
