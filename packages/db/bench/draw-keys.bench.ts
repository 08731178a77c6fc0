/**
 * Benchmark: sr-draw/v1 select keys for 10^6 unit ids computed in PostgreSQL with pgcrypto's
 * `hmac`, against packages/core in JavaScript (noble batched and node:crypto); the bytes must agree.
 * Usage: tsx bench/draw-keys.bench.ts [count]   (PostgreSQL from BENCH_PG_URL, default local trust auth)
 */
import { deriveDrawKeys } from '@spotcheck/core';
import { nodeCryptoHasher } from '@spotcheck/core/node';
import { drawKeysInSql, ensurePgcrypto, openDatabase } from '../src';

const count = Number(process.argv[2] ?? 1_000_000);
const url = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const digest = 'c0ffee'.padEnd(64, '0');
const randomness = '9319./2.5.8.10.12./9.18.26.34.41.45./';
const idsSql = `SELECT '91120116MA' || lpad(g::text, 8, '0') AS id FROM generate_series(1, ${count}) AS g`;
const ids = Array.from({ length: count }, (_, i) => `91120116MA${String(i + 1).padStart(8, '0')}`);

const time = async <T>(label: string, work: () => Promise<T> | T): Promise<T> => {
  const started = performance.now();
  const out = await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return out;
};

const keys = deriveDrawKeys(digest, randomness);
const noble = await time(`JS noble (batched), ${count.toLocaleString('en')} select keys`, () =>
  keys.select('s1', ids),
);
const node = await time('JS node:crypto createHmac per key', () =>
  deriveDrawKeys(digest, randomness, nodeCryptoHasher).select('s1', ids),
);
const database = await openDatabase({ url });
try {
  await ensurePgcrypto(database);
  const sql = await time('PostgreSQL pgcrypto hmac, keys + (key, id) ranking', () =>
    drawKeysInSql(database, keys.prk, { kind: 'select', stratumId: 's1' }, idsSql),
  );
  const byId = new Map(sql.map((r) => [r.id, r.key]));
  const same = ids.every((id, i) => byId.get(id) === noble[i] && noble[i] === node[i]);
  console.log(`identical bytes across noble, node:crypto and SQL: ${same}`);
  if (!same) process.exitCode = 1;
} finally {
  await database.close();
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
