/**
 * kill -9 during the very first start (issue 11, kill -9 loop): the embedded database's first
 * initialisation left a half-written data folder that could never be opened again. Now the
 * cluster is initialised in a temp folder and renamed into place when complete; a folder left
 * incomplete by an older version is moved aside and initialised afresh; a folder holding anything
 * else is refused, never deleted. `SPOTCHECK_KILL9_RUNS` kills (default 1) at random moments.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase } from '@spotcheck/db';

const RUNS = Number(process.env.SPOTCHECK_KILL9_RUNS) || 1;
const SEED = Number(process.env.SPOTCHECK_KILL9_SEED) || Date.now() % 2 ** 31;
const root = mkdtempSync(join(tmpdir(), 'spotcheck-init-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Starts hold-datadir.ts on `dir`: `opening` resolves when it starts opening, `ready` when open (ms after opening). */
function holder(dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'hold-datadir.ts'), dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let openingAt = 0;
  let out = '';
  const opening = new Promise<void>((res) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!openingAt && out.includes('opening')) {
        openingAt = Date.now();
        res();
      }
    });
  });
  const ready = new Promise<number>((res, rej) => {
    child.stdout.on('data', () => out.includes('ready') && res(Date.now() - openingAt));
    child.once('exit', () => rej(new Error('exited before ready')));
  });
  ready.catch(() => {});
  const exited = new Promise((r) => child.once('exit', r));
  return { child, opening, ready, exited };
}

async function opensAndMigrates(dir: string) {
  const database = await openDatabase({ dataDir: dir });
  try {
    await migrateDatabase(database);
    const { rows } = await database.exec('select count(*)::int as n from bureaus');
    expect(rows[0]!.n).toBe(0);
  } finally {
    await database.close();
  }
}

describe('first initialisation of the embedded database', () => {
  it(`a kill -9 at a random moment of the first start leaves a folder that opens (${RUNS} kills)`, async () => {
    // How long the first open takes here (initialisation included).
    const calib = holder(join(root, 'calibration'));
    const full = await calib.ready;
    calib.child.kill('SIGKILL');
    await calib.exited;
    const moments = fc.sample(fc.double({ min: 0, max: 1, noNaN: true }), { numRuns: RUNS, seed: SEED });
    for (const [i, fraction] of moments.entries()) {
      const dir = join(root, `run-${i}`);
      const h = holder(dir);
      await h.opening;
      await new Promise((r) => setTimeout(r, fraction * full));
      h.child.kill('SIGKILL');
      await h.exited;
      await opensAndMigrates(dir);
      // No temp folder is left once a start has succeeded.
      expect(readdirSync(root).filter((e) => e.startsWith(`run-${i}.init-`))).toEqual([]);
    }
  }, 1_200_000);

  it('a folder an older version left half-initialised is moved aside and initialised afresh', async () => {
    const dir = join(root, 'half');
    mkdirSync(join(dir, 'base', '1'), { recursive: true });
    writeFileSync(join(dir, 'PG_VERSION'), '17\n');
    mkdirSync(join(dir, 'pg_wal'));
    await opensAndMigrates(dir);
    expect(readdirSync(root).some((e) => e.startsWith('half.incomplete-'))).toBe(true);
    expect(existsSync(join(dir, 'global', 'pg_control'))).toBe(true);
  }, 300_000);

  it('a folder with other files is refused, naming one, and left as it was', async () => {
    const dir = join(root, 'foreign');
    mkdirSync(dir);
    writeFileSync(join(dir, 'thesis.docx'), 'precious');
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(
      /is not an embedded Spotcheck database.*thesis\.docx/,
    );
    expect(readdirSync(dir)).toEqual(['thesis.docx']);
  });
});
