/**
 * The browser set-up the end-to-end suites (test/e2e) share: Chromium launched once per suite,
 * fresh contexts (own cookies) per page, page errors collected, sign-in to the admin SPA, and
 * screenshots that check a zh-CN page reads fully in Chinese before they are kept.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { DEMO_PASSWORD } from '@spotcheck/demo';
import { CHROMIUM_PATH, hasChromium, launchChromium, type Browser, type Page } from './browser';
import { assertReadsChinese } from './reads-chinese';

export { chooseOption, ensureBuilt, hasChromium, settled, type Browser, type Page } from './browser';
export { assertReadsChinese } from './reads-chinese';

/** Where the suites' screenshots go. */
export const SHOTS = resolve(import.meta.dirname, '../.artifacts/screenshots');

/** `describe`, skipped with a warning naming the suite where Chromium is not installed. */
export function describeInChromium(suite: string): typeof describe {
  if (!hasChromium)
    console.warn(
      `${suite} e2e SKIPPED: ${CHROMIUM_PATH} is not installed (apt-get install -y chromium fonts-wqy-microhei)`,
    );
  return describe.skipIf(!hasChromium) as typeof describe;
}

/** How a page's browser context is made. */
export interface PageOptions {
  /** `null`: the browser's own locale (no Accept-Language preference). Default zh-CN. */
  locale?: string | null;
  width?: number;
  height?: number;
  timezoneId?: string;
  acceptDownloads?: boolean;
  /** Names the page in logged page errors. */
  label?: string;
}

/** Options of a screenshot. */
export interface ShotOptions {
  /** Check that a zh-CN page reads fully in Chinese (default); off for a failure's screenshot. */
  check?: boolean;
  /** Latin-script strings the suite itself typed or seeded, which may show as typed. */
  allow?: readonly (string | RegExp)[];
  /** Wait until the network is idle first (default); off for a page that polls while a request is held. */
  idle?: boolean;
}

/** The suite's browser: pages, sign-in and screenshots. */
export interface SuiteBrowser {
  readonly browser: Browser;
  /** Every page error (uncaught exception) of every page opened here, in order. */
  readonly errors: string[];
  /** The screenshots taken, listed when the suite ends. */
  readonly shots: string[];
  /**
   * A page in a fresh context. One opened by a test is closed when that test ends (unless
   * {@link keep}), one opened before the tests (`beforeAll`) when the suite ends: every open page
   * costs Chromium CPU while the suite goes on, and a suite opens dozens.
   */
  newPage(options?: PageOptions): Promise<Page>;
  /** Keeps a page a test opened open for the tests after it, until the suite ends. */
  keep(page: Page): Page;
  /** A fresh page at `url`. */
  visit(url: string, options?: PageOptions): Promise<Page>;
  /** Signs in to the admin SPA at `baseUrl` on a fresh page (or `options.page`). */
  signIn(
    baseUrl: string,
    username: string,
    options?: PageOptions & { password?: string; page?: Page },
  ): Promise<Page>;
  /**
   * Waits for the network to settle and screenshots the whole page to SHOTS/<prefix><name>.png;
   * then, on a zh-CN page, fails naming any internal id or English text it shows.
   */
  shot(page: Page, name: string, options?: ShotOptions): Promise<void>;
}

/**
 * Launches Chromium for the suite that calls it (inside its `describe`) and closes it, with every
 * page opened, when the suite ends. `shotPrefix` starts the suite's screenshot names.
 */
export function useBrowser(suite: string, { shotPrefix = '' }: { shotPrefix?: string } = {}): SuiteBrowser {
  let browser: Browser | undefined;
  const pages: Page[] = [];
  /** Pages the running test opened, closed when it ends unless kept. */
  const opened: Page[] = [];
  let inTest = false;
  const kept = new Set<Page>();
  const errors: string[] = [];
  const shots: string[] = [];
  const close = (page: Page) =>
    page
      .context()
      .close()
      .catch(() => undefined);

  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  // Registered before a suite's own hooks, so run after them (a failure's screenshot included).
  beforeEach(() => {
    inTest = true;
  });
  afterEach(async () => {
    inTest = false;
    for (const p of opened.splice(0)) if (!kept.has(p)) await close(p);
  });

  afterAll(async () => {
    for (const p of pages) await close(p);
    await browser?.close();
    if (shots.length) console.log(`${suite} e2e screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
  });

  const newPage = async ({
    locale = 'zh-CN',
    width = 1440,
    height = 900,
    timezoneId,
    acceptDownloads,
    label = suite,
  }: PageOptions = {}) => {
    if (!browser) throw new Error('useBrowser: the browser is not launched yet (call pages from tests)');
    const context = await browser.newContext({
      viewport: { width, height },
      ...(locale ? { locale } : {}),
      ...(timezoneId ? { timezoneId } : {}),
      ...(acceptDownloads !== undefined ? { acceptDownloads } : {}),
    });
    const page = await context.newPage();
    pages.push(page);
    if (inTest) opened.push(page);
    page.on('pageerror', (err) => {
      errors.push(err.message);
      console.error(`[browser ${label}] ${err.message}`);
    });
    return page;
  };

  return {
    get browser() {
      if (!browser) throw new Error('useBrowser: the browser is not launched yet');
      return browser;
    },
    errors,
    shots,
    newPage,
    keep(page) {
      kept.add(page);
      return page;
    },
    async visit(url, options) {
      const page = await newPage(options);
      await page.goto(url);
      return page;
    },
    async signIn(baseUrl, username, { password = DEMO_PASSWORD, page, ...options } = {}) {
      const p = page ?? (await newPage({ label: username, ...options }));
      await p.goto(`${baseUrl}/admin/`);
      await p.waitForURL(/\/admin\/login$/);
      await p.locator('#username').fill(username);
      await p.locator('#password').fill(password);
      await p.getByRole('button', { name: /登\s*录/ }).click();
      await p.getByTestId('current-user').waitFor();
      return p;
    },
    async shot(page, name, { check = true, allow = [], idle = true } = {}) {
      if (idle) await page.waitForLoadState('networkidle');
      const path = join(SHOTS, `${shotPrefix}${name}.png`);
      await page.screenshot({ path, fullPage: true });
      shots.push(path);
      if (!check || !(await page.evaluate(() => document.documentElement.lang.startsWith('zh')))) return;
      await assertReadsChinese(page, { allow, where: `screenshot ${shotPrefix}${name} (${page.url()})` });
    },
  };
}
