/**
 * sr-draw/v2 with the frame read in chunks (`computeResultV2Streamed`), at 10^7 units by default:
 * does memory stay flat as the frame grows? Not a test: prints wall and CPU time of each step and
 * the peak RSS. The frame is generated chunk by chunk from the row number (nothing holds it whole);
 * 8 strata (4 srs, 4 pareto with weights 1–5), 0.5 % mandatory, 20 % needing a specialty, 2 %
 * needing an expert, 5·10^4 picks, 300 inspectors and 60 experts with 20 exclusions each, teams of
 * 2 with a specialist. In the same run: the floor (every select key through the batched expander,
 * chunk by chunk) and, up to 2·10^6 units, the in-memory `computeResultV2` on the same frame, whose
 * result must be identical. Run: `npx tsx packages/core/bench/draw-stream.bench.ts` (env
 * BENCH_UNITS, default 10^7; BENCH_CHUNK, default 65,536 rows; BENCH_COMPARE=0/1).
 */
import { cpus, loadavg } from 'node:os';
import {
  computeResultV2,
  computeResultV2Streamed,
  demoBeacon,
  enc,
  excludedDigest,
  frameDigestStream,
  INDUSTRY_IDS,
  makeUscc,
  nobleHasher,
  packIds,
  personsDigest,
  randomnessStringV2,
  sha256Canonical,
  sha256hex,
  validateCommitmentV2,
  validateFrameRowsV2,
  type CommitmentV2,
  type FrameRowV2,
  type PersonRow,
  type SourceSpecV2,
  type StratumSpec,
} from '../src/index';
import { cpuOf, STRATA, time } from './city';

await import('../src/draw/node');
const UNITS = Number(process.env.BENCH_UNITS ?? 10_000_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 65_536);
const COMPARE = process.env.BENCH_COMPARE ? process.env.BENCH_COMPARE === '1' : UNITS <= 2_000_000;
const PICKS = 50_000;
const INSPECTORS = 300;
const EXPERTS = 60;
if (UNITS > 1e7) throw new Error('BENCH_UNITS: unit ids have 7 digits, at most 10^7 units');

/** A 32-bit hash of (i, salt): each row is a pure function of its number, so every pass sees it again. */
const mix = (i: number, salt: number): number => {
  let h = Math.imul(i ^ salt, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};
const uscc = (i: number) => makeUscc('91', '120116', `M${String(i).padStart(7, '0')}`);
const rowAt = (i: number): FrameRowV2 => {
  const stratum = STRATA[mix(i, 1) % STRATA.length]!;
  return [
    uscc(i),
    stratum,
    stratum.startsWith('risk') ? 1 + (mix(i, 2) % 5) : 1,
    i % 200 === 7 ? 1 : 0,
    mix(i, 3) % 5 === 0 ? INDUSTRY_IDS[mix(i, 4) % INDUSTRY_IDS.length]! : '',
    mix(i, 5) % 50 === 0 ? 1 : 0,
  ];
};
function* frame(): Iterable<FrameRowV2[]> {
  for (let from = 0; from < UNITS; from += CHUNK) {
    const to = Math.min(UNITS, from + CHUNK);
    const rows = new Array<FrameRowV2>(to - from);
    for (let i = from; i < to; i++) rows[i - from] = rowAt(i);
    yield rows;
  }
}

const peak = () => `${Math.round((process.resourceUsage().maxRSS * 1024) / 1048576)} MB`;
const load0 = loadavg()[0]!;
const table: [string, string][] = [];
const row = (label: string, sec: number, rss = '') =>
  table.push([label, `${sec.toFixed(2)} s | ${cpuOf.get(sec)!.toFixed(2)} s | ${rss}`]);

const reasons = ['avoid', 'jurisdiction', 'last-team'] as const;
const person = (id: string, capacity: number, n: number): PersonRow => {
  const specs = [
    ...new Set([INDUSTRY_IDS[n % INDUSTRY_IDS.length]!, INDUSTRY_IDS[mix(n, 6) % INDUSTRY_IDS.length]!]),
  ];
  const ex = new Map<string, (typeof reasons)[number]>();
  for (let k = 0; k < 20; k++) ex.set(uscc(mix(n * 20 + k, 7) % UNITS), reasons[mix(n * 20 + k, 8) % 3]!);
  return [id, capacity, specs.sort(), [...ex].sort((a, b) => (a[0] < b[0] ? -1 : 1))];
};
const inspectors = Array.from({ length: INSPECTORS }, (_, i) =>
  person(`TJ-${String(i).padStart(5, '0')}`, Math.ceil((2 * PICKS) / INSPECTORS) + 5, i),
);
const experts = Array.from({ length: EXPERTS }, (_, i) =>
  person(`EXP-${String(i).padStart(3, '0')}`, Math.ceil(PICKS / 50 / EXPERTS) + 3, 100_000 + i),
);

// What the commitment needs of the frame, read once: validation of every row, the digest, the
// mandatory count (the quotas are what is left of the picks).
const [summary, tSummary] = time(() => {
  const digest = frameDigestStream();
  let at = 0;
  let prev = '';
  let mandatory = 0;
  for (const rows of frame()) {
    validateFrameRowsV2(rows, 'frame', at, prev);
    digest.update(rows);
    for (const r of rows) mandatory += r[3];
    at += rows.length;
    prev = rows[rows.length - 1]![0];
  }
  return { count: at, digest: digest.digest(), mandatory };
});
row(`frame read once: ${UNITS} rows validated and hashed (the commitment's frame digest)`, tSummary, peak());

const quota = Math.floor((PICKS - summary.mandatory) / STRATA.length);
const strata: StratumSpec[] = STRATA.map((id) => ({
  id,
  method: id.startsWith('risk') ? 'pareto' : 'srs',
  quota,
}));
const beacon = demoBeacon('bench', Date.UTC(2027, 0, 1) / 1000);
const committedAt = '2027-01-04T09:00:00Z';
const round = beacon.roundAt(Date.parse(committedAt) / 1000) + 100;
const sources: SourceSpecV2[] = [
  beacon.source(round),
  { kind: 'lottery', game: 'cwl-kl8', issue: '2027004', drawDate: '2027-01-05' },
];
const commitment: CommitmentV2 = {
  algorithm: 'sr-draw/v2',
  plan: { id: 'bench', bureau: '120000', period: '2027-Q1', kind: 'general', attempt: 1 },
  rulePacks: [{ id: 'tianjin', version: '1', digest: '0'.repeat(64) }],
  checklist: { id: 'general', version: '1', digest: '1'.repeat(64) },
  frame: { count: summary.count, digest: summary.digest },
  excluded: { count: 0, digest: excludedDigest([]) },
  strata,
  inspectors: { count: INSPECTORS, digest: personsDigest(inspectors) },
  experts: { count: EXPERTS, digest: personsDigest(experts) },
  team: { assign: true, size: 2, specialist: true },
  sources,
  previous: null,
  committedAt,
};
validateCommitmentV2(commitment);
const values = [beacon.sign(round).signature, [Array.from({ length: 20 }, (_, i) => 3 * i + 2)]];
const input = {
  commitment,
  commitmentDigest: sha256Canonical(commitment),
  inspectors,
  experts,
  randomness: randomnessStringV2(sources, values),
};

const [result, tStream] = time(() => computeResultV2Streamed({ ...input, frame }));
const resultDigest = sha256hex(result);
row(
  `**streamed draw**: 2 passes (validate + hash each), ${UNITS} select keys, ${result.selected.length} selected, teams and experts`,
  tStream,
  peak(),
);

// Floor, same run: every select key through the batched expander, chunk by chunk (what any draw
// pays); only the expander is timed, not making and packing the ids.
let tKeys = 0;
{
  const expander = nobleHasher.expander(new Uint8Array(32).fill(7));
  const prefix = enc('sr-draw/v2', 'select', 'x');
  const out = new Uint32Array(8 * CHUNK);
  let cpu = 0;
  for (let from = 0; from < UNITS; from += CHUNK) {
    const n = Math.min(CHUNK, UNITS - from);
    const ids = packIds(n, (i) => uscc(from + i));
    const [, t] = time(() => expander.expand(prefix, ids, null, n, out, 0));
    tKeys += t;
    cpu += cpuOf.get(t)!;
  }
  cpuOf.set(tKeys, cpu);
}
row(`floor: ${UNITS} select keys (batched expander, chunk by chunk)`, tKeys);
const rssStreamed = peak();

let same = 'not compared';
if (COMPARE) {
  const whole: FrameRowV2[] = [];
  for (const rows of frame()) for (const r of rows) whole.push(r);
  const [inMemory, tMemory] = time(() => computeResultV2({ ...input, frame: whole }));
  row('in-memory computeResultV2 on the same frame (materialised first)', tMemory, peak());
  same = String(sha256hex(inMemory) === resultDigest);
}

console.log(
  `\nsr-draw/v2 streamed — ${UNITS} units in chunks of ${CHUNK}, ${INSPECTORS} inspectors, ${EXPERTS} experts`,
);
console.log(
  `node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, ${new Date().toISOString().slice(0, 16)}Z, load average ${load0.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end\n`,
);
console.log('| step | wall time | CPU time | peak RSS after |\n|---|---|---|---|');
for (const [k, v] of table) console.log(`| ${k} | ${v} |`);
console.log(`\npeak RSS after the streamed steps: ${rssStreamed}`);
console.log(
  `ratio streamed draw / key floor: ${(tStream / tKeys).toFixed(2)}× wall, ${(cpuOf.get(tStream)! / cpuOf.get(tKeys)!).toFixed(2)}× CPU`,
);
console.log(`resultDigest ${resultDigest}; identical to the in-memory result: ${same}`);
