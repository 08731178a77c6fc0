import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@spotcheck/db';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'spotcheck-cli-'));

/** Runs the CLI as a user would, on a private PGlite data directory. */
async function spotcheck(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'apps/cli/src/index.ts', ...args], {
      cwd: root,
      env: { ...process.env, SPOTCHECK_DATA_DIR: dataDir, DATABASE_URL: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('spotcheck db and audit commands', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a nonsense roster size before touching the database', async () => {
    const r = await spotcheck('db', 'seed', '--units', 'many');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--units must be a whole number');
  });

  it('seeds, then verifies the audit chain, then detects an altered event', async () => {
    const seeded = await spotcheck('db', 'seed', '--units', '200');
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/seeded PGlite at .*"units":200/);

    const ok = await spotcheck('audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/audit chain verified: (\d+) events/);

    // Tamper as a database superuser would: disable the append-only trigger and edit an event.
    const database = await openDatabase({ dataDir });
    await database.exec('ALTER TABLE audit_events DISABLE TRIGGER USER');
    await database.exec(`UPDATE audit_events SET after = '{"username":"mallory"}' WHERE seq = 2`);
    await database.close();

    const broken = await spotcheck('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/audit chain BROKEN at event 2 \(altered\)/);
  }, 180_000);

  it('says what to do when reset is not confirmed', async () => {
    const r = await spotcheck('db', 'reset');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('add --yes to confirm');
  });
});
