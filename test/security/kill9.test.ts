/**
 * kill -9 loop (issue 11, "Done means"): a child process — the real CLI (`db seed`) or a driver
 * running the API's own procedures on the embedded database (crash-driver.ts) — is killed with
 * SIGKILL at a random moment of (a) a units import, (b) a draw, (c) `db seed`, (d) a rule-pack
 * publish. After every kill the same data directory is opened again and checked: nothing partial
 * (the import all or nothing, the draw absent or complete, the seed's roster absent or complete
 * and `db seed` completing it, the pack at its old or its new version) and `spotcheck audit
 * verify` passes.
 *
 * `SPOTCHECK_KILL9_RUNS` sets the kills per operation (CI default 1, in fixed windows; from 3 on,
 * at fractions of each operation's measured duration; the recorded run used 20, see
 * test/security/README.md). `SPOTCHECK_KILL9_SEED` replays the kill moments.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, like } from 'drizzle-orm';
import fc from 'fast-check';
import { auditEvents, draws, openDatabase, plans, rulePackVersions, units, users } from '@spotcheck/db';
import { verifyAuditChain } from '@spotcheck/api';
import { demoAccounts } from '@spotcheck/demo';
import { discoverPacks } from '@spotcheck/rules/load';
import { BINHAI } from '../api/harness';

const RUNS = Number(process.env.SPOTCHECK_KILL9_RUNS) || 1;
/**
 * With a few runs (CI) kill moments are spread over fixed windows; with more, each operation is
 * first run once to the end and the moments are fractions of its measured duration.
 */
const CALIBRATE = RUNS > 2;
const WINDOW_MS = { import: 3000, draw: 500, publish: 1000, seed: 30_000 };
const SEED = Number(process.env.SPOTCHECK_KILL9_SEED) || Date.now() % 2 ** 31;
const SEED_UNITS = 300;
const IMPORT_ROWS = 400;
const repo = resolve(__dirname, '../..');
const root = mkdtempSync(join(tmpdir(), 'spotcheck-kill9-'));
const worldDir = join(root, 'world');
/** The import children's temporary folder, to see what a killed import leaves there. */
const importTmp = join(root, 'tmp');
mkdirSync(importTmp);
const figures: string[] = [];
const note = (line: string) => {
  figures.push(line);
  console.log(`kill9 ${line}`);
};
afterAll(() => {
  console.log(`kill9 (seed ${SEED}, ${RUNS} per operation):\n  ${figures.join('\n  ')}`);
  rmSync(root, { recursive: true, force: true });
});

/** Kill moments: fractions of the operation's measured duration (a little past its end included). */
const moments = fc.sample(fc.double({ min: 0, max: 1.2, noNaN: true }), {
  numRuns: 4 * RUNS + 4,
  seed: SEED,
});
let nextMoment = 0;

interface Child {
  /** Resolves with the line that starts with `prefix` (e.g. `go`). */
  line(prefix: string): Promise<string>;
  exited: Promise<number | null>;
  kill(): void;
  output(): string;
  pid?: number;
}

function start(args: string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) {
      const hit = out.split('\n').find((l) => l.startsWith(w.prefix));
      if (hit !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    line: (prefix) =>
      new Promise((res, rej) => {
        waiters.push({ prefix, resolve: res });
        onData(Buffer.alloc(0));
        void exited.then(() =>
          setTimeout(() => rej(new Error(`exited before "${prefix}": ${out.slice(-2000)}`)), 50),
        );
      }),
    exited,
    kill: () => child.kill('SIGKILL'),
    output: () => out,
    pid: child.pid,
  };
}

async function runToEnd(args: string[], env: Record<string, string> = {}): Promise<string> {
  const c = start(args, env);
  const code = await c.exited;
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}: ${c.output().slice(-3000)}`);
  return c.output();
}

const cli = (dir: string, ...args: string[]) =>
  runToEnd(['apps/cli/src/index.ts', ...args], { SPOTCHECK_DATA_DIR: dir, DATABASE_URL: '' });
const driver = (dir: string, ...args: string[]) => ['test/security/crash-driver.ts', dir, ...args];

/** `spotcheck audit verify` on the data directory: the restart after a kill. */
async function auditVerifies(dir: string) {
  const out = await cli(dir, 'audit', 'verify');
  expect(out).toMatch(/^audit chain verified: \d+ events/m);
}

/**
 * Runs `args` (which print `go` before the write), kills it `fraction` × `measuredMs` after `go`
 * (it may have finished by then). Returns whether it was killed before finishing.
 */
async function killDuring(
  args: string[],
  measuredMs: number,
  env: Record<string, string> = {},
  ready = 'go',
) {
  const c = start(args, env);
  const go = await c.line(ready);
  const fraction = moments[nextMoment++ % moments.length]!;
  const finished = await Promise.race([
    c.exited.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), fraction * measuredMs)),
  ]);
  if (!finished) c.kill();
  const code = await c.exited;
  return { killed: !finished && code === null, fraction, go };
}

/** Runs an operation to the end once; returns how long it took from its `go`. */
async function calibrate(args: string[]): Promise<number> {
  const c = start(args);
  await c.line('go');
  const from = Date.now();
  expect(await c.exited, c.output()).toBe(0);
  return Date.now() - from;
}

/** Waits until the child holds the data directory's lock (it has opened the database). */
async function holdsLock(dir: string, c: Child & { pid?: number }) {
  await expect
    .poll(() => existsSync(`${dir}.lock`) && readFileSync(`${dir}.lock`, 'utf8'), {
      timeout: 120_000,
      interval: 50,
    })
    .toContain(`"pid":${c.pid}`);
}

async function withDb<T>(dir: string, work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) {
  const database = await openDatabase({ dataDir: dir });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  await runToEnd(driver(worldDir, 'setup'));
}, 600_000);

describe('kill -9 at random moments', () => {
  it('(a) a units import is all or nothing', async () => {
    const t0 = Date.now();
    const measured = CALIBRATE
      ? await calibrate(driver(worldDir, 'import', '0', String(IMPORT_ROWS)))
      : WINDOW_MS.import;
    let killed = 0;
    let committed = 0;
    for (let i = 1; i <= RUNS; i++) {
      const r = await killDuring(driver(worldDir, 'import', String(i), String(IMPORT_ROWS)), measured, {
        TMPDIR: importTmp,
      });
      if (r.killed) killed++;
      await auditVerifies(worldDir);
      const n = await withDb(worldDir, async (d) => {
        const [row] = await d.db
          .select({ n: count() })
          .from(units)
          .where(like(units.name, `崩溃导入${i}-%`));
        return row!.n;
      });
      expect([0, IMPORT_ROWS], `import ${i} killed at ${r.fraction.toFixed(2)}`).toContain(n);
      if (r.killed && n === IMPORT_ROWS) committed++;
    }
    // A killed import cannot remove its temporary folder; the next import (or server start)
    // sweeps the folders of ended processes, and its own goes when it ends.
    // A kill cannot let the process remove its temporary folder: one killed while its rows sit
    // spooled leaves it; the next import (as a server start) sweeps the folders of ended processes.
    const spoolDirs = () => readdirSync(importTmp).filter((n) => n.startsWith('spotcheck-import-'));
    const held = await killDuring(
      driver(worldDir, 'import-held', String(RUNS + 1), '3'),
      0,
      {
        TMPDIR: importTmp,
      },
      'writing',
    );
    expect(held.killed).toBe(true);
    const left = spoolDirs().length;
    expect(left).toBeGreaterThan(0);
    await runToEnd(driver(worldDir, 'import', String(RUNS + 2), '3'), { TMPDIR: importTmp });
    expect(spoolDirs()).toEqual([]);
    note(
      `import: ${RUNS} runs, ${killed} killed before exiting (${committed} after the write had committed, ${killed - committed} before), import ${measured} ms, ${left} temporary folders left by kills and swept, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
  }, 3_600_000);

  it('(b) a draw is absent or complete', async () => {
    const t0 = Date.now();
    const measured = CALIBRATE ? Math.max(await calibrate(driver(worldDir, 'draw')), 200) : WINDOW_MS.draw;
    let killed = 0;
    let committed = 0;
    for (let i = 1; i <= RUNS; i++) {
      const r = await killDuring(driver(worldDir, 'draw'), measured);
      if (r.killed) killed++;
      const target = r.go.split(' ')[1]!;
      await auditVerifies(worldDir);
      await withDb(worldDir, async (d) => {
        const rows = await d.db
          .select({
            id: draws.id,
            status: draws.status,
            result: draws.result,
            digest: draws.resultDigest,
            plan: plans.status,
          })
          .from(draws)
          .innerJoin(plans, eq(plans.id, draws.planId))
          .where(eq(draws.bureauCode, BINHAI));
        for (const row of rows) {
          const [ev] = await d.db
            .select({ n: count() })
            .from(auditEvents)
            .where(and(eq(auditEvents.action, 'draw.run'), eq(auditEvents.entityId, row.id)));
          const complete = row.status !== 'committed';
          expect({ draw: row.id, result: !!row.result, digest: !!row.digest, audited: ev!.n === 1 }).toEqual({
            draw: row.id,
            result: complete,
            digest: complete,
            audited: complete,
          });
          if (!complete) expect(row.plan).toBe('randomness-entered');
          if (r.killed && complete && row.id === target) committed++;
        }
      });
    }
    note(
      `draw: ${RUNS} runs, ${killed} killed before exiting (${committed} after the write had committed, ${killed - committed} before), draw ${measured} ms, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
  }, 3_600_000);

  it('(d) a rule-pack publish leaves the old or the new version', async () => {
    const t0 = Date.now();
    const measured = CALIBRATE
      ? Math.max(await calibrate(driver(worldDir, 'publish')), 200)
      : WINDOW_MS.publish;
    let killed = 0;
    let committed = 0;
    for (let i = 1; i <= RUNS; i++) {
      const c = start(driver(worldDir, 'publish'));
      const go = await c.line('go');
      const draftId = go.split(' ')[1]!;
      const fraction = moments[nextMoment++ % moments.length]!;
      const finished = await Promise.race([
        c.exited.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), fraction * measured)),
      ]);
      if (!finished) c.kill();
      const wasKilled = (await c.exited) === null;
      if (wasKilled) killed++;
      await auditVerifies(worldDir);
      await withDb(worldDir, async (d) => {
        const versions = await d.db
          .select({
            id: rulePackVersions.id,
            status: rulePackVersions.status,
            packId: rulePackVersions.packId,
          })
          .from(rulePackVersions)
          .where(eq(rulePackVersions.bureauCode, BINHAI));
        const published = versions.filter((v) => v.status === 'published');
        expect(published.length, `publish ${i} killed at ${fraction.toFixed(2)}`).toBe(1);
        const draft = versions.find((v) => v.id === draftId)!;
        const [ev] = await d.db
          .select({ n: count() })
          .from(auditEvents)
          .where(and(eq(auditEvents.action, 'rule-pack.publish'), eq(auditEvents.entityId, draftId)));
        if (draft.status === 'published') {
          expect(ev!.n).toBe(1);
          if (wasKilled) committed++;
        } else {
          expect(draft.status).toBe('draft');
          expect(ev!.n).toBe(0);
        }
      });
    }
    note(
      `publish: ${RUNS} runs, ${killed} killed before exiting (${committed} after the write had committed, ${killed - committed} before), publish ${measured} ms, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
  }, 3_600_000);

  it('(c) `db seed`: the roster absent or complete, and seeding again completes the demo', async () => {
    const t0 = Date.now();
    const dir = join(root, 'seed');
    const accounts = demoAccounts({ binhai: '', jinghai: '' }).length;
    const packs = discoverPacks(resolve(repo, 'rules'), repo).length;
    let measured = WINDOW_MS.seed;
    if (CALIBRATE) {
      const c = start(['apps/cli/src/index.ts', 'db', 'seed', '--units', String(SEED_UNITS)], {
        SPOTCHECK_DATA_DIR: dir,
        DATABASE_URL: '',
      });
      await holdsLock(dir, c);
      const from = Date.now();
      expect(await c.exited, c.output()).toBe(0);
      measured = Date.now() - from;
    }
    let killed = 0;
    let committed = 0;
    for (let i = 1; i <= RUNS; i++) {
      await cli(dir, 'db', 'reset', '--yes');
      const c = start(['apps/cli/src/index.ts', 'db', 'seed', '--units', String(SEED_UNITS)], {
        SPOTCHECK_DATA_DIR: dir,
        DATABASE_URL: '',
      });
      await holdsLock(dir, c); // the seed has opened the database: from here on it writes
      const fraction = moments[nextMoment++ % moments.length]!;
      const finished = await Promise.race([
        c.exited.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), fraction * measured)),
      ]);
      if (!finished) c.kill();
      const wasKilled = (await c.exited) === null;
      if (wasKilled) killed++;
      await auditVerifies(dir);
      const roster = await withDb(dir, async (d) => (await d.db.select({ n: count() }).from(units))[0]!.n);
      expect([0, SEED_UNITS], `seed ${i} killed at ${fraction.toFixed(2)}`).toContain(roster);
      if (wasKilled && roster === SEED_UNITS) committed++;
      await cli(dir, 'db', 'seed', '--units', String(SEED_UNITS)); // completes (or seeds afresh)
      await withDb(dir, async (d) => {
        expect((await d.db.select({ n: count() }).from(units))[0]!.n).toBe(SEED_UNITS);
        expect((await d.db.select({ n: count() }).from(users))[0]!.n).toBe(accounts);
        const published = await d.db
          .select({ n: count() })
          .from(rulePackVersions)
          .where(eq(rulePackVersions.status, 'published'));
        expect(published[0]!.n).toBe(packs);
        expect((await verifyAuditChain(d.db)).ok).toBe(true);
      });
    }
    note(
      `seed: ${RUNS} runs, ${killed} killed before exiting (${committed} after the write had committed, ${killed - committed} before), seed ${measured} ms, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
  }, 3_600_000);
});
