// Benchmark (not a test): classify 10^7 units in batches, as approval reads a roster from a cursor:
// does memory stay flat? Each batch is generated, classified with `classifyMany` (tianjin/city +
// tianjin/binhai) and dropped, keeping only a count per stratum. Prints the time in classifyMany,
// the engine runs, and the peak RSS after the first 10^6 units and at the end.
// Run: cd packages/rules && npx tsx bench/classify-stream.bench.ts   (env UNITS=10000000 BATCH=50000 PACK=tianjin/binhai)
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateUnits, PackRegistry, periodOfYear } from '../src/index';
import { discoverPacks } from '../src/load';

const UNITS = Number(process.env.UNITS ?? 10_000_000);
const BATCH = Number(process.env.BATCH ?? 50_000);
const PACK = process.env.PACK ?? 'tianjin/binhai';
const root = join(fileURLToPath(import.meta.url), '../../../..');
const startLoad = loadavg()[0]!.toFixed(1);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

const registry = new PackRegistry();
if (!registry.load(discoverPacks(join(root, 'rules'), root)).ok) throw new Error('rule packs do not load');
const classifier = registry.classifier(PACK);
const period = periodOfYear(2027);
const bureau = classifier.pack.bureau ?? '120116';

// BENCH_CACHE=0: a fresh cache per batch, as before approval kept one per roster.
const cache = process.env.BENCH_CACHE === '0' ? undefined : classifier.bulkCache(period);
const strata = new Map<string, number>();
let engineRuns = 0;
let classifyMs = 0;
let classifyCpu = 0;
let peakAt1e6 = 0;
const t0 = performance.now();
for (let first = 0; first < UNITS; first += BATCH) {
  const units = generateUnits(Math.min(BATCH, UNITS - first), { seed: 42 + first, bureaus: [bureau], first });
  const c = process.cpuUsage();
  const t = performance.now();
  const res = await classifier.classifyMany(units, period, { onWarning: () => {}, cache });
  classifyMs += performance.now() - t;
  const used = process.cpuUsage(c);
  classifyCpu += (used.user + used.system) / 1000;
  engineRuns += res.engineRuns;
  for (const r of res.results) strata.set(r.stratum, (strata.get(r.stratum) ?? 0) + 1);
  if (first + BATCH >= 1_000_000 && peakAt1e6 === 0) peakAt1e6 = peakRss();
  if ((first / BATCH) % 20 === 19) process.stderr.write(`${first + BATCH}/${UNITS}\n`);
}
const totalMs = performance.now() - t0;

const lines = [
  `pack ${PACK}, period 2027, ${UNITS.toLocaleString('en')} generated units in batches of ${BATCH.toLocaleString('en')}, ${cache ? 'one cache for all batches' : 'no cache across batches'}`,
  `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z, load average ${startLoad} at start, ${loadavg()[0]!.toFixed(1)} at end`,
  '',
  '| units | classifyMany wall | classifyMany CPU | per unit | engine runs | whole run (with generating) | peak RSS after 10^6 | peak RSS at the end |',
  '|---|---|---|---|---|---|---|---|',
  `| ${UNITS.toLocaleString('en')} | ${(classifyMs / 1000).toFixed(1)} s | ${(classifyCpu / 1000).toFixed(1)} s | ${((classifyMs * 1000) / UNITS).toFixed(2)} µs | ${engineRuns.toLocaleString('en')} | ${(totalMs / 1000).toFixed(1)} s | ${peakAt1e6 ? mb(peakAt1e6) : '—'} | ${mb(peakRss())} |`,
  '',
  `strata: ${[...strata].map(([s, n]) => `${s} ${n}`).join(', ')}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
