import { describe, expect, it } from 'vitest';
import { buildCommitment, drawSrV1, verifyBundle } from './bundle';
import { assignExperts, expertPlan } from './experts';
import type { FrameRow, InspectorRow } from './rows';
import { draftFor } from './testing/fixtures';

const specialties = ['hazardous-chemicals', 'metallurgy', ''];
const frame: FrameRow[] = Array.from({ length: 60 }, (_, i): FrameRow => [
  `U${String(i).padStart(3, '0')}`,
  's0',
  1,
  0,
  specialties[i % 3]!,
]);
const inspectors: InspectorRow[] = ['I1', 'I2', 'I3', 'I4'].map((id): InspectorRow => [
  id,
  30,
  ['hazardous-chemicals', 'metallurgy'],
  [],
]);
const pool = [
  { id: 'E3', specialties: ['metallurgy'] },
  { id: 'E1', specialties: ['hazardous-chemicals'] },
  { id: 'E2', specialties: ['hazardous-chemicals'] },
  { id: 'E4', specialties: ['fireworks'] },
];
const needing = frame.filter((_, i) => i % 2 === 0).map((r) => r[0]);

function bundleWith(numbers: number[]) {
  const draft = draftFor([{ id: 's0', method: 'srs', quota: 30 }], {
    assign: true,
    size: 2,
    specialist: true,
  });
  const plan = { ...draft.plan, experts: expertPlan(pool, needing) as never };
  const commitment = buildCommitment({ ...draft, plan }, frame, inspectors);
  return drawSrV1({ commitment, frame, inspectors, values: [numbers, 'ab'.repeat(16)] });
}

describe('expert assignment beside sr-draw/v1', () => {
  const bundle = bundleWith([3, 14, 15, 92]);
  const experts = assignExperts(bundle);

  it('keeps the bundle verifiable: the expert block is part of the commitment', () => {
    expect(verifyBundle(bundle).ok).toBe(true);
  });

  it('gives exactly the selected units that require one an expert, holding their specialty when anyone does', () => {
    const selected = bundle.result.selected.map((s) => s.unit);
    expect([...experts.keys()].sort()).toEqual(selected.filter((u) => needing.includes(u)).sort());
    for (const [unit, expert] of experts) {
      const specialty = frame.find((r) => r[0] === unit)![4];
      if (specialty === 'hazardous-chemicals') expect(['E1', 'E2']).toContain(expert);
      if (specialty === 'metallurgy') expect(expert).toBe('E3');
    }
  });

  it('balances the load among equally qualified experts', () => {
    const chem = [...experts.entries()].filter(
      ([u]) => frame.find((r) => r[0] === u)![4] === 'hazardous-chemicals',
    );
    const counts = chem.reduce((m, [, e]) => m.set(e, (m.get(e) ?? 0) + 1), new Map<string, number>());
    expect(Math.abs((counts.get('E1') ?? 0) - (counts.get('E2') ?? 0))).toBeLessThanOrEqual(1);
  });

  it('is recomputable from the bundle alone and follows the randomness', () => {
    const again = assignExperts(JSON.parse(JSON.stringify(bundle)));
    expect([...again]).toEqual([...experts]);
    const other = assignExperts(bundleWith([3, 14, 15, 93]));
    expect([...other]).not.toEqual([...experts]);
  });

  it('assigns nothing when the plan names no experts', () => {
    const draft = draftFor([{ id: 's0', method: 'srs', quota: 5 }], {
      assign: true,
      size: 2,
      specialist: false,
    });
    const commitment = buildCommitment(draft, frame, inspectors);
    const plain = drawSrV1({ commitment, frame, inspectors, values: [[1, 2, 3], 'cd'.repeat(16)] });
    expect(assignExperts(plain).size).toBe(0);
  });
});
