/**
 * Browser and build helpers for the end-to-end suites (test/e2e): Debian's Chromium driven by
 * playwright-core, and a Vite build of a web app when its dist is missing or stale.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

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

/** Whether an app's dist is missing or older than its sources, config, packages/core or packages/ui. */
export function distIsStale(app: 'admin' | 'portal'): boolean {
  const root = appRoot(app);
  const index = join(root, 'dist', 'index.html');
  if (!existsSync(index)) return true;
  const sources = Math.max(
    newestMtime(join(root, 'src')),
    newestMtime(join(REPO_ROOT, 'packages/core/src')),
    newestMtime(join(REPO_ROOT, 'packages/ui/src')),
    statSync(join(root, 'index.html')).mtimeMs,
    statSync(join(root, 'vite.config.ts')).mtimeMs,
  );
  return sources > statSync(index).mtimeMs;
}

/**
 * Holds a lock (a directory in the temp folder, per checkout and app) while `build` runs: test
 * files run in parallel workers, and two Vite builds of one app into the same dist (which each
 * empties first) would break each other. A lock older than ten minutes is from a dead process.
 */
function withBuildLock<T>(root: string, build: () => T): T {
  const lock = join(
    tmpdir(),
    `spotcheck-build-${createHash('sha256').update(root).digest('hex').slice(0, 16)}`,
  );
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 10 * 60_000)
        rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(pause, 0, 0, 250);
    }
  }
  try {
    return build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds an app with its own Vite when dist is missing or stale; returns the dist folder. */
export function ensureBuilt(app: 'admin' | 'portal'): string {
  const root = appRoot(app);
  withBuildLock(root, () => buildIfStale(app, root));
  return join(root, 'dist');
}

function buildIfStale(app: 'admin' | 'portal', root: string): void {
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
}

/**
 * Waits until the elements `locator` matches, and everything in them, have finished their
 * animations (an antd dialog zooms in for ~0.3 s: a click during it lands where the control will
 * be, not where it is, and can choose its neighbour instead). Two frames first, so that an
 * animation about to start (antd adds its classes a frame after mounting) is waited for too.
 */
export async function settled(locator: Locator): Promise<void> {
  await locator.evaluateAll(async (els) => {
    await new Promise((frame) => requestAnimationFrame(() => requestAnimationFrame(frame)));
    await Promise.all(
      els.flatMap((el) => el.getAnimations({ subtree: true }).map((a) => a.finished.catch(() => undefined))),
    );
  });
}

/**
 * Chooses an option of an antd Select and waits until the select shows it. Under load a click
 * on an option can land while the list is still animating open and be lost, so the option is
 * made active by hovering once the list has settled, picked with Enter, and the whole step is
 * tried again (a few times) until the select shows `shown`.
 * `typed` is first typed into a searchable select to narrow the list; `shown` may instead be a
 * check of the page (for a picker that clears itself once it has added what was chosen).
 */
export async function chooseOption(
  page: Page,
  select: Locator,
  option: string | RegExp,
  { shown = option, typed }: { shown?: string | RegExp | (() => Promise<boolean>); typed?: string } = {},
): Promise<void> {
  const shows = async () => {
    if (typeof shown === 'function') return shown();
    const text = (await select.textContent()) ?? '';
    return typeof shown === 'string' ? text.includes(shown) : shown.test(text);
  };
  for (let attempt = 1; attempt <= 5; attempt++) {
    // Open this select's own list (another select's list may still be closing).
    // (A search select may open only once something is typed.)
    if ((await select.locator('[aria-expanded="true"]').count()) === 0)
      await select.click({ timeout: 10_000 });
    const search = select.locator('input').first();
    if (typed !== undefined && (await search.isEditable())) await search.fill(typed);
    // This select's own list: the popup holding the listbox its input controls. (The select may
    // re-render while its list opens, closing it: then the step is tried again.)
    let listId: string | null;
    try {
      await select.locator('[aria-expanded="true"]').waitFor({ timeout: 15_000 });
      listId = await select
        .locator('[aria-expanded="true"]')
        .first()
        .getAttribute('aria-controls', { timeout: 3_000 });
    } catch (err) {
      if (attempt === 5) throw err;
      await page.keyboard.press('Escape');
      continue;
    }
    const dropdown = listId
      ? page.locator(`.ant-select-dropdown:visible:has([id="${listId}"])`)
      : page.locator('.ant-select-dropdown:visible');
    const item = dropdown
      .locator('.ant-select-item-option:not(.ant-select-item-option-disabled)')
      .filter({ hasText: option })
      .first();
    try {
      await item.waitFor({ timeout: 10_000 });
    } catch (err) {
      if (attempt === 5) throw err;
      await page.keyboard.press('Escape');
      continue;
    }
    // The list has settled once no opening motion class is left on it.
    await page
      .waitForFunction(
        () =>
          !document.querySelector(
            '.ant-select-dropdown[class*="slide-up-enter"], .ant-select-dropdown[class*="slide-up-appear"]',
          ),
        undefined,
        { timeout: 5_000 },
      )
      .catch(() => undefined);
    // The select may re-render under the pointer (its list closes): then the step is tried again.
    try {
      await item.hover({ timeout: 3_000 });
    } catch (err) {
      if (attempt === 5) throw err;
      await page.keyboard.press('Escape');
      continue;
    }
    await page
      .waitForFunction(
        (el) => el?.classList.contains('ant-select-item-option-active'),
        await item.elementHandle(),
        {
          timeout: 2_000,
        },
      )
      .catch(() => undefined);
    try {
      if (
        await item.evaluate((el) => el.classList.contains('ant-select-item-option-active'), undefined, {
          timeout: 3_000,
        })
      ) {
        await page.keyboard.press('Enter');
      } else {
        await item.click({ timeout: 3_000 });
      }
    } catch (err) {
      if (attempt === 5) throw err;
      await page.keyboard.press('Escape');
      continue;
    }
    for (let i = 0; i < 20; i++) {
      if (await shows()) return;
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`chooseOption: the select never showed ${String(shown)} after choosing ${String(option)}`);
}
