/** Test fixtures: small random, always feasible draws for property tests. */
import fc from 'fast-check';
import { buildCommitment } from '../bundle';
import type { Commitment, StratumSpec, TeamSpec } from '../commitment';
import type { SourceValue } from '../randomness';
import type { FrameRow, InspectorRow } from '../rows';

/** A complete draw input. */
export interface DrawCase {
  commitment: Commitment;
  frame: FrameRow[];
  inspectors: InspectorRow[];
  values: SourceValue[];
}

const SPECIALTIES = ['chem', 'mine', 'port'];

/** Commitment fields that do not depend on the rows. */
export function draftFor(strata: StratumSpec[], team: TeamSpec) {
  return {
    plan: { id: 'plan-2027-q1', bureau: '120116', period: '2027-Q1', kind: 'general' as const },
    rulePack: { id: 'tianjin/binhai', version: '2027.1', digest: 'a'.repeat(64) },
    checklist: { id: 'binhai-general', version: '3', digest: 'b'.repeat(64) },
    strata,
    team,
    sources: [
      { kind: 'numbers' as const, name: 'China Welfare Lottery 3D', issue: '2027001' },
      { kind: 'hex' as const, name: 'drand quicknet', issue: 'round 1000' },
    ],
    committedAt: '2027-01-04T09:00:00Z',
  };
}

/** Builds a feasible case: the first `size` inspectors hold every specialty and exclude nothing. */
export function makeCase(p: {
  units: { id: string; stratum: number; weight: number; mandatory: boolean; specialty: number }[];
  strata: { method: 'srs' | 'pareto'; quota: number }[];
  inspectors: { capacity: number; specialties: boolean[]; excluded: number[] }[];
  team: TeamSpec;
  numbers: number[];
  hex: string;
}): DrawCase {
  const strata: StratumSpec[] = p.strata.map((s, i) => ({ id: `s${i}`, method: s.method, quota: s.quota }));
  const frame: FrameRow[] = p.units
    .map((u): FrameRow => [
      u.id,
      `s${u.stratum % strata.length}`,
      u.weight,
      u.mandatory ? 1 : 0,
      u.specialty < SPECIALTIES.length ? SPECIALTIES[u.specialty]! : '',
    ])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const inspectors: InspectorRow[] = p.inspectors.map((ins, i) => {
    const free = i < p.team.size;
    const specialties = free ? [...SPECIALTIES] : SPECIALTIES.filter((_, k) => ins.specialties[k]);
    const excluded =
      free || frame.length === 0
        ? []
        : [...new Set(ins.excluded.map((k) => frame[k % frame.length]![0]))].sort();
    return [`insp-${String(i).padStart(2, '0')}`, ins.capacity, specialties.sort(), excluded];
  });
  const commitment = buildCommitment(draftFor(strata, p.team), frame, inspectors);
  return { commitment, frame, inspectors, values: [p.numbers, p.hex] };
}

/** fast-check arbitrary of small feasible draws. */
export const drawCaseArb: fc.Arbitrary<DrawCase> = fc
  .record({
    units: fc.uniqueArray(
      fc.record({
        id: fc.stringMatching(/^[0-9A-Z]{4,18}$/),
        stratum: fc.nat(5),
        weight: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constant(1_000_000)),
        mandatory: fc.integer({ min: 0, max: 9 }).map((x) => x < 2),
        specialty: fc.nat(5),
      }),
      { selector: (u) => u.id, maxLength: 40 },
    ),
    strata: fc.array(
      fc.record({ method: fc.constantFrom('srs' as const, 'pareto' as const), quota: fc.nat(14) }),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    inspectors: fc.array(
      fc.record({
        capacity: fc.integer({ min: 1, max: 6 }),
        specialties: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        excluded: fc.array(fc.nat(100), { maxLength: 4 }),
      }),
      { minLength: 3, maxLength: 9 },
    ),
    team: fc.record({ assign: fc.boolean(), size: fc.integer({ min: 2, max: 3 }), specialist: fc.boolean() }),
    numbers: fc.array(fc.nat(99), { minLength: 1, maxLength: 6 }),
    hex: fc.stringMatching(/^[0-9a-f]{2,64}$/),
  })
  .map(makeCase);
