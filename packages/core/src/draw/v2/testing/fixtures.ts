/** Test fixtures for sr-draw/v2: a demo beacon, keys, a registry, and small feasible draws. */
import fc from 'fast-check';
import { makeUscc } from '../../../uscc';
import { demoBeacon } from '../beacon';
import { buildCommitmentV2, drawSrV2, type DrawRowsV2 } from '../draw';
import { ed25519KeyPair, signOff } from '../signoff';
import type {
  CommitmentV2,
  DrawBundleV2,
  ExcludedRow,
  FrameRowV2,
  KeyRegistry,
  PersonRow,
  PreviousAttempt,
  SourceSpecV2,
  SourceValueV2,
} from '../types';
import type { TeamSpec as TeamSpecV2 } from '../../commitment';

/** The demo beacon of the tests (genesis 2027-01-01T00:00:00Z, period 3 s). */
export const beacon = demoBeacon('spotcheck tests', Date.UTC(2027, 0, 1) / 1000);
/** The commitment time of the fixtures. */
export const COMMITTED_AT = '2027-01-04T09:00:00Z';
/** A drand round 5 minutes after {@link COMMITTED_AT}. */
export const ROUND = beacon.roundAt(Date.parse(COMMITTED_AT) / 1000) + 100;
/** Its signature (computed once). */
export const ROUND_SIGNATURE = beacon.sign(ROUND).signature;

/** The approver's key, the attacker's key and the bureau's registry. */
export const approver = ed25519KeyPair(new TextEncoder().encode('approver'));
export const second = ed25519KeyPair(new TextEncoder().encode('second official'));
export const attacker = ed25519KeyPair(new TextEncoder().encode('attacker'));
export const APPROVER = { id: 'bh-lead-01', name: '滨海新区分管领导' };
export const SECOND = { id: 'bh-lead-02', name: '滨海新区应急局局长' };
export const registry: KeyRegistry = {
  spec: 'sr-draw/v2/keys',
  bureau: '120116',
  keys: [
    {
      keyId: approver.keyId,
      publicKey: approver.publicKey,
      signer: APPROVER,
      validFrom: '2026-12-01T00:00:00Z',
      validUntil: null,
    },
    {
      keyId: second.keyId,
      publicKey: second.publicKey,
      signer: SECOND,
      validFrom: '2026-12-01T00:00:00Z',
      validUntil: null,
    },
  ],
};

/** A valid USCC for test unit number `i` (sorted like `i`). */
export const unit = (i: number): string => makeUscc('91', '120116', `MA${String(i).padStart(6, '0')}`);

/** Commitment fields of the fixtures. */
export function draftV2(
  strata: CommitmentV2['strata'],
  team: TeamSpecV2,
  sources: SourceSpecV2[] = [beacon.source(ROUND)],
  previous: PreviousAttempt | null = null,
  attempt = 1,
) {
  return {
    plan: { id: 'binhai-2027-q1', bureau: '120116', period: '2027-Q1', kind: 'general' as const, attempt },
    rulePacks: [
      { id: 'tianjin/city', version: '2027.1', digest: 'c'.repeat(64) },
      { id: 'tianjin/binhai', version: '2027.1', digest: 'a'.repeat(64) },
    ],
    checklist: { id: 'binhai-general', version: '3', digest: 'b'.repeat(64) },
    strata,
    team,
    sources,
    previous,
    committedAt: COMMITTED_AT,
  };
}

/** A complete v2 case. */
export interface DrawCaseV2 extends DrawRowsV2 {
  commitment: CommitmentV2;
  values: SourceValueV2[];
}

const SPECIALTIES = ['chem', 'mine', 'port'];

/**
 * Builds a feasible case: the first `2 × size` inspectors and the first 2 experts hold every
 * specialty and exclude nothing; the drand round is {@link ROUND}; a 快乐8 value varies R.
 */
export function makeCaseV2(p: {
  units: {
    n: number;
    stratum: number;
    weight: number;
    mandatory: boolean;
    specialty: number;
    expert: boolean;
  }[];
  excluded: number[];
  strata: { method: 'srs' | 'pareto'; quota: number }[];
  inspectors: { capacity: number; specialties: boolean[]; excluded: number[] }[];
  experts: { capacity: number; specialties: boolean[]; excluded: number[] }[];
  team: TeamSpecV2;
  kl8: number[];
}): DrawCaseV2 {
  const strata = p.strata.map((s, i) => ({ id: `s${i}`, method: s.method, quota: s.quota }));
  const frame: FrameRowV2[] = p.units
    .map((u): FrameRowV2 => [
      unit(u.n),
      `s${u.stratum % strata.length}`,
      u.weight,
      u.mandatory ? 1 : 0,
      u.specialty < SPECIALTIES.length ? SPECIALTIES[u.specialty]! : '',
      u.expert ? 1 : 0,
    ])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const inFrame = new Set(p.units.map((u) => u.n));
  const excluded: ExcludedRow[] = [...new Set(p.excluded.filter((n) => !inFrame.has(n)))]
    .map((n): ExcludedRow => [unit(n), n % 2 ? 'closed' : 'out-of-scope'])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const persons = (
    list: { capacity: number; specialties: boolean[]; excluded: number[] }[],
    prefix: string,
    free: number,
  ): PersonRow[] =>
    list.map((x, i): PersonRow => {
      const all = i < free;
      const reasons = ['avoid', 'jurisdiction', 'last-team'] as const;
      const exclusions =
        all || frame.length === 0
          ? []
          : [...new Set(x.excluded.map((k) => `${frame[k % frame.length]![0]}|${reasons[k % 3]}`))]
              .sort()
              .map((s) => s.split('|') as [string, (typeof reasons)[number]]);
      return [
        `${prefix}-${String(i).padStart(2, '0')}`,
        x.capacity,
        all ? [...SPECIALTIES] : SPECIALTIES.filter((_, k) => x.specialties[k]),
        exclusions,
      ];
    });
  const rows = {
    frame,
    excluded,
    inspectors: persons(p.inspectors, 'insp', p.team.assign ? 2 * p.team.size : 0),
    experts: persons(p.experts, 'exp', 2),
  };
  const sources: SourceSpecV2[] = [
    beacon.source(ROUND),
    { kind: 'lottery', game: 'cwl-kl8', issue: '2027004', drawDate: '2027-01-05' },
  ];
  const commitment = buildCommitmentV2(draftV2(strata, p.team, sources), rows);
  const kl8 = [...new Set(p.kl8)].sort((a, b) => a - b);
  for (let x = 1; kl8.length < 20; x++) if (!kl8.includes(x)) kl8.push(x);
  kl8.sort((a, b) => a - b);
  return { commitment, ...rows, values: [ROUND_SIGNATURE, [kl8]] };
}

/** fast-check arbitrary of small feasible v2 draws. */
export const drawCaseV2Arb: fc.Arbitrary<DrawCaseV2> = fc
  .record({
    units: fc.uniqueArray(
      fc.record({
        n: fc.integer({ min: 1, max: 999_999 }),
        stratum: fc.nat(4),
        weight: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constant(1_000_000)),
        mandatory: fc.integer({ min: 0, max: 9 }).map((x) => x < 2),
        specialty: fc.nat(5),
        expert: fc.boolean(),
      }),
      { selector: (u) => u.n, maxLength: 30 },
    ),
    excluded: fc.array(fc.integer({ min: 1, max: 999_999 }), { maxLength: 6 }),
    strata: fc.array(
      fc.record({ method: fc.constantFrom('srs' as const, 'pareto' as const), quota: fc.nat(8) }),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    team: fc.oneof(
      fc.record({
        assign: fc.constant(true),
        size: fc.integer({ min: 2, max: 3 }),
        specialist: fc.boolean(),
      }),
      fc.constant({ assign: false, size: 0, specialist: false }),
    ),
    inspectors: fc.array(
      fc.record({
        capacity: fc.integer({ min: 1, max: 4 }),
        specialties: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        excluded: fc.array(fc.nat(40), { maxLength: 4 }),
      }),
      { minLength: 6, maxLength: 12 },
    ),
    experts: fc.array(
      fc.record({
        capacity: fc.integer({ min: 1, max: 3 }),
        specialties: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        excluded: fc.array(fc.nat(40), { maxLength: 3 }),
      }),
      { minLength: 2, maxLength: 5 },
    ),
    kl8: fc.array(fc.integer({ min: 1, max: 80 }), { maxLength: 20 }),
  })
  .map((p) => {
    // Enough capacity for the capacity rule: raise the free inspectors' capacity if needed.
    const picks = p.units.filter((u) => u.mandatory).length + p.strata.reduce((n, s) => n + s.quota, 0);
    const need = p.team.size * picks;
    const have = p.inspectors.reduce((n, i) => n + i.capacity, 0);
    if (have < need) p.inspectors[0]!.capacity += need - have;
    return makeCaseV2(p);
  });

/** Draws and signs a case with the approver's key at `signedAt`. */
export function signedBundle(c: DrawCaseV2, signedAt = '2027-01-06T00:00:00Z'): DrawBundleV2 {
  const b = drawSrV2(c);
  return {
    ...b,
    signOff: signOff(approver.secretKey, APPROVER, signedAt, b.commitmentDigest, b.resultDigest),
  };
}
