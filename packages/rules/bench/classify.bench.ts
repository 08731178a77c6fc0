// Benchmark (not a test): classify 10^6 units with tianjin/city + tianjin/binhai, per-unit
// json-rules-engine runs (timed on a sample and extrapolated) vs the truth-vector bulk path.
// Run: npx pnpm@12.4.2 --filter @spotcheck/rules bench   (or: cd packages/rules && npx tsx bench/classify.bench.ts)
// Options: UNITS=1000000 SAMPLE=20000 PACK=tianjin/binhai
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateUnits, PackRegistry, periodOfYear } from '../src/index';
import { discoverPacks } from '../src/load';

const UNITS = Number(process.env.UNITS ?? 1_000_000);
const SAMPLE = Math.min(UNITS, Number(process.env.SAMPLE ?? 20_000));
const PACK = process.env.PACK ?? 'tianjin/binhai';
const root = join(fileURLToPath(import.meta.url), '../../../..');

const startLoad = loadavg()
  .map((x) => x.toFixed(1))
  .join(' ');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

const registry = new PackRegistry();
const load = registry.load(discoverPacks(join(root, 'rules'), root));
if (!load.ok) throw new Error('rule packs do not load');
const classifier = registry.classifier(PACK);
const period = periodOfYear(2027);

let t = performance.now();
const units = generateUnits(UNITS, { seed: 42, bureaus: [classifier.pack.bureau ?? '120116'] });
const genMs = performance.now() - t;
const rssAfterRoster = process.memoryUsage().rss;

// Bulk path: three full runs (each starts with empty caches); report the first (cold) and the best.
const bulkTimes: number[] = [];
let bulk = undefined as unknown as Awaited<ReturnType<typeof classifier.classifyMany>>;
for (let run = 0; run < 3; run++) {
  t = performance.now();
  bulk = await classifier.classifyMany(units, period, {
    progressEvery: 250_000,
    onProgress: (d, n) => process.stderr.write(`bulk run ${run + 1}: ${d}/${n}\n`),
  });
  bulkTimes.push(performance.now() - t);
}
const bulkMs = Math.min(...bulkTimes);
const peakAfterBulk = peakRss();

t = performance.now();
for (let i = 0; i < SAMPLE; i++) {
  const c = await classifier.classify(units[i], period);
  if (c.stratum !== bulk.results[i]!.stratum) throw new Error(`mismatch at ${i}`);
}
const sampleMs = performance.now() - t;
const perUnitUs = (sampleMs * 1000) / SAMPLE;
const extrapolatedMs = (sampleMs / SAMPLE) * UNITS;

const lines = [
  `pack ${PACK} (${classifier.pack.rules.length} rules, ${classifier.pack.leaves.length} distinct leaf conditions), period 2027`,
  `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average at start ${startLoad}`,
  `roster: ${UNITS.toLocaleString('en')} generated units in ${(genMs / 1000).toFixed(1)} s, RSS ${mb(rssAfterRoster)}`,
  '',
  '| path | units | wall time | per unit | engine runs | peak RSS |',
  '|---|---|---|---|---|---|',
  `| per-unit json-rules-engine (sample of ${SAMPLE.toLocaleString('en')}, extrapolated) | ${UNITS.toLocaleString('en')} | ≈ ${(extrapolatedMs / 1000).toFixed(0)} s (sample: ${(sampleMs / 1000).toFixed(1)} s) | ${perUnitUs.toFixed(0)} µs | ${UNITS.toLocaleString('en')} | (same process) |`,
  `| bulk classifyMany (truth-vector fast path), best of 3 (cold first run: ${(bulkTimes[0]! / 1000).toFixed(2)} s) | ${UNITS.toLocaleString('en')} | ${(bulkMs / 1000).toFixed(2)} s | ${((bulkMs * 1000) / UNITS).toFixed(2)} µs | ${bulk.engineRuns} | ${mb(peakAfterBulk)} |`,
  '',
  `speed-up: ${(extrapolatedMs / bulkMs).toFixed(0)}× (best run), ${(extrapolatedMs / bulkTimes[0]!).toFixed(0)}× (cold run)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
