/**
 * A server without `SPOTCHECK_KEY_SECRET` (issue 11, Medium): signing keys were encrypted under a
 * public constant, and a sign-off was forged from it. Now each data directory gets its own random
 * secret on first start (mode 0600), kept across restarts; no constant is left in the code.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '@spotcheck/server';
import { KEY_SECRET_FILE, keySecretFor, keySecretFromEnv } from '@spotcheck/api';
import { migrateDatabase, openDatabase } from '@spotcheck/db';

const root = mkdtempSync(join(tmpdir(), 'spotcheck-secret-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const noSecret = { ...process.env, SPOTCHECK_KEY_SECRET: '' };

describe('key secret of a server without SPOTCHECK_KEY_SECRET', () => {
  it('two fresh data directories get different random secrets, each 0600, kept across restarts', () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const secretA = keySecretFor({ kind: 'pglite', dataDir: a }, noSecret);
    const secretB = keySecretFor({ kind: 'pglite', dataDir: b }, noSecret);
    expect(secretA).not.toBe(secretB);
    expect(secretA.length).toBeGreaterThanOrEqual(32);
    for (const dir of [a, b]) expect(statSync(join(dir, KEY_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(keySecretFor({ kind: 'pglite', dataDir: a }, noSecret)).toBe(secretA); // a restart
    expect(readFileSync(join(a, KEY_SECRET_FILE), 'utf8').trim()).toBe(secretA);
  });

  it('SPOTCHECK_KEY_SECRET wins and writes no file', () => {
    const dir = join(root, 'env');
    const secret = 'an operator-chosen secret of forty characters!';
    expect(keySecretFor({ kind: 'pglite', dataDir: dir }, { SPOTCHECK_KEY_SECRET: secret })).toBe(secret);
    expect(() => statSync(join(dir, KEY_SECRET_FILE))).toThrow();
  });

  it('without a data directory the secret is random per process, not a constant', () => {
    const script = `import('${resolve(__dirname, '../../packages/api/src/auth/signing-keys.ts')}').then(m => console.log(m.keySecretFromEnv({})))`;
    const run = () =>
      execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
        encoding: 'utf8',
        env: noSecret,
      }).trim();
    const [one, two] = [run(), run()];
    expect(one.length).toBeGreaterThanOrEqual(32);
    expect(one).not.toBe(two);
    expect(keySecretFromEnv({})).toBe(keySecretFromEnv({})); // stable within a process
  }, 60_000);

  it('a server started on a fresh embedded data directory creates its secret there', async () => {
    const dir = join(root, 'server');
    const database = await openDatabase({ dataDir: dir });
    const saved = process.env.SPOTCHECK_KEY_SECRET;
    delete process.env.SPOTCHECK_KEY_SECRET;
    try {
      await migrateDatabase(database);
      const server = await startServer({ database, port: 0, staticMounts: [], beacon: null });
      await server.close();
      expect(statSync(join(dir, KEY_SECRET_FILE)).mode & 0o777).toBe(0o600);
    } finally {
      if (saved !== undefined) process.env.SPOTCHECK_KEY_SECRET = saved;
      await database.close();
    }
    // The embedded database still opens with the secret file in its folder.
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  }, 120_000);

  it('no public default secret is left in the code', () => {
    const grep = spawnSync(
      'grep',
      [
        '-rn',
        '-i',
        '-E',
        '--include=*.ts',
        '--include=*.tsx',
        '--exclude-dir=node_modules',
        'dev-key-secret|DEV_KEY_SECRET',
        'packages',
        'apps',
      ],
      { cwd: resolve(__dirname, '../..'), encoding: 'utf8' },
    );
    expect(grep.status).toBe(1); // grep: no match
    expect(grep.stdout).toBe('');
  });
});
