/**
 * Benchmark: seed the demo city with 10^6 units (streamed COPY) on PostgreSQL and on PGlite.
 * Usage: tsx bench/seed.bench.ts [units]   (PostgreSQL from BENCH_PG_URL, default local trust auth)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateDatabase, openDatabase, type Database } from '@spotcheck/db';
import { seedDemoCity } from '../src/seed';

const units = Number(process.argv[2] ?? 1_000_000);
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function run(label: string, database: Database): Promise<void> {
  await migrateDatabase(database);
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const summary = await seedDemoCity(database, { units });
  const seconds = (performance.now() - started) / 1000;
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(
    `${label}: ${summary.units.toLocaleString('en')} units + ${summary.unitFacts.toLocaleString('en')} facts in ${seconds.toFixed(1)} s ` +
      `(${Math.round(summary.units / seconds).toLocaleString('en')} units/s); process peak RSS ${peak.toFixed(0)} MB (RSS before ${(rssBefore / 2 ** 20).toFixed(0)} MB)`,
  );
}

const name = `spotcheck_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const postgres = await openDatabase({ url: url.toString() });
try {
  await run('PostgreSQL (COPY, one transaction)', postgres);
} finally {
  await postgres.close();
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();
}

const dir = mkdtempSync(join(tmpdir(), 'spotcheck-bench-'));
const lite = await openDatabase({ dataDir: dir });
try {
  await run('PGlite (chunked COPY, one transaction)', lite);
} finally {
  await lite.close();
  rmSync(dir, { recursive: true, force: true });
}
