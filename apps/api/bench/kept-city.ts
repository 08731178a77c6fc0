/**
 * One step of the city workflow again, on a city `workflow.bench.ts` kept (`BENCH_KEEP=1`): its
 * time and the memory it takes, in a process of its own, to see what one change does without
 * seeding 10^6 units again. Not a test, and not part of `npm run bench`.
 * Usage: `BENCH_DB_URL=postgres://…/spotcheck_bench_flow_<pid> npx tsx apps/api/bench/kept-city.ts <step>`:
 * - `verify`: `publications.verifyDraw` of the kept draw's publication, over HTTP from the bench's
 *   server child (`workflow-server.ts`): wall time, server CPU, server peak RSS;
 * - `file`: the kept draw's public file (`GET /open/publication/<id>.json`, gzip), over HTTP from
 *   the bench's server child, first (uncached) request: wall time, server CPU, server peak RSS;
 * - `publish`: the sign-off's publication of the kept draw (`publishDraw`) in this process, in a
 *   transaction rolled back: wall time, peak RSS, the most heap used;
 * - `frame`: approval's frame of the kept plan (`assemblePlanFrame`: the roster read and classified,
 *   the strata built) in this process: wall time, CPU, peak RSS (the kept plan's tasks are issued by
 *   then, so its units count as sampled this year: the same work as approval, a different frame).
 */
import { openDatabase } from '@spotcheck/db';
import { assemblePlanFrame, loadDrawHeader, publishDraw } from '@spotcheck/api/testing';
import { startServerChild } from './server-child';

const url = process.env.BENCH_DB_URL;
const step = process.argv[2];
if (!url || !['verify', 'file', 'publish', 'frame'].includes(step ?? ''))
  throw new Error(
    'usage: BENCH_DB_URL=<kept bench database> npx tsx apps/api/bench/kept-city.ts verify|file|publish|frame',
  );
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const database = await openDatabase({ url });

if (step === 'verify' || step === 'file') {
  const [{ id }] = (
    await database.exec(`select id from publications where kind = 'draw' order by published_at desc limit 1`)
  ).rows as [{ id: string }];
  await database.close();
  const server = await startServerChild(url);
  const base = server.url;
  const before = await server.memory();
  const t0 = performance.now();
  let outcome: string;
  if (step === 'verify') {
    const res = await fetch(
      `${base}/trpc/publications.verifyDraw?input=${encodeURIComponent(JSON.stringify({ id }))}`,
    );
    const body = (await res.json()) as { result?: { data: { ok: boolean } } };
    outcome = `publications.verifyDraw: ok ${body.result?.data.ok}`;
  } else {
    // fetch asks for gzip and inflates it: the bytes counted are the JSON's.
    const res = await fetch(`${base}/open/publication/${id}.json`);
    outcome = `public file: ${res.status}, ${mb((await res.arrayBuffer()).byteLength)} of JSON`;
  }
  const took = seconds(t0);
  const after = await server.memory();
  console.log(
    `${outcome}, ${took}, server CPU ${(after.cpu - before.cpu).toFixed(1)} s, ` +
      `server peak RSS ${mb(after.peak)} (${mb(before.peak)} before)`,
  );
  await server.stop();
} else if (step === 'frame') {
  const [{ id }] = (await database.exec(`select plan_id as id from draws where status = 'signed' limit 1`))
    .rows as [{ id: string }];
  const plan = await database.db.query.plans.findFirst({ where: (p, { eq }) => eq(p.id, id) });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const built = await database.db.transaction((tx) =>
    assemblePlanFrame(tx, plan as Parameters<typeof assemblePlanFrame>[1]),
  );
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `assemblePlanFrame: ${seconds(t0)}, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, ` +
      `peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}; ${built.roster.length} units, ` +
      `frame ${built.frame.rows.length}, mandatory ${built.mandatoryUnits}`,
  );
  await database.close();
} else {
  const [{ id }] = (await database.exec(`select id from draws where status = 'signed' limit 1`)).rows as [
    { id: string },
  ];
  const { draw, plan } = await loadDrawHeader(database.db, id, { bureau: () => null });
  const peak0 = process.resourceUsage().maxRSS * 1024;
  let heap = 0;
  const sampler = setInterval(() => (heap = Math.max(heap, process.memoryUsage().heapUsed)), 50);
  const t0 = performance.now();
  const rollback = new Error('rolled back');
  await database.db
    .transaction(async (tx) => {
      await publishDraw(tx, plan, draw, null, new Date(), { beside: database.db });
      throw rollback;
    })
    .catch((err: unknown) => {
      if (err !== rollback) throw err;
    });
  clearInterval(sampler);
  console.log(
    `publishDraw (rolled back): ${seconds(t0)}, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} ` +
      `(${mb(peak0)} before), most heap used ${mb(heap)}`,
  );
  await database.close();
}
