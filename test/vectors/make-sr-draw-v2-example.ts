// Regenerates test/vectors/sr-draw-v2-example.json and sr-draw-v2-example-keys.json:
// `npx tsx test/vectors/make-sr-draw-v2-example.ts`, then `npx prettier --write test/vectors/sr-draw-v2-example*.json`.
// The committed files are the reference; test/conformance/sr-draw-v2-example.test.ts checks them.
//
// The drand source is the real League of Entropy quicknet round 657413 (the spec's public vector),
// so the example verifies against the pinned chain. The lottery source is fictional (issue
// "example-1"): it shows the contribution format, and verifiers say its values are not checked.
// The approver's key is derived from a published seed: it signs this example and nothing else.
import { writeFileSync } from 'node:fs';
import {
  buildCommitmentV2,
  drawSrV2,
  ed25519KeyPair,
  makeUscc,
  signOff,
  type ExcludedRow,
  type FrameRowV2,
  type KeyRegistry,
  type PersonRow,
} from '@spotcheck/core';

const uscc = (i: number) => makeUscc('91', '120116', `MA0${String(800 + i).padStart(5, '0')}`);
const frame: FrameRowV2[] = (
  [
    [uscc(1), 'credit-a', 1, 0, '', 0],
    [uscc(2), 'credit-a', 1, 0, '', 0],
    [uscc(3), 'credit-a', 1, 0, 'trade', 0],
    [uscc(4), 'credit-a', 1, 0, '', 0],
    [uscc(5), 'credit-a', 1, 0, '', 0],
    [uscc(6), 'credit-a', 1, 0, '', 0],
    [uscc(7), 'high-risk', 5, 0, 'hazardous-chemicals', 1],
    [uscc(8), 'high-risk', 1, 0, 'hazardous-chemicals', 1],
    [uscc(9), 'high-risk', 2, 0, 'metallurgy', 0],
    [uscc(10), 'high-risk', 3, 0, '', 0],
    [uscc(11), 'high-risk', 1, 1, '', 1],
    [uscc(12), 'high-risk', 1, 0, '', 0],
  ] as FrameRowV2[]
).sort((a, b) => (a[0] < b[0] ? -1 : 1));
// Every roster unit outside the frame, with its reason: a closed unit, one at its yearly ceiling,
// one outside the plan's scope.
const excluded: ExcludedRow[] = (
  [
    [uscc(13), 'closed'],
    [uscc(14), 'ceiling-reached'],
    [uscc(15), 'out-of-scope'],
  ] as ExcludedRow[]
).sort((a, b) => (a[0] < b[0] ? -1 : 1));
const inspectors: PersonRow[] = [
  ['TJ-BH-0101', 3, ['hazardous-chemicals'], [[uscc(7), 'avoid']]],
  ['TJ-BH-0102', 3, ['hazardous-chemicals', 'metallurgy'], [[uscc(9), 'last-team']]],
  ['TJ-BH-0103', 3, ['trade'], [[uscc(9), 'last-team']]],
  ['TJ-BH-0104', 3, ['hazardous-chemicals', 'trade'], []],
  ['TJ-BH-0105', 2, ['metallurgy'], []],
  ['TJ-BH-0106', 2, ['metallurgy'], [[uscc(12), 'jurisdiction']]],
];
const experts: PersonRow[] = [
  ['EXP-TJ-001', 1, ['hazardous-chemicals'], []],
  ['EXP-TJ-002', 2, ['metallurgy'], []],
  ['EXP-TJ-003', 2, ['hazardous-chemicals'], [[uscc(8), 'avoid']]],
];
for (const list of [inspectors, experts]) for (const r of list) r[3].sort((a, b) => (a[0] < b[0] ? -1 : 1));

const commitment = buildCommitmentV2(
  {
    plan: { id: 'binhai-2023-q3-example', bureau: '120116', period: '2023-Q3', kind: 'general', attempt: 1 },
    rulePacks: [
      { id: 'tianjin/binhai', version: '2023.3', digest: '5'.repeat(64) },
      { id: 'tianjin/city', version: '2023.2', digest: '4'.repeat(64) },
    ],
    checklist: { id: 'binhai-general', version: '3', digest: '6'.repeat(64) },
    strata: [
      { id: 'high-risk', method: 'pareto', quota: 2 },
      { id: 'credit-a', method: 'srs', quota: 2 },
    ],
    team: { assign: true, size: 2, specialist: true },
    sources: [
      {
        kind: 'drand',
        chain: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
        round: 657413,
      },
      { kind: 'lottery', game: 'cwl-3d', issue: 'example-1', drawDate: '2023-09-17' },
    ],
    previous: null,
    committedAt: '2023-09-15T10:00:00Z',
  },
  { frame, excluded, inspectors, experts },
);
const drawn = drawSrV2({
  commitment,
  frame,
  excluded,
  inspectors,
  experts,
  values: [
    'b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b',
    [[7, 0, 3]],
  ],
});
const key = ed25519KeyPair(new TextEncoder().encode('sr-draw/v2 example approver (published seed)'));
const signer = { id: 'bh-lead-01', name: '滨海新区应急管理局分管领导' };
const bundle = {
  ...drawn,
  signOff: signOff(key.secretKey, signer, '2023-09-18T02:00:00Z', drawn.commitmentDigest, drawn.resultDigest),
};
const registry: KeyRegistry = {
  spec: 'sr-draw/v2/keys',
  bureau: '120116',
  keys: [
    {
      keyId: key.keyId,
      publicKey: key.publicKey,
      signer,
      validFrom: '2023-09-01T00:00:00Z',
      validUntil: null,
    },
  ],
};
writeFileSync(new URL('./sr-draw-v2-example.json', import.meta.url), `${JSON.stringify(bundle, null, 1)}\n`);
writeFileSync(
  new URL('./sr-draw-v2-example-keys.json', import.meta.url),
  `${JSON.stringify(registry, null, 1)}\n`,
);
