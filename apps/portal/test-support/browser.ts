/**
 * Browser and build helpers for the portal's end-to-end suite (test/e2e/portal.e2e.test.ts).
 * They live in the portal package so that playwright-core and vite resolve from its dependencies.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export type { Browser, BrowserContext, Page } from 'playwright-core';

/** The Debian Chromium the suite drives (test tools cannot download browsers here). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Whether Chromium is installed. */
export const hasChromium = existsSync(CHROMIUM_PATH);

/** The portal app's root folder. */
export const PORTAL_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

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

/** Whether apps/portal/dist is missing or older than its sources, config or packages/core. */
export function portalDistIsStale(): boolean {
  const index = join(PORTAL_ROOT, 'dist', 'index.html');
  if (!existsSync(index)) return true;
  const sources = Math.max(
    newestMtime(join(PORTAL_ROOT, 'src')),
    newestMtime(resolve(PORTAL_ROOT, '../../packages/core/src')),
    statSync(join(PORTAL_ROOT, 'index.html')).mtimeMs,
    statSync(join(PORTAL_ROOT, 'vite.config.ts')).mtimeMs,
  );
  return sources > statSync(index).mtimeMs;
}

/** Builds the portal with Vite when dist is missing or stale; returns the dist folder. */
export function ensurePortalBuilt(): string {
  if (portalDistIsStale()) {
    // A child process: under vitest NODE_ENV is "test", which would bundle React's development build.
    const viteBin = join(
      dirname(createRequire(import.meta.url).resolve('vite/package.json')),
      'bin',
      'vite.js',
    );
    const run = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], {
      cwd: PORTAL_ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`vite build of apps/portal failed:\n${run.stdout}\n${run.stderr}`);
  }
  return join(PORTAL_ROOT, 'dist');
}
