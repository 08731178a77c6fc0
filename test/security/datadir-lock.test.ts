/** Two servers on one embedded data folder (issue 11, High): the second is refused, naming the first. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir, openDatabase } from '@spotcheck/db';

const root = mkdtempSync(join(tmpdir(), 'spotcheck-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('single-writer lock on the embedded data directory', () => {
  it('refuses a second process and names the first; takes over once it is gone (kill -9)', async () => {
    const dir = join(root, 'pglite');
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'hold-datadir.ts'), dir], {
      stdio: 'ignore',
    });
    try {
      // The holder takes the lock before the database boots.
      await expect
        .poll(() => existsSync(`${dir}.lock`) && readFileSync(`${dir}.lock`, 'utf8'), { timeout: 60_000 })
        .toContain(`"pid":${child.pid}`);
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(
        new RegExp(`in use by process ${child.pid}: ".*hold-datadir\\.ts`),
      );
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    expect(existsSync(`${dir}.lock`)).toBe(true); // left behind by kill -9
    const release = lockDataDir(dir); // stale: taken over
    expect(() => lockDataDir(dir)).toThrow(/in use by this process/);
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  }, 120_000);

  it('a lock naming a process that no longer runs is stale', () => {
    const dir = join(root, 'stale');
    const gone = spawnSync('true').pid;
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: gone, command: 'old', since: '2026-01-01' }));
    const release = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, 'utf8')).toContain(`"pid":${process.pid}`);
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });
});
