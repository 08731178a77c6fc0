/**
 * A units import through the product (issue 16): `POST /upload/import/units?format=csv` of N rows
 * (validated, spooled, COPYed with their fact history, audited) against `psql \copy` of the same
 * rows into the same table — the floor, in the same run, on PostgreSQL (BENCH_PG_URL, default the
 * local server; a database made for the run and dropped after). A second floor also `\copy`s the
 * fact rows the import writes beside the units (the units' first history, which `\copy` of the units
 * alone does not write), exported from the first round's import. The server runs in this process:
 * its memory is sampled every 50 ms during the import. Not a test: prints a table for BENCHMARKS.md.
 * Usage: `npx tsx apps/api/bench/import.bench.ts` (env BENCH_UNITS, default 10^5; BENCH_REPEAT rounds of
 * floor then import, default 3; BENCH_FACTS_FLOOR=0 leaves out the second floor; BENCH_DIRECT=1 calls the
 * import in-process at any size).
 *
 * Past an upload's 1,048,576 rows (10^7: a province's roster in one file) the route refuses the file,
 * so the bench calls the route's own `importSpreadsheet` with the row limit raised, reading the file
 * as a stream, and reports the peak after the first 10^6 rows beside the peak at the end: memory must
 * stay flat.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { makeUscc } from '@spotcheck/core';
import { createSession, createUser, importSpreadsheet } from '@spotcheck/api';
import { XLSX_LIMITS } from '@spotcheck/api/testing';
import { bureaus } from '@spotcheck/db';
import { startServer } from '../src/index';
import { benchDatabase } from './pg';

const UNITS = Number(process.env.BENCH_UNITS ?? 100_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const FACTS_FLOOR = process.env.BENCH_FACTS_FLOOR !== '0';
/** More rows than an upload may have: the import is called in-process with the limit raised. */
const DIRECT = process.env.BENCH_DIRECT === '1' || UNITS > XLSX_LIMITS.maxRows;
const load0 = loadavg()[0]!;
const ORG = 'ABCDEFGHJKLMNPQRTUWXY0123456789';
const idAt = (n: number) =>
  makeUscc(
    '91',
    '120116',
    `M${ORG[Math.floor(n / 923521) % 31]}${ORG[Math.floor(n / 29791) % 31]}${ORG[Math.floor(n / 961) % 31]}${ORG[Math.floor(n / 31) % 31]}${ORG[n % 31]}K2`,
  );

// The same rows twice: the import file (the template's columns, Chinese booleans) and COPY's.
const dir = mkdtempSync(join(tmpdir(), 'spotcheck-import-bench-'));
const importFile = join(dir, 'units.csv');
const copyFile = join(dir, 'units-copy.csv');
{
  const a = createWriteStream(importFile);
  const b = createWriteStream(copyFile);
  a.write(
    'id,name,nature,industry,scale,employees,bureauCode,riskGrade,creditGrade,majorHazard,lastInspectedOn\n',
  );
  for (let i = 0; i < UNITS; i++) {
    const hazard = i % 10 === 0;
    const line = `${idAt(i)},"单位${i}, 有限公司",private,machinery,small,${10 + (i % 50)},120116,low,B`;
    if (!a.write(`${line},${hazard ? '是' : '否'},2026-05-01\n`))
      await new Promise((r) => a.once('drain', r));
    if (!b.write(`${line},${hazard ? 't' : 'f'},2026-05-01,2027-01-05T00:00:00Z,2027-01-05T00:00:00Z\n`))
      await new Promise((r) => b.once('drain', r));
  }
  a.end();
  b.end();
  await Promise.all([finished(a), finished(b)]);
}

/**
 * The file as a request body read only as fast as the server takes it (64 KiB at a time), so the
 * memory sampled is the server's, not a client buffering the whole file ahead of the upload.
 */
function fileBody(path: string): ReadableStream<Uint8Array> {
  let handle: FileHandle | null = null;
  return new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        handle ??= await open(path);
        const buf = Buffer.alloc(64 * 1024);
        const { bytesRead } = await handle.read(buf, 0, buf.length, null);
        if (bytesRead === 0) {
          await handle.close();
          c.close();
        } else c.enqueue(new Uint8Array(buf.buffer, buf.byteOffset, bytesRead));
      },
      async cancel() {
        await handle?.close();
      },
    },
    { highWaterMark: 2 },
  );
}

const { database, url, drop } = await benchDatabase('spotcheck_bench_import');
try {
  await database.db.insert(bureaus).values([
    { code: '120000', name: '天津市', level: 'city', parentCode: null },
    { code: '120116', name: '滨海新区', level: 'district', parentCode: '120000' },
  ]);
  const user = await createUser(database.db, {
    username: 'bench-admin',
    displayName: '基准测试管理员',
    password: 'Bench-import-2027!',
    bureauCode: '120116',
    roles: [{ role: 'district-admin', bureauCode: '120116' }],
  });
  const { token } = await createSession(database.db, user.id, new Date());
  const server = await startServer({ database, port: 0, staticMounts: [] });
  // Both paths start from the same empty table: rows a round wrote are deleted and vacuumed away
  // (dead index entries of the same keys would otherwise slow the next load's unique checks).
  const empty = async () => {
    await database.exec('delete from unit_facts');
    await database.exec('delete from units');
    await database.exec('vacuum unit_facts, units');
  };
  // Floor: psql's \copy of the same rows into the same table.
  const cols =
    'id,name,nature,industry,scale,employees,bureau_code,risk_grade,credit_grade,major_hazard,last_inspected_on,created_at,updated_at';
  const factCols = 'bureau_code,unit_id,kind,value,effective_on,ended_on,source,recorded_at,recorded_by';
  const factsFile = join(dir, 'facts-copy.csv');
  const psql = (command: string) => {
    const copy = spawnSync('psql', [url.toString(), '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], {
      encoding: 'utf8',
    });
    if (copy.status !== 0) throw new Error(`psql failed: ${copy.stderr}`);
  };
  /** `\\copy` of the units, and with `facts` also of their fact rows (one transaction each, as psql runs them). */
  const floor = (facts = false): number => {
    const t0 = performance.now();
    psql(`\\copy units (${cols}) from '${copyFile}' with (format csv)`);
    if (facts) psql(`\\copy unit_facts (${factCols}) from '${factsFile}' with (format csv)`);
    return (performance.now() - t0) / 1000;
  };
  const viaImport = async (): Promise<{
    seconds: number;
    rssPeak: number;
    rssBefore: number;
    /** The peak by the time 10^6 rows were read (in-process runs only). */
    rssPeakAt1M: number | null;
    facts: number;
  }> => {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    let rssPeakAt1M: number | null = null;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    const t1 = performance.now();
    let answer: string;
    if (DIRECT) {
      const report = await importSpreadsheet(database.db, createReadStream(importFile), {
        kind: 'units',
        format: 'csv',
        actor: { userId: user.id, role: 'district-admin' },
        reach: (b) => b === '120116',
        now: new Date(),
        limits: { ...XLSX_LIMITS, maxRows: UNITS + 1, maxCells: (UNITS + 1) * 64 },
        onProgress: ({ rows }) => {
          if (rssPeakAt1M === null && rows >= 1_000_000) rssPeakAt1M = rssPeak;
        },
      });
      answer = JSON.stringify(report);
    } else {
      const res = await fetch(`${server.url}/upload/import/units?format=csv`, {
        method: 'POST',
        headers: { cookie: `spotcheck_session=${token}`, 'content-type': 'text/csv' },
        body: fileBody(importFile),
        duplex: 'half',
      } as RequestInit);
      answer = (await res.text()).trim().split('\n').at(-1)!;
    }
    const seconds = (performance.now() - t1) / 1000;
    clearInterval(sampler);
    const report = JSON.parse(answer) as { ok: boolean; imported: number };
    if (!report.ok || report.imported !== UNITS) throw new Error(`import failed: ${answer.slice(0, 500)}`);
    const facts = Number((await database.exec('select count(*)::int as n from unit_facts')).rows[0]!.n);
    return { seconds, rssPeak, rssBefore, rssPeakAt1M, facts };
  };

  const mb = (n: number) => `${Math.round(n / 1048576)} MB`;
  const rounds: {
    copySeconds: number;
    withFactsSeconds: number;
    run: Awaited<ReturnType<typeof viaImport>>;
  }[] = [];
  for (let r = 0; r < REPEAT; r++) {
    const copySeconds = floor();
    await empty();
    const run = await viaImport();
    // The facts the import wrote, as the second floor copies them (exported once).
    if (r === 0 && FACTS_FLOOR)
      psql(`\\copy (select ${factCols} from unit_facts order by id) to '${factsFile}' with (format csv)`);
    await empty();
    const withFactsSeconds = FACTS_FLOOR ? floor(true) : NaN;
    if (FACTS_FLOOR) await empty();
    rounds.push({ copySeconds, withFactsSeconds, run });
  }
  console.log(
    `\nunits import — ${UNITS.toLocaleString('en')} rows, ${mb(statSync(importFile).size)} CSV; ${rounds[0]!.run.facts.toLocaleString('en')} facts written beside them; ${REPEAT} rounds (\\copy, then the import)`,
  );
  console.log(
    `node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model.trim()}, PostgreSQL at ${url.host}, ` +
      `${new Date().toISOString().slice(0, 16)}Z, load average ${load0.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end\n`,
  );
  console.log(
    `| round | \`psql \\copy\` of the units (floor) | \`\\copy\` of the units and their facts | ${DIRECT ? '`importSpreadsheet` (in-process, row limit raised)' : '`POST /upload/import/units`'} | rows/s | ratio to \`\\copy\` (units / units and facts) | server memory |`,
  );
  console.log('|---|---|---|---|---|---|---|');
  rounds.forEach(({ copySeconds, withFactsSeconds, run }, i) =>
    console.log(
      `| ${i + 1} | ${copySeconds.toFixed(1)} s | ${FACTS_FLOOR ? `${withFactsSeconds.toFixed(1)} s` : '—'} | ${run.seconds.toFixed(1)} s | ${Math.round(UNITS / run.seconds)} | ` +
        `${(run.seconds / copySeconds).toFixed(2)}× / ${FACTS_FLOOR ? `${(run.seconds / withFactsSeconds).toFixed(2)}×` : '—'} | peak RSS ${mb(run.rssPeak)} (+${mb(run.rssPeak - run.rssBefore)} over ${mb(run.rssBefore)})${run.rssPeakAt1M === null ? '' : `; ${mb(run.rssPeakAt1M)} after 10^6 rows`} |`,
    ),
  );
  await server.close();
} finally {
  await drop();
  rmSync(dir, { recursive: true, force: true });
}
