/**
 * The public draw bundle through the product (issue 16): requests per second for one draw
 * publication served (a) as `publications.get` through tRPC with on-the-fly compression, (b) as
 * its immutable file `/open/publication/<id>.json` (gzip made once), against (c) a bare
 * `node:http` server sending the same gzip bytes — the floor, measured in the same run.
 * Not a test: prints a table to paste into BENCHMARKS.md.
 * Usage: `npx tsx apps/api/bench/publication-file.bench.ts` (env BENCH_UNITS frame rows, default
 * 10^5; BENCH_SECONDS per run, default 10; BENCH_CONNECTIONS, default 10).
 */
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { makeUscc } from '@spotcheck/core';
import { bureaus, migrateDatabase, openDatabase } from '@spotcheck/db';
import { publish } from '@spotcheck/api/testing';
import { startServer } from '../src/index';

const UNITS = Number(process.env.BENCH_UNITS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const load0 = loadavg()[0]!;

const database = await openDatabase({ dataDir: 'memory://' });
await migrateDatabase(database);
await database.db.insert(bureaus).values([
  { code: '120000', name: '天津市', level: 'city', parentCode: null },
  { code: '120116', name: '滨海新区', level: 'district', parentCode: '120000' },
]);
// A draw-shaped bundle: the frame (USCC, stratum, weight, mandatory, specialty, expert), 5 % picked.
const strata = ['credit-a', 'credit-b', 'risk-high', 'risk-major'];
const frame = Array.from({ length: UNITS }, (_, i) => [
  makeUscc('91', '120116', `MA${String(i).padStart(6, '0')}`),
  strata[i % 4],
  1 + (i % 5),
  i % 200 === 7 ? 1 : 0,
  i % 5 === 0 ? 'hazardous-chemicals' : '',
  i % 50 === 0 ? 1 : 0,
]);
const selected = frame
  .filter((_, i) => i % 20 === 3)
  .map((r, s) => ({
    unit: r[0],
    stratum: r[1],
    reason: 'sampled',
    sequence: s + 1,
    key: (s * 2654435761).toString(16).padStart(64, '0'),
    team: [`TJ-${String(s % 300).padStart(5, '0')}`, `TJ-${String((s + 7) % 300).padStart(5, '0')}`],
    expert: null,
  }));
const row = await publish(database.db, {
  bureauCode: '120116',
  kind: 'draw',
  refId: 'bench',
  title: '基准测试抽取',
  content: { algorithm: 'sr-draw/v2', bundle: { frame, result: { selected } } },
  by: null,
  at: new Date('2027-01-05T02:00:00Z'),
});
const server = await startServer({ database, port: 0, staticMounts: [] });
const fileUrl = `${server.url}/open/publication/${row.id}.json`;
const json = Buffer.from(JSON.stringify(row));
const gz = gzipSync(json);
const bare = createServer((_req, res) => {
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-encoding', 'gzip');
  res.setHeader('content-length', gz.length);
  res.end(gz);
});
await new Promise<void>((done) => bare.listen(0, '127.0.0.1', done));
const bareUrl = `http://127.0.0.1:${(bare.address() as { port: number }).port}/`;
const trpcUrl = `${server.url}/trpc/publications.get?input=${encodeURIComponent(JSON.stringify({ id: row.id }))}`;

interface Run {
  rps: number;
  p99: number;
  errors: number;
}
async function measure(url: string): Promise<Run> {
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'accept-encoding': 'gzip' },
  });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
}
// Warm-up: the first file request serialises and compresses once.
await fetch(fileUrl, { headers: { 'accept-encoding': 'gzip' } }).then((r) => r.arrayBuffer());
const floor = await measure(bareUrl);
const file = await measure(fileUrl);
const viaTrpc = await measure(trpcUrl);

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
console.log(
  `\npublic draw bundle — ${UNITS} frame rows, ${selected.length} selected: ${mb(json.length)} JSON, ${mb(gz.length)} gzip`,
);
console.log(
  `node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model.trim()}, ${new Date().toISOString().slice(0, 16)}Z, ` +
    `load average ${load0.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end; ${CONNECTIONS} connections, ${SECONDS} s each\n`,
);
console.log('| path | req/s | p99 latency | errors | ratio to bare |');
console.log('|---|---|---|---|---|');
for (const [name, r] of [
  ['bare `node:http`, the same gzip bytes (floor)', floor],
  ['`/open/publication/<id>.json` (immutable file, gzip made once)', file],
  ['`publications.get` through tRPC (compressed per request)', viaTrpc],
] as const)
  console.log(
    `| ${name} | ${r.rps.toFixed(1)} | ${r.p99} ms | ${r.errors} | ${(r.rps / floor.rps).toFixed(2)}× |`,
  );
await server.close();
bare.close();
await database.close();
