/**
 * The target roster's list through the product (issue 16): a signed-in district admin's page of
 * 50 units (`units.list` over HTTP, session cookie, tRPC), offered at a fixed rate, against a bare
 * `node:http` server answering the same bytes at the same rate — the floor, in the same run.
 * The demo city is seeded on PostgreSQL (BENCH_PG_URL, default the local server) in a database
 * made for the run and dropped after. Not a test: prints a table to paste into BENCHMARKS.md.
 * Usage: `npx tsx apps/api/bench/units-list.bench.ts` (env BENCH_UNITS, default 10^5; BENCH_RATE
 * requests/s offered, default 500; BENCH_SECONDS, default 10).
 *
 * Each server is measured under two loads, both generated in a child process (`load.ts`): an open
 * loop (the target: a request every 1/rate s, latency from its scheduled time) and
 * autocannon's rate cap (each connection's budget per second sent at once, so a burst of a
 * second's requests; the figures measured before). The API server runs in a process of its own
 * (`server-child.ts`), the bare one in this process.
 */
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { createSession, createUser } from '@spotcheck/api';
import { seedDemoCity } from '@spotcheck/demo';
import { offerLoad } from './load';
import { benchDatabase } from './pg';
import { startServerChild } from './server-child';

const UNITS = Number(process.env.BENCH_UNITS ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const load0 = loadavg()[0]!;

const { database, url, drop } = await benchDatabase('spotcheck_bench_list');
try {
  const seeded = performance.now();
  await seedDemoCity(database, { units: UNITS });
  const seedSeconds = (performance.now() - seeded) / 1000;
  // The seed's 10^6 rows written out before the load, not by a checkpoint in the middle of it
  // (the steady state of a roster loaded long ago; the bench connects as a superuser).
  await database.exec('CHECKPOINT');
  const user = await createUser(database.db, {
    username: 'bench-admin',
    displayName: '基准测试管理员',
    password: 'Bench-list-2027!',
    bureauCode: '120116',
    roles: [{ role: 'district-admin', bureauCode: '120116' }],
  });
  const { token } = await createSession(database.db, user.id, new Date());
  // The API server in a process of its own, as deployed: not beside the seed's heap, and its CPU
  // time is its own.
  const server = await startServerChild(url.toString());
  const serverCpu = async () => (await server.memory()).cpu;
  const input = encodeURIComponent(JSON.stringify({ bureauCode: '120116', limit: 50, offset: 0 }));
  const listUrl = `${server.url}/trpc/units.list?input=${input}`;
  // Both servers answer uncompressed (no Accept-Encoding): the same bytes on the wire.
  const headers = { cookie: `spotcheck_session=${token}` };
  const sample = await fetch(listUrl, { headers });
  const body = Buffer.from(await sample.arrayBuffer());
  const answer = JSON.parse(body.toString('utf8')) as { result: { data: { total: number } } };
  const bare = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  await new Promise<void>((done) => bare.listen(0, '127.0.0.1', done));
  const bareUrl = `http://127.0.0.1:${(bare.address() as { port: number }).port}/`;

  const measure = async (target: string, generator: 'open' | 'autocannon') => {
    const own = target === bareUrl;
    const cpu0 = own ? process.cpuUsage() : null;
    const child0 = own ? 0 : await serverCpu();
    const r = await offerLoad({
      url: target,
      connections: 100,
      rate: RATE,
      seconds: SECONDS,
      headers,
      generator,
    });
    // The serving process's CPU per answered request (the load runs in a process of its own).
    const cpu = cpu0 ? process.cpuUsage(cpu0) : null;
    const seconds = cpu ? (cpu.user + cpu.system) / 1e6 : (await serverCpu()) - child0;
    return { ...r, cpuMs: (seconds * 1000) / Math.max(1, r.rps * SECONDS) };
  };
  // The floors first, then two warm-up runs of the list (the JIT, and each pooled connection's
  // backend and prepared statements: the first run after a start is saturated throughout).
  const floors = { open: await measure(bareUrl, 'open'), autocannon: await measure(bareUrl, 'autocannon') };
  for (let i = 0; i < 2; i++) await measure(listUrl, 'open');
  const runs: {
    generator: 'open' | 'autocannon';
    label?: string;
    floor: typeof floors.open;
    list: typeof floors.open;
  }[] = [];
  for (const generator of ['open', 'autocannon'] as const)
    runs.push({ generator, floor: floors[generator], list: await measure(listUrl, generator) });
  // A burst after a quiet spell: the pool keeps its connections (and their prepared statements)
  // through 20 idle seconds (node-postgres's default had closed them after 10).
  await new Promise((done) => setTimeout(done, 20_000));
  runs.push({
    generator: 'open',
    label: 'after 20 s idle',
    floor: floors.open,
    list: await measure(listUrl, 'open'),
  });

  console.log(
    `\nunits.list — ${UNITS.toLocaleString('en')} units (seeded in ${seedSeconds.toFixed(0)} s), Binhai page of 50 ` +
      `(${answer.result.data.total.toLocaleString('en')} counted), ${body.length} bytes, ${RATE} req/s offered for ${SECONDS} s`,
  );
  console.log(
    `node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model.trim()}, PostgreSQL at ${url.host}, ` +
      `${new Date().toISOString().slice(0, 16)}Z, load average ${load0.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end\n`,
  );
  console.log(
    '| load (generator) | server | achieved req/s | p50 | p99 | errors | ratio to bare | server CPU / request | generator CPU |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const { generator, label: after, floor, list } of runs)
    for (const [label, r] of after
      ? ([[`\`units.list\`, ${after}`, list]] as const)
      : ([
          ['bare `node:http`, the same bytes (floor)', floor],
          ['`units.list` (session, scope, page and total)', list],
        ] as const))
      console.log(
        `| ${generator === 'open' ? 'open loop' : 'autocannon, per-second budget'} | ${label} | ${r.rps.toFixed(0)} | ` +
          `${r.p50} ms | ${r.p99} ms | ${r.errors} | ${(r.rps / floor.rps).toFixed(2)}× | ` +
          `${r.cpuMs.toFixed(2)} ms | ${r.cpuSeconds.toFixed(1)} s |`,
      );
  // Requests still in flight when the last run stopped finish before the pool closes.
  await new Promise((done) => setTimeout(done, 3000));
  await server.stop();
  bare.close();
} finally {
  await drop();
}
