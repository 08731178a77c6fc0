/**
 * A city-wide sr-draw/v2 plan through the product (issue 16): approve → randomness → draw → sign
 * (which publishes) → publish (the public file `/open/publication/<id>.json`) → verify
 * (`publications.verifyDraw`), then `draws.issueTasks` (reported outside the target's total), each
 * over HTTP with the session cookies of the bureau's staff, as the admin and the portal call them. The demo city is seeded on PostgreSQL (BENCH_PG_URL,
 * default the local server) at BENCH_UNITS units in a database made for the run and dropped after.
 * The server runs as a child process (`workflow-server.ts`), so its peak RSS is its own.
 *
 * The floor, measured in the same run on the same rows: a raw `SELECT` of the roster's frame
 * columns (what approval must read), core's `computeResultV2` on the committed rows, and core's
 * `verifyBundleV2` of the published bundle — the library alone, no database writes, no HTTP.
 * Not a test: prints a table to paste into BENCHMARKS.md.
 * Usage: `npx tsx apps/api/bench/workflow.bench.ts` (env BENCH_UNITS, default 10^5;
 * BENCH_INSPECTORS, default units/100; BENCH_CPU_PROF=<dir> profiles the server with `--cpu-prof`;
 * BENCH_SERVER_IMPORT=<module> preloads a module into the server, e.g. a query timer; BENCH_KEEP=1
 * keeps the database for a look afterwards).
 */
import { get } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  computeResultV2,
  digestOf,
  ed25519KeyPair,
  signOff,
  verifyBundleV2,
  type CommitmentV2,
  type FrameRowV2,
  type KeyRegistry,
  type PersonRow,
} from '@spotcheck/core';
import { createSession, createUser, installRulePacks, KEY_VALIDITY_DELAY_SECONDS } from '@spotcheck/api';
import { projectRoot } from '@spotcheck/db';
import { seedDemoCity } from '@spotcheck/demo';
import { discoverPacks } from '@spotcheck/rules/load';
import { benchDatabase } from './pg';
import { startServerChild } from './server-child';

const UNITS = Number(process.env.BENCH_UNITS ?? 100_000);
// Enough officers for teams of two at the demo's ~23 % selection (capacity about 67 a year each).
const INSPECTORS = Number(process.env.BENCH_INSPECTORS ?? Math.max(300, Math.ceil(UNITS / 100)));
const CPU_PROF = process.env.BENCH_CPU_PROF;
const CITY = '120000';
const load0 = loadavg()[0]!;
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** A tRPC call over HTTP with a session cookie (POST for mutations, GET for queries). */
async function call<T>(
  base: string,
  token: string,
  kind: 'query' | 'mutation',
  path: string,
  input: unknown,
): Promise<T> {
  const headers = { cookie: `spotcheck_session=${token}`, 'content-type': 'application/json' };
  const res =
    kind === 'mutation'
      ? await fetch(`${base}/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify(input) })
      : await fetch(`${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers });
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (!res.ok || !body.result) throw new Error(`${path}: HTTP ${res.status} ${body.error?.message ?? ''}`);
  return body.result.data;
}

const { database, url: dbUrl, drop } = await benchDatabase('spotcheck_bench_flow');
let server: Awaited<ReturnType<typeof startServerChild>> | null = null;
try {
  const seeded = performance.now();
  await seedDemoCity(database, { units: UNITS, inspectors: INSPECTORS });
  const seedSeconds = seconds(seeded);
  // Staff of the city bureau (the demo's city admin and approver, and a city draw operator).
  const staff = async (username: string, role: 'city-admin' | 'approver' | 'draw-operator') => {
    const user = await createUser(database.db, {
      username,
      displayName: `基准${username}`,
      password: 'Bench-workflow-2027!',
      bureauCode: CITY,
      roles: [{ role, bureauCode: CITY }],
    });
    return { user, token: (await createSession(database.db, user.id, new Date())).token };
  };
  const admin = await staff('city-admin', 'city-admin');
  const approver = await staff('city-approver', 'approver');
  const operator = await staff('city-operator', 'draw-operator');
  await installRulePacks(
    database.db,
    discoverPacks(resolve(projectRoot, 'rules'), projectRoot),
    admin.user.id,
  );
  const [{ id: checklistVersionId }] = (
    await database.exec(
      `SELECT id FROM checklist_versions WHERE bureau_code = $1 AND status = 'published' ORDER BY version DESC LIMIT 1`,
      [CITY],
    )
  ).rows as [{ id: string }];

  server = await startServerChild(dbUrl.toString(), {
    genesis: Math.floor(Date.now() / 1000) - 3600,
    execArgv: [
      ...(process.env.BENCH_SERVER_IMPORT ? ['--import', process.env.BENCH_SERVER_IMPORT] : []),
      ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []),
    ],
  });
  const base = server.url;
  const memory0 = await server.memory();
  const q = <T>(token: string, path: string, input: unknown) => call<T>(base, token, 'query', path, input);
  const m = <T>(token: string, path: string, input: unknown) => call<T>(base, token, 'mutation', path, input);

  // The approver's key, proposed by the approver and registered (published) by the admin.
  const key = ed25519KeyPair();
  await m(approver.token, 'keys.propose', { bureauCode: CITY, publicKey: key.publicKey });
  await m(admin.token, 'keys.register', { keyId: key.keyId });
  let offsetMs = await server.advance(KEY_VALIDITY_DELAY_SECONDS + 1);
  const serverNow = () => new Date(Date.now() + offsetMs);
  // A city-wide plan for 2027 with teams of two, its drand round two minutes ahead.
  const proposed = await q<{ sources: unknown[] }>(admin.token, 'plans.proposeSources', {
    plannedDrawAt: new Date(serverNow().getTime() + 120_000).toISOString(),
  });
  const plan = await m<{ id: string }>(admin.token, 'plans.create', {
    bureauCode: CITY,
    title: '2027年度全市一般检查（基准测试）',
    period: '2027',
    kind: 'general',
    team: { size: 2, specialist: true, ownJurisdiction: false },
    sources: proposed.sources,
    checklistVersionId,
  });
  await m(admin.token, 'plans.submit', { planId: plan.id });

  // Wall time, and the server's own CPU time (steadier than wall time on a shared machine).
  const steps: { step: string; seconds: number; cpu: number; peak: number; note: string }[] = [];
  const timed = async <T>(step: string, run: () => Promise<T>, note: (r: T) => string = () => '') => {
    const cpu0 = (await server!.memory()).cpu;
    const t0 = performance.now();
    const r = await run();
    const s = seconds(t0);
    const after = await server!.memory();
    steps.push({ step, seconds: s, cpu: after.cpu - cpu0, peak: after.peak, note: note(r) });
    console.error(`  ${step}: ${s.toFixed(1)} s`);
    return r;
  };

  const approved = await timed(
    '`plans.approve` (frame, exclusions, obligations, commitment published)',
    () =>
      m<{ draw: { id: string; commitment: CommitmentV2 } }>(approver.token, 'plans.approve', {
        planId: plan.id,
      }),
    (r) =>
      `frame ${r.draw.commitment.frame.count.toLocaleString('en')}, excluded ${r.draw.commitment.excluded.count.toLocaleString('en')}`,
  );
  const drawId = approved.draw.id;
  // Past the committed round (the demo beacon's rounds come every 3 s).
  offsetMs = await server.advance(200);
  await timed('`draws.enterRandomness` (the drand round from the beacon)', () =>
    m(operator.token, 'draws.enterRandomness', { drawId, values: [null] }),
  );
  const drawn = await timed(
    '`draws.run` (sr-draw/v2, teams of two)',
    () =>
      m<{ selected: number; resultDigest: string; commitmentDigest: string }>(operator.token, 'draws.run', {
        drawId,
      }),
    (r) => `${r.selected.toLocaleString('en')} selected`,
  );
  await timed('`draws.sign` (checks the sign-off, publishes the bundle)', async () => {
    const [header] = (
      await q<{ id: string; commitmentDigest: string; resultDigest: string }[]>(
        approver.token,
        'draws.list',
        {
          planId: plan.id,
        },
      )
    ).filter((d) => d.id === drawId);
    const signedAt = new Date(Math.floor(serverNow().getTime() / 1000) * 1000)
      .toISOString()
      .replace('.000Z', 'Z');
    const envelope = signOff(
      key.secretKey,
      { id: approver.user.id, name: approver.user.displayName },
      signedAt,
      header!.commitmentDigest,
      header!.resultDigest,
    );
    return m(approver.token, 'draws.sign', { drawId, signOff: envelope });
  });
  const [pub] = await q<{ id: string; refId: string }[]>(admin.token, 'publications.list', {
    kind: 'draw',
    limit: 1,
  });
  if (pub?.refId !== drawId) throw new Error('the draw was not published');
  const file = await timed(
    '`GET /open/publication/<id>.json` (the public bundle, gzip)',
    () =>
      // node:http, not fetch: the gzip bytes as sent (fetch would inflate them).
      new Promise<Buffer>((done, failed) => {
        get(`${base}/open/publication/${pub.id}.json`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            res.statusCode === 200 && res.headers['content-encoding'] === 'gzip'
              ? done(Buffer.concat(chunks))
              : failed(new Error(`publication file: HTTP ${res.statusCode}`)),
          );
        }).on('error', failed);
      }),
    (b) => `${mb(b.length)} gzip`,
  );
  const verified = await timed(
    '`publications.verifyDraw` (recomputes the draw, checks every line)',
    () =>
      q<{ ok: boolean; checks: { id: string; status: string }[] }>(admin.token, 'publications.verifyDraw', {
        id: pub.id,
      }),
    (r) => (r.ok ? 'ok' : `NOT OK: ${r.checks.filter((c) => c.status === 'fail').map((c) => c.id)}`),
  );
  const peak = (await server.memory()).peak;
  // After the target's five steps: the tasks the city's staff issue next, one per selected unit
  // with its team and checklist (reported on its own line, outside the target's total).
  const issued = await timed(
    '`draws.issueTasks` (one task per selected unit, its checklist)',
    () => m<{ tasks: number }>(operator.token, 'draws.issueTasks', { drawId }),
    (r) => `${r.tasks.toLocaleString('en')} tasks`,
  );
  if (issued.tasks !== drawn.selected) throw new Error('a task is missing for a selected unit');
  const afterTarget = steps.pop()!;
  await server.stop();
  server = null;

  // The floor: the library on the same rows, and the database's raw read of the roster.
  const t0 = performance.now();
  const raw = await database.exec(
    `SELECT id, bureau_code, industry, risk_grade, credit_grade, major_hazard, status FROM units`,
  );
  const selectSeconds = seconds(t0);
  const [row] = (
    await database.exec(
      `SELECT commitment, commitment_digest, frame, inspector_rows, expert_rows, randomness FROM draws WHERE id = $1`,
      [drawId],
    )
  ).rows as [
    {
      commitment: CommitmentV2;
      commitment_digest: string;
      frame: FrameRowV2[];
      inspector_rows: PersonRow[];
      expert_rows: PersonRow[];
      randomness: { string: string };
    },
  ];
  const t1 = performance.now();
  const result = computeResultV2({
    commitment: row.commitment,
    commitmentDigest: Uint8Array.from(Buffer.from(row.commitment_digest, 'hex')),
    frame: row.frame,
    inspectors: row.inspector_rows,
    experts: row.expert_rows,
    randomness: row.randomness.string,
  });
  const resultDigest = digestOf(result);
  const drawSeconds = seconds(t1);
  if (resultDigest !== drawn.resultDigest) throw new Error('the library draw differs from the product’s');
  const content = JSON.parse(gunzipSync(file).toString('utf8')) as {
    content: { bundle: unknown; registry: KeyRegistry };
  };
  const t2 = performance.now();
  const report = verifyBundleV2(content.content.bundle, { registry: content.content.registry });
  const verifySeconds = seconds(t2);
  const floor = selectSeconds + drawSeconds + verifySeconds;

  const total = steps.reduce((s, x) => s + x.seconds, 0);
  console.log(
    `\nCity-wide plan through the product — ${UNITS.toLocaleString('en')} units (seeded in ${seedSeconds.toFixed(0)} s), ` +
      `${INSPECTORS} inspectors, ${drawn.selected.toLocaleString('en')} selected, verification ${verified.ok ? 'ok' : 'FAILED'}`,
  );
  console.log(
    `node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `PostgreSQL at ${dbUrl.host}, ${new Date().toISOString().slice(0, 16)}Z, load average ${load0.toFixed(1)} at start, ` +
      `${loadavg()[0]!.toFixed(1)} at end; server RSS ${mb(memory0.rss)} before the first step\n`,
  );
  const cpuTotal = steps.reduce((s, x) => s + x.cpu, 0);
  console.log('| step | time | server CPU | server peak RSS so far | |');
  console.log('|---|---|---|---|---|');
  for (const s of steps)
    console.log(
      `| ${s.step} | ${s.seconds.toFixed(1)} s | ${s.cpu.toFixed(1)} s | ${mb(s.peak)} | ${s.note} |`,
    );
  console.log(`| **total** | **${total.toFixed(1)} s** | **${cpuTotal.toFixed(1)} s** | **${mb(peak)}** | |`);
  console.log(
    `| then ${afterTarget.step} | ${afterTarget.seconds.toFixed(1)} s | ${afterTarget.cpu.toFixed(1)} s | ${mb(afterTarget.peak)} | ${afterTarget.note} |`,
  );
  console.log('\n| floor, same rows | time |');
  console.log('|---|---|');
  console.log(
    `| raw \`SELECT\` of the roster's frame columns (${raw.rows.length.toLocaleString('en')} rows) | ${selectSeconds.toFixed(1)} s |`,
  );
  console.log(`| core \`computeResultV2\` + digest | ${drawSeconds.toFixed(1)} s |`);
  console.log(
    `| core \`verifyBundleV2\` of the published bundle (${report.ok ? 'ok' : 'not ok'}) | ${verifySeconds.toFixed(1)} s |`,
  );
  console.log(`| **floor** | **${floor.toFixed(1)} s** |`);
  console.log(`\nratio to the floor: ${(total / floor).toFixed(1)}×`);
} finally {
  await server?.stop();
  await drop();
}
