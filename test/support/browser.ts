/**
 * Browser and build helpers for the end-to-end suites (test/e2e): Debian's Chromium driven by
 * playwright-core, and a Vite build of a web app when its dist is missing or stale.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export type { Browser, BrowserContext, Page } from 'playwright-core';

/** The Debian Chromium the suites drive (test tools cannot download browsers here). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Whether Chromium is installed. */
export const hasChromium = existsSync(CHROMIUM_PATH);

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A web app's root folder (apps/admin, apps/portal). */
export function appRoot(app: 'admin' | 'portal'): string {
  return join(REPO_ROOT, 'apps', app);
}

/** Launches headless Chromium with the flags that work in containers and CI. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether an app's dist is missing or older than its sources, config or packages/core. */
export function distIsStale(app: 'admin' | 'portal'): boolean {
  const root = appRoot(app);
  const index = join(root, 'dist', 'index.html');
  if (!existsSync(index)) return true;
  const sources = Math.max(
    newestMtime(join(root, 'src')),
    newestMtime(join(REPO_ROOT, 'packages/core/src')),
    statSync(join(root, 'index.html')).mtimeMs,
    statSync(join(root, 'vite.config.ts')).mtimeMs,
  );
  return sources > statSync(index).mtimeMs;
}

/** Builds an app with its own Vite when dist is missing or stale; returns the dist folder. */
export function ensureBuilt(app: 'admin' | 'portal'): string {
  const root = appRoot(app);
  if (distIsStale(app)) {
    // A child process: under vitest NODE_ENV is "test", which would bundle React's development build.
    const viteBin = join(
      dirname(createRequire(join(root, 'package.json')).resolve('vite/package.json')),
      'bin',
      'vite.js',
    );
    const run = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production' },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`vite build of apps/${app} failed:\n${run.stdout}\n${run.stderr}`);
  }
  return join(root, 'dist');
}
