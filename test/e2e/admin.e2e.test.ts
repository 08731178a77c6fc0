/**
 * End-to-end: the built admin SPA in Debian Chromium against a real API server on an in-memory
 * PGlite seeded with a small demo city. Screenshots go to test/.artifacts/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, type Database } from '@spotcheck/db';
import { DEMO_PASSWORD, seedDemoCity } from '@spotcheck/demo';
import { startServer, type RunningServer } from '../../apps/api/src/index';
import { createDemoAccounts } from '../../apps/cli/src/lib/accounts';
import {
  CHROMIUM_PATH,
  ensureAdminBuilt,
  hasChromium,
  launchChromium,
  type Browser,
  type Page,
} from '../../apps/admin/test-support/browser';

const SHOTS = resolve(import.meta.dirname, '../.artifacts/screenshots');

if (!hasChromium) {
  console.warn(`admin e2e SKIPPED: ${CHROMIUM_PATH} is not installed (apt-get install -y chromium fonts-wqy-microhei)`);
}

describe.skipIf(!hasChromium)('admin SPA end to end', () => {
  let database: Database;
  let server: RunningServer;
  let browser: Browser;
  const shots: string[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    const [dist] = await Promise.all([
      ensureAdminBuilt(),
      (async () => {
        database = await openDatabase({ dataDir: 'memory://' });
        await migrateDatabase(database);
        await seedDemoCity(database, { units: 2000, seed: 20270101 });
        await createDemoAccounts(database);
      })(),
    ]);
    server = await startServer({ database, port: 0, staticMounts: [{ prefix: '/admin/', dir: dist }] });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    for (const p of pages) await p.context().close();
    await browser?.close();
    await server?.close();
    await database?.close();
    if (shots.length) console.log(`admin e2e screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
  });

  /** A fresh browser context (own cookies) signed in as a demo account. */
  async function signIn(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    pages.push(page);
    page.on('pageerror', (err) => console.error(`[browser ${username}] ${err.message}`));
    await page.goto(`${server.url}/admin/`);
    await page.waitForURL(/\/admin\/login$/);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId('current-user').waitFor();
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    const path = join(SHOTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    shots.push(path);
  }

  it('shows the login page in Chinese and refuses a wrong password', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${server.url}/admin/`);
    await page.waitForURL(/\/admin\/login$/);
    await expect.poll(() => page.getByTestId('login-card').textContent()).toContain('双随机、一公开');
    await shot(page, '01-login');
    await page.locator('#username').fill('binhai-operator');
    await page.locator('#password').fill('wrong password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('wrong username or password');
  });

  it('lets a district operator in, with a role-aware menu and the workbench', async () => {
    const page = await signIn('binhai-operator');
    const menu = page.getByTestId('main-menu');
    await expect.poll(() => menu.textContent()).toContain('抽查计划与摇号');
    const text = (await menu.textContent()) ?? '';
    expect(text).toContain('工作台');
    expect(text).not.toContain('账号管理'); // accounts are for administrators
    expect(text).not.toContain('考核评估'); // the assessment is the city's
    await shot(page, '02-workbench-operator');
  });

  it('browses the target roster, filters it and opens a unit with its fact history', async () => {
    const page = await signIn('binhai-admin');
    await page.goto(`${server.url}/admin/rosters/units`);
    const table = page.getByTestId('units-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    await shot(page, '03-units');
    const firstName = (await table.locator('tbody tr.ant-table-row').first().locator('td').nth(1).textContent())!.trim();
    await page.getByTestId('units-search').locator('input').fill(firstName.slice(0, 4));
    await page.getByTestId('units-search').locator('input').press('Enter');
    await expect.poll(() => table.locator('tbody tr.ant-table-row').first().textContent()).toContain(firstName.slice(0, 4));
    await table.locator('tbody tr.ant-table-row').first().locator('a').first().click();
    await page.getByTestId('unit-facts').waitFor();
    await expect.poll(() => page.textContent('body')).toContain('事实变更历史');
    await shot(page, '04-unit-detail');

    await page.goto(`${server.url}/admin/rosters/inspectors`);
    await page.getByTestId('inspectors-table').locator('tbody tr.ant-table-row').first().waitFor();
    await shot(page, '05-inspectors');
  });

  it('switches the whole UI, antd included, to English and back', async () => {
    const page = await signIn('binhai-admin');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('main-menu').textContent()).toContain('Workbench');
    await page.goto(`${server.url}/admin/rosters/units`);
    await page.getByTestId('units-table').locator('tbody tr.ant-table-row').first().waitFor();
    await expect.poll(() => page.textContent('body')).toContain('Unified social credit code');
    await shot(page, '06-units-english');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('main-menu').textContent()).toContain('工作台');
  });

  it('shows the audit trail and verifies the hash chain for an auditor', async () => {
    const page = await signIn('auditor');
    await page.goto(`${server.url}/admin/audit`);
    await page.getByTestId('audit-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-verify-result').textContent()).toContain('哈希链完整');
    await shot(page, '07-audit');
  });
});
