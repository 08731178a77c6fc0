/**
 * `jsonbSize` against the database itself: for every value, the size computed without a database
 * must be the one PostgreSQL (or PGlite) reports for the same JSON as jsonb. Approval refuses a
 * plan on this figure (issue 16), so a wrong size would refuse a plan that fits or pass one that
 * cannot be published.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jsonbSize, MAX_JSONB_BYTES } from '@spotcheck/api/testing';
import { openTestDb, type TestDb } from './harness';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb({ bureaus: false });
});
afterAll(async () => {
  await t?.close();
});

/** A deterministic generator of JSON values of every shape (seeded: a failure can be replayed). */
function valueOf(seed: number, depth: number): unknown {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  const pick = (n: number) => next() % n;
  const scalars = [
    () => null,
    () => pick(2) === 0,
    () => pick(100_000),
    () => -pick(10_000),
    () =>
      [0, 1, 9999, 10_000, 10_001, 99_990_000, 2 ** 53 - 1, 1e21, 123.5, 0.0001, 1.25e-7, 3.14159][pick(12)]!,
    () => '',
    () => 'I120116-0042',
    () => '天津滨海新区化工有限公司'.slice(0, pick(12)),
    () => 'ab"\\\n\u00e9'.repeat(pick(4)),
    () => '91120116MA05K2' + pick(10_000),
  ];
  const make = (d: number): unknown => {
    const k = pick(d > 0 ? 14 : 10);
    if (k < 10) return scalars[k]!();
    if (k < 12) return Array.from({ length: pick(7) }, () => make(d - 1));
    const o: Record<string, unknown> = {};
    for (let i = pick(6); i > 0; i--)
      o[['id', 'team', 'unit', '名称', 'k' + pick(40), 'sequence'][pick(6)]!] = make(d - 1);
    return o;
  };
  return make(depth);
}

it('is the size PostgreSQL gives the same JSON as jsonb, for 400 values of every shape', async () => {
  const values = Array.from({ length: 400 }, (_, i) => valueOf(i + 1, 1 + (i % 5)));
  values.push(
    [['911201160010000010', 'ratio-sample', 3, 0, '', 1]],
    { selected: [{ key: 'f'.repeat(64), team: ['I1', 'I2'], unit: 'U', expert: null, sequence: 1 }] },
    'a string alone',
    42,
    true,
    null,
    [],
    {},
  );
  // Each text cast in the expression: a fresh jsonb, with the 4-byte header a stored value of this
  // size has (an element read out of a row may carry a 1-byte one).
  const { rows } = await t.database.exec(
    `SELECT pg_column_size(x::jsonb) AS n FROM unnest($1::text[]) WITH ORDINALITY AS u(x, i) ORDER BY i`,
    [values.map((v) => JSON.stringify(v))],
  );
  const sizes = (rows as { n: number | string }[]).map((r) => Number(r.n));
  expect(sizes).toHaveLength(values.length);
  const wrong = values
    .map((v, i) => ({ json: JSON.stringify(v), computed: jsonbSize(v), postgres: sizes[i] }))
    .filter((x) => x.computed !== x.postgres);
  expect(wrong).toEqual([]);
});

it('names PostgreSQL limit on one jsonb value', async () => {
  expect(MAX_JSONB_BYTES).toBe(268_435_455);
});
