/**
 * Transparency-log proofs at 10^5 and 10^6 leaves (RFC 9162, `src/log/merkle.ts`): the tree head,
 * an inclusion proof and a consistency proof computed over every leaf (what a cold server pays),
 * then the same through a `SubtreeMemo` once it holds the complete subtrees (what the API's
 * per-database cache pays). Not a test: prints wall and CPU times. Run from the repo root with
 * `npm run bench`, or `npx tsx packages/core/bench/log-proofs.bench.ts` (env BENCH_LOG_SIZES,
 * comma-separated, default `100000,1000000`).
 */
import { cpus, loadavg } from 'node:os';
import {
  consistencyProof,
  hashLeaf,
  inclusionProof,
  SubtreeMemo,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../src/log/merkle';

const SIZES = (process.env.BENCH_LOG_SIZES ?? '100000,1000000').split(',').map(Number);
const REPEAT = 200;

function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 1 ? 3 : 1)} ms`);

console.log(
  `log proofs bench: ${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}, load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}, ${new Date().toISOString()}`,
);
// A fixed pseudo-random index sequence, the same every run.
let seed = 20261130;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};

for (const n of SIZES) {
  const leaves = timed(() => {
    const out: Uint8Array[] = new Array(n);
    const buf = new Uint8Array(8);
    for (let i = 0; i < n; i++) {
      new DataView(buf.buffer).setFloat64(0, i);
      out[i] = hashLeaf(buf);
    }
    return out;
  });
  const hashes = leaves.value;
  const rows: [string, string, string][] = [];
  const row = (what: string, r: { wallMs: number; cpuMs: number }, per = 1) =>
    rows.push([what, fmt(r.wallMs / per), fmt(r.cpuMs / per)]);
  row(`${n} leaf hashes (SHA-256 of 9 bytes each)`, leaves);
  const root = timed(() => treeRoot(hashes));
  row('tree head over every leaf (cold)', root);
  const index = rand(n);
  const inc = timed(() => inclusionProof(hashes, index, n));
  row('inclusion proof over every leaf (cold, as the API did)', inc);
  const cons = timed(() => consistencyProof(hashes, Math.floor(n / 2) + 1, n));
  row('consistency proof n/2+1 → n over every leaf (cold)', cons);
  const memo = new SubtreeMemo();
  const warm = timed(() => treeRoot(hashes, n, memo));
  row(`first tree head through a SubtreeMemo (fills it: ${memo.size} subtrees)`, warm);
  const incs = timed(() => {
    let ok = true;
    for (let k = 0; k < REPEAT; k++) {
      const i = rand(n);
      ok &&= verifyInclusion(i, n, hashes[i]!, inclusionProof(hashes, i, n, memo), warm.value);
    }
    return ok;
  });
  if (!incs.value) throw new Error('a memoised inclusion proof did not verify');
  row(`inclusion proof through the memo (mean of ${REPEAT}, each verified)`, incs, REPEAT);
  const grown = timed(() => {
    let ok = true;
    for (let k = 0; k < REPEAT; k++) {
      const m = 1 + rand(n - 1);
      ok &&= verifyConsistency(
        m,
        n,
        treeRoot(hashes, m, memo),
        warm.value,
        consistencyProof(hashes, m, n, memo),
      );
    }
    return ok;
  });
  if (!grown.value) throw new Error('a memoised consistency proof did not verify');
  row(
    `consistency proof m → n through the memo, with the root of m (mean of ${REPEAT}, verified)`,
    grown,
    REPEAT,
  );
  const mem = process.memoryUsage();
  console.log(
    `\n${n} leaves (heap ${Math.round(mem.heapUsed / 2 ** 20)} MB, rss ${Math.round(mem.rss / 2 ** 20)} MB)`,
  );
  for (const [what, wall, cpu] of rows)
    console.log(`  ${what.padEnd(96)} ${wall.padStart(10)} ${cpu.padStart(10)}`);
}
