/**
 * sr-draw/v1 at city scale (B5): a 10^6-unit frame, 5·10^4 picks across strata, teams from
 * ~300 inspectors. Not a test: prints wall times, peak memory and the ratio to the bare
 * HMAC-SHA256 floor for 10^6 keys. Run from the repo root with `npm run bench`, or
 * `npx tsx packages/core/bench/draw.bench.ts` (env BENCH_UNITS, BENCH_PICKS, BENCH_INSPECTORS, BENCH_BACKENDS=noble,node).
 */
import { createHmac } from 'node:crypto';
import { cpus } from 'node:os';
import {
  buildCommitment,
  drawSrV1,
  enc,
  INDUSTRY_IDS,
  nobleHasher,
  packIds,
  type DrawHasher,
  type FrameRow,
  type InspectorRow,
  type StratumSpec,
  type TeamSpec,
} from '../src/index';
import { nodeCryptoHasher } from '../src/draw/node';

const UNITS = Number(process.env.BENCH_UNITS ?? 1_000_000);
const PICKS = Number(process.env.BENCH_PICKS ?? 50_000);
const INSPECTORS = Number(process.env.BENCH_INSPECTORS ?? 300);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'noble,node').split(',');

// mulberry32: a small deterministic generator for the synthetic city (not used by the draw).
let seed = 20270104;
const rand = (n: number) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) % n;
};

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const v = f();
  return [v, (performance.now() - t) / 1000];
};
const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
const s = (sec: number) => `${sec.toFixed(2)} s`;

// Eight strata: four srs (credit grades), four pareto (risk-weighted); 0.5% mandatory units.
const STRATA = [
  'credit-a',
  'credit-b',
  'credit-c',
  'credit-d',
  'risk-low',
  'risk-medium',
  'risk-high',
  'risk-major',
];
const frame: FrameRow[] = [];
const mandatoryCount = Math.floor(UNITS / 200);
for (let i = 0; i < UNITS; i++) {
  const stratum = STRATA[rand(STRATA.length)]!;
  const weight = stratum.startsWith('risk') ? 1 + rand(5) : 1;
  const specialty = rand(5) === 0 ? INDUSTRY_IDS[rand(INDUSTRY_IDS.length)]! : '';
  frame.push([`91120116MA${String(i).padStart(8, '0')}`, stratum, weight, i % 200 === 7 ? 1 : 0, specialty]);
}
const quota = Math.floor((PICKS - mandatoryCount) / STRATA.length);
const strata: StratumSpec[] = STRATA.map((id) => ({
  id,
  method: id.startsWith('risk') ? 'pareto' : 'srs',
  quota,
})).sort((a, b) => (a.id < b.id ? -1 : 1));
const inspectors: InspectorRow[] = [];
for (let i = 0; i < INSPECTORS; i++) {
  const specs = new Set<string>();
  specs.add(INDUSTRY_IDS[i % INDUSTRY_IDS.length]!);
  if (rand(2)) specs.add(INDUSTRY_IDS[rand(INDUSTRY_IDS.length)]!);
  const excluded = new Set<string>();
  for (let k = 0; k < 20; k++) excluded.add(frame[rand(UNITS)]![0]);
  inspectors.push([
    `TJ-${String(i).padStart(5, '0')}`,
    Math.ceil((2 * PICKS) / INSPECTORS) + 5,
    [...specs].sort(),
    [...excluded].sort(),
  ]);
}
const draft = (team: TeamSpec) => ({
  plan: { id: 'bench', bureau: '120000', period: '2027-Q1', kind: 'general' as const },
  rulePack: { id: 'tianjin', version: '1', digest: '0'.repeat(64) },
  checklist: { id: 'general', version: '1', digest: '1'.repeat(64) },
  strata,
  team,
  sources: [
    { kind: 'numbers' as const, name: 'lottery', issue: '1' },
    { kind: 'hex' as const, name: 'drand', issue: '2' },
  ],
  committedAt: '2027-01-04T09:00:00Z',
});
const values: [number[], string] = [[3, 1, 4, 1, 5], '9f'.repeat(32)];

const rows: [string, string][] = [];
const [commitment, tCommit] = time(() =>
  buildCommitment(draft({ assign: true, size: 2, specialist: true }), frame, inspectors),
);
rows.push(['commit: validate rows, frame + inspector digests, feasibility', s(tCommit)]);
const unitsOnly = buildCommitment(draft({ assign: false, size: 2, specialist: false }), frame, inspectors);

const backends: Record<string, DrawHasher> = { noble: nobleHasher, node: nodeCryptoHasher };
const results: Record<string, { digest: string; seconds: number; selected: number }> = {};
for (const name of BACKENDS) {
  const hasher = backends[name]!;
  const [noTeams, tNoTeams] = time(() =>
    drawSrV1({ commitment: unitsOnly, frame, inspectors, values }, { hasher }),
  );
  rows.push([
    `draw, units only (validate, digests, ${UNITS} select keys, ranking, order) [${hasher.name}]`,
    s(tNoTeams),
  ]);
  const [bundle, tDraw] = time(() => drawSrV1({ commitment, frame, inspectors, values }, { hasher }));
  rows.push([
    `draw with teams (adds ${noTeams.result.selected.length} × ~${INSPECTORS} assign keys) [${hasher.name}]`,
    s(tDraw),
  ]);
  results[name] = { digest: bundle.resultDigest, seconds: tDraw, selected: bundle.result.selected.length };
}

// The floor: 10^6 bare HMAC-SHA256 keys over 18-byte unit ids.
const ids = packIds(1_000_000, (i) => frame[i % UNITS]![0]);
const prk = new Uint8Array(32).fill(7);
const [, tFloorNode] = time(() => {
  for (let i = 0; i < 1_000_000; i++)
    createHmac('sha256', prk)
      .update(frame[i % UNITS]![0])
      .digest();
});
const out = new Uint32Array(8 * 1_000_000);
const [, tFloorNoble] = time(() =>
  nobleHasher.expander(prk).expand(enc('sr-draw/v1', 'select', 'x'), ids, null, 1_000_000, out, 0),
);
rows.push(['floor: 10^6 bare HMAC-SHA256, node:crypto createHmac per key', s(tFloorNode)]);
rows.push(['floor: 10^6 keys, noble midstate expander', s(tFloorNoble)]);
const floor = Math.min(tFloorNode, tFloorNoble);
for (const [name, r] of Object.entries(results))
  rows.push([`ratio draw with teams / floor [${name}]`, `${(r.seconds / floor).toFixed(1)}×`]);

const digests = new Set(Object.values(results).map((r) => r.digest));
if (digests.size !== 1) throw new Error(`backends disagree: ${JSON.stringify(results)}`);
const maxRss = process.resourceUsage().maxRSS * 1024;
console.log(
  `\nsr-draw/v1 bench — ${UNITS} units, ${Object.values(results)[0]!.selected} selected, ${INSPECTORS} inspectors`,
);
console.log(
  `node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, ${new Date().toISOString().slice(0, 10)}\n`,
);
console.log('| step | wall time |\n|---|---|');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
console.log(`| peak RSS (resourceUsage maxRSS) | ${mb(maxRss)} |`);
console.log(`| heap used at end | ${mb(process.memoryUsage().heapUsed)} |`);
console.log(`\nresultDigest ${[...digests][0]} (identical across backends)`);
