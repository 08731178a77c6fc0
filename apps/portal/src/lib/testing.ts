/** A small signed-looking sr-draw/v1 bundle for the portal's unit tests. */
import {
  buildCommitment,
  drawSrV1,
  type DrawBundle,
  type FrameRow,
  type InspectorRow,
} from '@spotcheck/core';

/** Draws a 12-unit, 4-inspector bundle in two strata (srs and pareto). */
export function sampleBundle(): DrawBundle {
  const frame: FrameRow[] = Array.from({ length: 12 }, (_, i) => [
    `91120116MA0${String(i).padStart(7, '0')}`,
    i % 2 === 0 ? 'credit-a' : 'risk-high',
    1 + (i % 3),
    i === 5 ? 1 : 0,
    '',
  ]);
  const inspectors: InspectorRow[] = Array.from({ length: 4 }, (_, i) => [
    `I120116-000${i + 1}`,
    6,
    [],
    i === 0 ? [frame[0]![0]] : [],
  ]);
  const commitment = buildCommitment(
    {
      plan: { id: 'plan-1', bureau: '120116', period: '2027-Q1', kind: 'general' },
      rulePack: { id: 'tianjin/binhai', version: '1', digest: 'ab'.repeat(32) },
      checklist: { id: 'cl-1', version: '2', digest: 'cd'.repeat(32) },
      strata: [
        { id: 'risk-high', method: 'pareto', quota: 2 },
        { id: 'credit-a', method: 'srs', quota: 2 },
      ],
      team: { assign: true, size: 2, specialist: false },
      sources: [{ kind: 'numbers', name: '福彩3D', issue: '2027001' }],
      committedAt: '2027-01-04T09:00:00Z',
    },
    frame,
    inspectors,
  );
  return drawSrV1({ commitment, frame, inspectors, values: [[3, 1, 4]] });
}
