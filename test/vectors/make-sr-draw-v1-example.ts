// Regenerates test/vectors/sr-draw-v1-example.json: `npx tsx test/vectors/make-sr-draw-v1-example.ts`.
// The committed file (formatted with Prettier) is the reference; test/conformance/sr-draw-v1-example.test.ts checks it.
import { writeFileSync } from 'node:fs';
import {
  buildCommitment,
  buildFrame,
  buildInspectorRows,
  drawSrV1,
  makeUscc,
  teamForKind,
} from '@spotcheck/core';

const uscc = (i: number) => makeUscc('91', '120116', `MA0${String(700 + i).padStart(5, '0')}`);
const units = [
  { unitId: uscc(1), stratumId: 'credit-a', specialty: '' },
  { unitId: uscc(2), stratumId: 'credit-a', specialty: '' },
  { unitId: uscc(3), stratumId: 'credit-a', specialty: 'trade' },
  { unitId: uscc(4), stratumId: 'credit-a', specialty: '' },
  { unitId: uscc(5), stratumId: 'credit-a', specialty: '' },
  { unitId: uscc(6), stratumId: 'credit-a', specialty: '' },
  { unitId: uscc(7), stratumId: 'high-risk', weight: 5, specialty: 'hazardous-chemicals' },
  { unitId: uscc(8), stratumId: 'high-risk', weight: 1, specialty: 'hazardous-chemicals' },
  { unitId: uscc(9), stratumId: 'high-risk', weight: 2, specialty: 'metallurgy' },
  { unitId: uscc(10), stratumId: 'high-risk', weight: 3, specialty: '' },
  { unitId: uscc(11), stratumId: 'high-risk', weight: 1, specialty: '', mandatory: true },
  { unitId: uscc(12), stratumId: 'high-risk', weight: 1, specialty: '' },
];
const built = buildFrame({
  units,
  strata: [
    { id: 'high-risk', method: 'pareto', quota: 2 },
    { id: 'credit-a', method: 'srs', ratio: '1/3' },
  ],
});
const inspectors = buildInspectorRows({
  inspectors: [
    { id: 'TJ-BH-0101', capacity: 2, specialties: ['hazardous-chemicals'], status: 'active' },
    { id: 'TJ-BH-0102', capacity: 2, specialties: ['metallurgy', 'hazardous-chemicals'], status: 'active' },
    { id: 'TJ-BH-0103', capacity: 2, specialties: [], status: 'active' },
    { id: 'TJ-BH-0104', capacity: 2, specialties: ['trade'], status: 'active' },
    { id: 'TJ-BH-0105', capacity: 2, specialties: [], status: 'suspended' },
    { id: 'TJ-BH-0106', capacity: 1, specialties: ['metallurgy'], status: 'active' },
  ],
  conflicts: [{ inspectorId: 'TJ-BH-0101', unitId: uscc(7), reason: 'spouse employed by the unit' }],
  lastTeams: [{ unitId: uscc(9), inspectorIds: ['TJ-BH-0102', 'TJ-BH-0103'] }],
  unitIds: built.rows.map((r) => r[0]),
});
const kind = teamForKind({ kind: 'general' });
const commitment = buildCommitment(
  {
    plan: { id: 'binhai-2027-q1-general', bureau: '120116', period: '2027-Q1', ...kind.plan },
    rulePack: { id: 'tianjin/binhai', version: '2027.1', digest: '5'.repeat(64) },
    checklist: { id: 'binhai-general', version: '3', digest: '6'.repeat(64) },
    strata: built.strata,
    team: kind.team,
    sources: [
      { kind: 'numbers', name: 'China Welfare Lottery 3D', issue: '2027005' },
      { kind: 'hex', name: 'drand quicknet', issue: 'round 12000000' },
    ],
    committedAt: '2027-01-04T09:00:00Z',
  },
  built.rows,
  inspectors.rows,
);
const bundle = drawSrV1({
  commitment,
  frame: built.rows,
  inspectors: inspectors.rows,
  values: [[7, 0, 3], '8f2a61c0e5b3d9741a6e0c2f9b8d4e17a3c5f0b2d6e8a1c4f7b0d3e6a9c2f5b8'],
});
writeFileSync(new URL('./sr-draw-v1-example.json', import.meta.url), `${JSON.stringify(bundle, null, 1)}\n`);
