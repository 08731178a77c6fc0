/**
 * sr-draw/v2 at city scale: a 10^6-unit frame, 5·10^4 picks, teams of 2 from 300 inspectors with a
 * specialist, experts for 2 % of units. Not a test: prints wall times, peak memory and ratios to
 * sr-draw/v1 and to a bare SHA-256 floor measured in the same run. Run from the repo root with
 * `npm run bench`, or `npx tsx packages/core/bench/draw-v2.bench.ts` (env BENCH_UNITS, BENCH_PICKS,
 * BENCH_INSPECTORS, BENCH_V1_TEAMS=0 to skip v1's 1.5·10^7-key team step, BENCH_SHA=noble to hash canonical
 * text with noble as a browser does, instead of node:crypto as the API and the CLI do).
 */
import { createHash } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import {
  buildCommitment,
  buildCommitmentV2,
  computeResultV2,
  demoBeacon,
  drawSrV1,
  drawSrV2,
  ed25519KeyPair,
  enc,
  INDUSTRY_IDS,
  makeUscc,
  nobleHasher,
  packIds,
  sha256Canonical,
  signOff,
  verifyBundleV2,
  type ExcludedRow,
  type FrameRow,
  type FrameRowV2,
  type InspectorRow,
  type PersonRow,
  type SourceSpecV2,
  type StratumSpec,
} from '../src/index';
import { cpuOf, STRATA, time } from './city';

if (process.env.BENCH_SHA !== 'noble') await import('../src/draw/node');
const UNITS = Number(process.env.BENCH_UNITS ?? 1_000_000);
const PICKS = Number(process.env.BENCH_PICKS ?? 50_000);
const INSPECTORS = Number(process.env.BENCH_INSPECTORS ?? 300);
const EXPERTS = 60;
const V1_TEAMS = process.env.BENCH_V1_TEAMS !== '0';

// mulberry32: a small deterministic generator for the synthetic city (not used by the draw).
let seed = 20270104;
const rand = (n: number) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) % n;
};
const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
const s = (sec: number) => `${sec.toFixed(2)} s | ${cpuOf.has(sec) ? `${cpuOf.get(sec)!.toFixed(2)} s` : ''}`;
const load0 = loadavg()[0]!;

// The city: valid USCCs (sorted by construction), 8 strata, 0.5 % mandatory, 20 % with a specialty, 2 % needing an expert.
const uscc = (i: number, prefix = 'MA') => makeUscc('91', '120116', `${prefix}${String(i).padStart(6, '0')}`);
const frame: FrameRowV2[] = [];
for (let i = 0; i < UNITS; i++) {
  const stratum = STRATA[rand(STRATA.length)]!;
  const weight = stratum.startsWith('risk') ? 1 + rand(5) : 1;
  const specialty = rand(5) === 0 ? INDUSTRY_IDS[rand(INDUSTRY_IDS.length)]! : '';
  frame.push([uscc(i), stratum, weight, i % 200 === 7 ? 1 : 0, specialty, rand(50) === 0 ? 1 : 0]);
}
const excluded: ExcludedRow[] = Array.from({ length: Math.floor(UNITS / 20) }, (_, i): ExcludedRow => [
  uscc(i, 'MB'),
  ['closed', 'ceiling-reached', 'not-due', 'out-of-scope'][i % 4]!,
]);
const mandatoryCount = frame.reduce((n, r) => n + r[3], 0);
const quota = Math.floor((PICKS - mandatoryCount) / STRATA.length);
const strata: StratumSpec[] = STRATA.map((id) => ({
  id,
  method: id.startsWith('risk') ? 'pareto' : 'srs',
  quota,
}));
const reasons = ['avoid', 'jurisdiction', 'last-team'] as const;
const person = (id: string, capacity: number, extra: number): PersonRow => {
  const specs = new Set<string>([INDUSTRY_IDS[extra % INDUSTRY_IDS.length]!]);
  if (rand(2)) specs.add(INDUSTRY_IDS[rand(INDUSTRY_IDS.length)]!);
  const ex = new Map<string, (typeof reasons)[number]>();
  for (let k = 0; k < 20; k++) ex.set(frame[rand(UNITS)]![0], reasons[rand(3)]!);
  return [id, capacity, [...specs].sort(), [...ex].sort((a, b) => (a[0] < b[0] ? -1 : 1))];
};
const inspectors: PersonRow[] = Array.from({ length: INSPECTORS }, (_, i) =>
  person(`TJ-${String(i).padStart(5, '0')}`, Math.ceil((2 * PICKS) / INSPECTORS) + 5, i),
);
const experts: PersonRow[] = Array.from({ length: EXPERTS }, (_, i) =>
  person(`EXP-${String(i).padStart(3, '0')}`, Math.ceil(PICKS / 50 / EXPERTS) + 3, i),
);

const beacon = demoBeacon('bench', Date.UTC(2027, 0, 1) / 1000);
const committedAt = '2027-01-04T09:00:00Z';
const round = beacon.roundAt(Date.parse(committedAt) / 1000) + 100;
const sources: SourceSpecV2[] = [
  beacon.source(round),
  { kind: 'lottery', game: 'cwl-kl8', issue: '2027004', drawDate: '2027-01-05' },
];
const values = [beacon.sign(round).signature, [Array.from({ length: 20 }, (_, i) => 3 * i + 2)]];
const rows = { frame, excluded, inspectors, experts };

const table: [string, string][] = [];
const [commitment, tCommit] = time(() =>
  buildCommitmentV2(
    {
      plan: { id: 'bench', bureau: '120000', period: '2027-Q1', kind: 'general', attempt: 1 },
      rulePacks: [{ id: 'tianjin', version: '1', digest: '0'.repeat(64) }],
      checklist: { id: 'general', version: '1', digest: '1'.repeat(64) },
      strata,
      team: { assign: true, size: 2, specialist: true },
      sources,
      previous: null,
      committedAt,
    },
    rows,
  ),
);
table.push(['v2 commit: validate rows (USCC check digits), 4 digests, feasibility, sources', s(tCommit)]);

const digest = sha256Canonical(commitment);
const r = `${beacon.sign(round).randomness}/${values[1]![0]!.toString().replaceAll(',', '.')}./`;
const [result, tCompute] = time(() =>
  computeResultV2({ commitment, commitmentDigest: digest, frame, inspectors, experts, randomness: r }),
);
table.push([
  `**v2 draw with teams** (${UNITS} select keys, ranking, order, ${result.selected.length} assign keys + walks, experts)`,
  s(tCompute),
]);
const [bundle, tDraw] = time(() => drawSrV2({ commitment, ...rows, values: values as never }));
table.push(['v2 drawSrV2 (re-validates every row and digest, then the same draw)', s(tDraw)]);
const key = ed25519KeyPair(new TextEncoder().encode('bench'));
const signed = {
  ...bundle,
  signOff: signOff(
    key.secretKey,
    { id: 'lead', name: 'Lead' },
    '2027-01-06T00:00:00Z',
    bundle.commitmentDigest,
    bundle.resultDigest,
  ),
};
const registry = {
  spec: 'sr-draw/v2/keys',
  bureau: '120000',
  keys: [
    {
      keyId: key.keyId,
      publicKey: key.publicKey,
      signer: { id: 'lead', name: 'Lead' },
      validFrom: '2027-01-01T00:00:00Z',
      validUntil: null,
    },
  ],
};
const [report, tVerify] = time(() => verifyBundleV2(signed, { registry }));
if (!report.ok)
  throw new Error(`verification failed: ${JSON.stringify(report.checks.filter((c) => c.status === 'fail'))}`);
table.push(['v2 verifyBundleV2 (all lines incl. BLS pairing, feasibility, result, Ed25519)', s(tVerify)]);
const rssV2 = process.resourceUsage().maxRSS * 1024;

// Floors, same run: bare SHA-256 of each 18-byte unit id (node:crypto, one call per id), and the
// batched noble HMAC expander producing 10^6 keys (what v1 and v2 both pay for select keys).
const [, tSha] = time(() => {
  for (let i = 0; i < UNITS; i++) createHash('sha256').update(frame[i]![0]).digest();
});
table.push([`floor: ${UNITS} bare SHA-256 of unit ids, node:crypto per id`, s(tSha)]);
const ids = packIds(UNITS, (i) => frame[i]![0]);
const out = new Uint32Array(8 * UNITS);
const [, tKeys] = time(() =>
  nobleHasher
    .expander(new Uint8Array(32).fill(7))
    .expand(enc('sr-draw/v2', 'select', 'x'), ids, null, UNITS, out, 0),
);
table.push([`floor: ${UNITS} HMAC keys, noble batched expander`, s(tKeys)]);

// sr-draw/v1 on the same frame (5-column rows, inspectors with v1 exclusion sets).
const frameV1: FrameRow[] = frame.map((row) => [row[0], row[1], row[2], row[3], row[4]]);
const inspectorsV1: InspectorRow[] = inspectors.map((p) => [
  p[0],
  p[1],
  p[2],
  [...new Set(p[3].map((e) => e[0]))],
]);
const draftV1 = (assign: boolean) => ({
  plan: { id: 'bench', bureau: '120000', period: '2027-Q1', kind: 'general' as const },
  rulePack: { id: 'tianjin', version: '1', digest: '0'.repeat(64) },
  checklist: { id: 'general', version: '1', digest: '1'.repeat(64) },
  strata,
  team: { assign, size: 2, specialist: assign },
  sources: [
    { kind: 'numbers' as const, name: 'lottery', issue: '1' },
    { kind: 'hex' as const, name: 'drand', issue: '2' },
  ],
  committedAt,
});
const v1Values: [number[], string] = [[3, 1, 4, 1, 5], '9f'.repeat(32)];
const unitsOnly = buildCommitment(draftV1(false), frameV1, inspectorsV1);
const [, tV1Units] = time(() =>
  drawSrV1({ commitment: unitsOnly, frame: frameV1, inspectors: inspectorsV1, values: v1Values }),
);
table.push(['v1 draw, units only (validate, digests, select keys, ranking, order)', s(tV1Units)]);
let tV1Teams = NaN;
if (V1_TEAMS) {
  const withTeams = buildCommitment(draftV1(true), frameV1, inspectorsV1);
  [, tV1Teams] = time(() =>
    drawSrV1({ commitment: withTeams, frame: frameV1, inspectors: inspectorsV1, values: v1Values }),
  );
  table.push([
    `v1 draw with teams (adds ${result.selected.length} × ~${INSPECTORS} per-pair assign keys)`,
    s(tV1Teams),
  ]);
}
const floor = tKeys;
const ratio = (a: number, b: number, digits = 1) =>
  `${(a / b).toFixed(digits)}× | ${(cpuOf.get(a)! / cpuOf.get(b)!).toFixed(digits)}×`;
table.push(['ratio v2 draw with teams / 10^6-HMAC floor', ratio(tCompute, floor)]);
table.push(['ratio v2 draw with teams / bare SHA-256 floor', ratio(tCompute, tSha, 2)]);
table.push(['ratio v2 drawSrV2 / v1 draw units only', ratio(tDraw, tV1Units, 2)]);
if (V1_TEAMS) table.push(['ratio v1 draw with teams / v2 draw with teams', ratio(tV1Teams, tCompute)]);

console.log(
  `SHA-256 of canonical text: ${process.env.BENCH_SHA === 'noble' ? 'noble (as in a browser)' : 'node:crypto (as in the API and the CLI)'}`,
);
console.log(
  `\nsr-draw/v2 bench — ${UNITS} units, ${result.selected.length} selected, ${INSPECTORS} inspectors, ${EXPERTS} experts`,
);
console.log(
  `node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, ${new Date().toISOString().slice(0, 16)}Z, load average ${load0.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end\n`,
);
console.log('| step | wall time | CPU time |\n|---|---|---|');
for (const [k, v] of table) console.log(`| ${k} | ${v} |`);
console.log(`| peak RSS after the v2 steps (resourceUsage maxRSS) | ${mb(rssV2)} | |`);
console.log(`| peak RSS at the end (v1 frame copy added) | ${mb(process.resourceUsage().maxRSS * 1024)} | |`);
console.log(
  `\nv2 resultDigest ${bundle.resultDigest}; computeResultV2 and drawSrV2 agree: ${sha256Canonical(result).join() === sha256Canonical(bundle.result).join()}`,
);
