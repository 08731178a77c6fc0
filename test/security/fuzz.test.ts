/**
 * Fuzz run over every tRPC procedure (issue 11, "Done means"): inputs derived from each
 * procedure's zod schema by fast-check (valid-ish values, real ids of both districts, and hostile
 * values — NUL, huge and lone-surrogate strings, deep nesting, wrong types — put anywhere in
 * them), called by a user of every role, by another district's admin, by a bearer token and
 * anonymously. Asserted over the whole run:
 *  - 0 × INTERNAL_SERVER_ERROR (HTTP 5xx);
 *  - 0 error responses (as the error formatter sends them) with a stack trace or SQL text;
 *  - 0 partial writes: a refused call changes no table (save the login throttle), a call that
 *    changes data tables appends an audit event, and the audit chain verifies at the end.
 *
 * `SPOTCHECK_FUZZ_CALLS` sets the number of calls (CI default 600: about a minute on PGlite);
 * `SPOTCHECK_FUZZ_SEED` replays a run. Recorded run (10^4 calls, PGlite, 2-core machine): see
 * test/security/README.md.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@spotcheck/core';
import { appRouter, verifyAuditChain } from '@spotcheck/api';
import { anonymousCaller, BINHAI, CITY, HEPING, openTestDb, signedInUser, type TestDb } from '../api/harness';
import { buildWorld, issuedPlan, type World } from '../api/fixtures';
import { arbitraryOf, hostile, replaceAt } from './zod-arbitrary';

const CALLS = Number(process.env.SPOTCHECK_FUZZ_CALLS) || 600;
const SEED = Number(process.env.SPOTCHECK_FUZZ_SEED) || Date.now() % 2 ** 31;

/** Tables a refused or unaudited call may still change: the login throttle and sessions. */
const UNAUDITED = new Set(['login_attempts', 'sessions', '__drizzle_migrations']);

interface Procedure {
  path: string;
  type: string;
  inputs: unknown[];
}
type AnyCaller = Record<string, unknown>;
/** A tRPC error as thrown by a caller (the class lives in the api package's dependencies). */
interface TrpcLike extends Error {
  code: string;
  cause?: unknown;
}
const isTrpc = (e: unknown): e is TrpcLike => e instanceof Error && e.name === 'TRPCError';

const procedures: Procedure[] = Object.entries(
  (
    appRouter as unknown as {
      _def: { procedures: Record<string, { _def: { type: string; inputs: unknown[] } }> };
    }
  )._def.procedures,
).map(([path, p]) => ({ path, type: p._def.type, inputs: p._def.inputs ?? [] }));

/** Calls `path` on a tRPC caller proxy. */
function invoke(caller: AnyCaller, path: string, input: unknown): Promise<unknown> {
  let fn: unknown = caller;
  for (const k of path.split('.')) fn = (fn as Record<string, unknown>)[k];
  return (fn as (i: unknown) => Promise<unknown>)(input);
}

/** The error as the HTTP layer sends it: the router's error formatter applied to tRPC's default shape. */
function wireShape(error: TrpcLike, path: string, input: unknown): unknown {
  const config = (appRouter as unknown as { _def: { _config: { errorFormatter: (o: unknown) => unknown } } })
    ._def._config;
  return config.errorFormatter({
    error,
    type: 'mutation',
    path,
    input,
    ctx: undefined,
    shape: {
      message: error.message,
      code: -32603,
      data: { code: error.code, httpStatus: 500, path, stack: error.stack },
    },
  });
}

const STACK = /\n\s+at |\bat [\w.<>]+ \(|\.ts:\d+:\d+|node_modules|file:\/\//;
/**
 * SQL as a driver error carries it. Checked on the answer without its `path` (the procedure's own
 * name, e.g. `experts.update`, next to a refusal listing allowed `values` is not SQL).
 */
const SQL =
  /\bselect\b.+\bfrom\b|\binsert into\b|\bupdate\s+"?\w+"?\s+set\b|\bdelete from\b|Failed query|params:|\$\d+\b.*\$\d+/i;

/**
 * The caller's own strings (keys and values, two characters or more), which a refusal may quote
 * back. The fuzzer's inputs may be cyclic or very deep: each object is walked once, 20 levels down.
 */
function echoes(
  input: unknown,
  out = new Set<string>(),
  seen = new WeakSet<object>(),
  depth = 0,
): Set<string> {
  if (typeof input === 'string') {
    if (input.length >= 2) out.add(input);
  } else if (input && typeof input === 'object' && depth < 20 && !seen.has(input)) {
    seen.add(input);
    for (const [k, v] of Object.entries(input)) {
      if (!Array.isArray(input) && k.length >= 2) out.add(k);
      echoes(v, out, seen, depth + 1);
    }
  }
  return out;
}

/**
 * The answer's strings without what the caller sent: a refusal naming the caller's unknown keys
 * (`"$1"`, `"$3"` from a random input, seed 768778108 on draws.signVoid) is not SQL. Only the
 * echoed text goes; a driver error around it (`Failed query`, `params:`) still shows.
 */
function withoutEchoes(answer: unknown, input: unknown): unknown {
  const sent = [...echoes(input)].sort((a, b) => b.length - a.length);
  const scrub = (v: unknown): unknown =>
    typeof v === 'string'
      ? sent.reduce((text, e) => text.split(e).join(''), v)
      : Array.isArray(v)
        ? v.map(scrub)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]))
          : v;
  return scrub(answer);
}

let t: TestDb;
let w: World;
let pool: string[] = [];
let tables: string[] = [];
let generation = 0;
const actors: { name: string; caller: AnyCaller }[] = [];

const ROLES: [string, Role, string][] = [
  ['city-admin', 'city-admin', CITY],
  ['district-admin', 'district-admin', BINHAI],
  ['draw-operator', 'draw-operator', BINHAI],
  ['approver', 'approver', BINHAI],
  ['auditor', 'auditor', CITY],
  ['inspector', 'inspector', BINHAI],
  ['heping-admin', 'district-admin', HEPING],
];

/** A fresh signed-in user for one of {@link ROLES}. */
async function makeActor(name: string): Promise<{ name: string; caller: AnyCaller }> {
  const [, role, bureau] = ROLES.find((r) => r[0] === name)!;
  const u = await signedInUser(t.database, `fz${++generation}-${name}`, bureau, [role], {
    inspectorId: role === 'inspector' ? 'I120116-0001' : undefined,
  });
  return { name, caller: u.caller as unknown as AnyCaller };
}

async function tableCounts(): Promise<Map<string, number>> {
  const sql = tables.map((n) => `select '${n}' as t, count(*)::int as n from "${n}"`).join(' union all ');
  const { rows } = await t.database.exec(sql);
  return new Map(rows.map((r) => [String(r.t), Number(r.n)]));
}

beforeAll(async () => {
  const t0 = Date.now();
  t = await openTestDb();
  w = await buildWorld(t.database, 12);
  console.log(`setup: world in ${Date.now() - t0} ms`);
  try {
    await issuedPlan(w, { title: '模糊测试计划' });
  } catch {
    /* a draw the small world cannot fill: the fuzz runs over the remaining data */
  }
  // Another district's data, so that other bureaus' ids are in the pool.
  const heping = await signedInUser(t.database, 'fz-heping-seed', HEPING, ['district-admin']);
  await heping.caller.inspectors.create({
    id: 'I120101-0001',
    certificateNo: 'HP-1',
    name: '和平执法员',
    bureauCode: HEPING,
    department: 'D',
  });
  const token = await w.cityAdmin.caller.apiTokens.create({
    name: 'fuzz',
    bureauCode: BINHAI,
    scopes: ['publications:read'],
  });
  const { rows: tableRows } = await t.database.exec(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  tables = tableRows.map((r) => String(r.table_name));
  const ids = new Set<string>([
    CITY,
    BINHAI,
    HEPING,
    '120000',
    'I120101-0001',
    'I120116-0001',
    ...w.unitIds.slice(0, 3),
  ]);
  for (const table of tables) {
    const { rows: cols } = await t.database.exec(
      `select column_name from information_schema.columns where table_schema='public' and table_name=$1 and column_name in ('id','key_id','code','username')`,
      [table],
    );
    for (const c of cols) {
      const { rows } = await t.database.exec(
        `select "${String(c.column_name)}"::text as v from "${table}" limit 6`,
      );
      for (const r of rows) if (r.v) ids.add(String(r.v));
    }
  }
  pool = [...ids];
  console.log(`setup: done in ${Date.now() - t0} ms, ${pool.length} ids in the pool`);
  for (const [name] of ROLES) actors.push(await makeActor(name));
  actors.push({ name: 'anonymous', caller: await anonymousCaller(t.database) });
  actors.push({
    name: 'bearer',
    caller: await anonymousCaller(t.database, { bearerToken: token.token }),
  });
}, 300_000);
afterAll(async () => t?.close());

describe('fuzz over every procedure', () => {
  it('its detectors see a leak', () => {
    const raw = new Error('Failed query: select "id" from "units" where "id" = $1\nparams: x');
    expect(STACK.test(String(raw.stack))).toBe(true);
    expect(SQL.test(raw.message)).toBe(true);
    expect(SQL.test('units.id: already exists')).toBe(false);
    expect(SQL.test('update "units" set "name" = $1 where "id" = $2')).toBe(true);
    expect(SQL.test('delete from "sessions"')).toBe(true);
    // A refusal that lists the allowed values of a field is not SQL (seed 750681556 on experts.update).
    expect(SQL.test('{"message":"patch.specialties.0: Invalid option","values":["trade"],"from":"a"}')).toBe(
      false,
    );
    // The caller's own keys quoted back are not SQL; a driver error that quotes them still is.
    const input = { drawId: 'x', void: { $1: 1, 'a $3': 2 } };
    const refusal = { message: 'void: Unrecognized keys: "$1", "a $3"' };
    expect(SQL.test(JSON.stringify(refusal))).toBe(true);
    expect(SQL.test(JSON.stringify(withoutEchoes(refusal, input)))).toBe(false);
    const driver = { message: 'Failed query: select "id" from "draws" where "id" = $1\nparams: a $3' };
    expect(SQL.test(JSON.stringify(withoutEchoes(driver, input)))).toBe(true);
  });

  it(`${CALLS} calls: no 5xx, no stack trace or SQL in errors, no partial or unaudited write`, async () => {
    expect(procedures.length).toBeGreaterThan(90);
    const arbitraries = new Map(
      procedures.map((p) => {
        const base = p.inputs.length ? arbitraryOf(p.inputs[0], pool) : fc.constant(undefined);
        const input = fc.oneof(
          { arbitrary: base, weight: 5 },
          {
            arbitrary: fc.tuple(base, fc.nat(), hostile).map(([v, choice, bad]) => replaceAt(v, choice, bad)),
            weight: 4,
          },
          { arbitrary: hostile, weight: 1 },
        );
        return [p.path, input] as const;
      }),
    );
    const findings: string[] = [];
    const codes = new Map<string, number>();
    const rng = fc.sample(fc.nat(), { numRuns: 1, seed: SEED })[0]!;
    const started = Date.now();
    let before = await tableCounts();
    for (let i = 0; i < CALLS; i++) {
      const p = procedures[i % procedures.length]!;
      const slot = (rng + i * 7 + Math.floor(i / procedures.length)) % actors.length;
      const actor = actors[slot]!;
      const [input] = fc.sample(arbitraries.get(p.path)!, { numRuns: 1, seed: SEED + i });
      const callStart = Date.now();
      let error: unknown = null;
      try {
        await invoke(actor.caller, p.path, input);
      } catch (err) {
        error = err;
      }
      const took = Date.now() - callStart;
      const what = () => `${p.path} as ${actor.name} (call ${i}, seed ${SEED}) with ${preview(input)}`;
      if (took > 10_000) findings.push(`slow (${took} ms): ${what()}`);
      const after = await tableCounts();
      const changed = [...after].filter(([k, n]) => before.get(k) !== n && !UNAUDITED.has(k)).map(([k]) => k);
      if (error) {
        const code = isTrpc(error) ? error.code : `THROWN ${(error as Error)?.name}`;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (!isTrpc(error)) findings.push(`non-tRPC error ${String(error)}: ${what()}`);
        else {
          if (error.code === 'INTERNAL_SERVER_ERROR')
            findings.push(
              `5xx ${String((error.cause as Error)?.message ?? error.message).slice(0, 200)}: ${what()}`,
            );
          const shape = wireShape(error, p.path, input) as { data?: { path?: string } };
          const wire = JSON.stringify(shape);
          const withoutPath = JSON.stringify(
            withoutEchoes({ ...shape, data: { ...shape.data, path: undefined } }, input),
          );
          if (STACK.test(wire)) findings.push(`stack trace in ${wire.slice(0, 300)}: ${what()}`);
          if (SQL.test(withoutPath)) findings.push(`SQL in ${wire.slice(0, 300)}: ${what()}`);
        }
        if (changed.length)
          findings.push(`partial write (${changed.join(', ')}) by a refused call: ${what()}`);
      } else {
        codes.set('OK', (codes.get('OK') ?? 0) + 1);
        if (changed.length && !changed.includes('audit_events'))
          findings.push(`unaudited write (${changed.join(', ')}): ${what()}`);
      }
      before = after;
      if (isTrpc(error) && error.code === 'UNAUTHORIZED' && ROLES.some((r) => r[0] === actor.name)) {
        // A fuzzed call signed this actor out, disabled it or changed its password: a fresh one.
        actors[slot] = await makeActor(actor.name);
        before = await tableCounts();
      }
    }
    const chain = await verifyAuditChain(t.database.db);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz: ${CALLS} calls over ${procedures.length} procedures in ${seconds} s (seed ${SEED}); ` +
        `answers ${JSON.stringify(Object.fromEntries(codes))}; findings ${findings.length}`,
    );
    expect(findings.slice(0, 40)).toEqual([]);
    expect(chain.ok).toBe(true);
  }, 3_600_000);
});

function preview(v: unknown): string {
  try {
    const s = JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));
    return s === undefined ? 'undefined' : s.length > 160 ? `${s.slice(0, 160)}…(${s.length})` : s;
  } catch {
    return String(v).slice(0, 160);
  }
}
