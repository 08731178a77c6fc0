/**
 * End-to-end for 一公开 that runs itself (R15–R16, R18): the built portal and admin in Debian
 * Chromium against an API server on an in-memory PGlite. A Binhai draw and a quarter's results
 * (one field withheld) are published by the scheduled job with a pinned clock; the demo's seeded
 * blacklist is published by its job. Then: a shared draw link opens the right bureau, pages fit a
 * 390 px phone, withheld fields read 依法不予公开, blacklist dates do not move with the browser's
 * time zone, and the admin's job page is in Chinese and shows a run's summary and error to city staff
 * only (district staff read 仅市局可见). Screenshots: test/.artifacts/screenshots/pub-*.png.
 */
import { join, resolve } from 'node:path';
import { and, desc, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  checklistVersions,
  jobRuns,
  publications,
  unitFacts,
  units,
  users,
  type Database,
} from '@spotcheck/db';
import type { RunningServer } from '@spotcheck/server';
import { openDemoCity, serveBothApps } from './admin-world';
import { demoBeacon } from '@spotcheck/core';
import {
  appRouter,
  createCallerFactory,
  createContextInner,
  createSession,
  installRulePacks,
  localDemoBeacon,
  runJob,
} from '@spotcheck/api';
import { browserSignOff, browserStyleKey, wholeSecondsOf } from '../support/official-keys';
import { readPackDir } from '@spotcheck/rules/load';
import { describeInChromium, useBrowser, type Page } from '../support/e2e';

const ROOT = resolve(import.meta.dirname, '../..');
const BINHAI = '120116';
const SECRET = '涉密生产线XJ-9';

let clock = new Date('2026-07-06T01:00:00Z');

/** The local demo beacon (演示信标), a round every 3 s from an hour before the suite's clock. */
const beacon = localDemoBeacon(
  demoBeacon('publication e2e beacon', Math.floor(clock.getTime() / 1000) - 3600, 3),
);

async function callerAs(database: Database, username: string) {
  const [user] = await database.db.select().from(users).where(eq(users.username, username));
  const { token } = await createSession(database.db, user!.id, clock);
  return createCallerFactory(appRouter)(() =>
    createContextInner({ db: database.db, sessionToken: token, now: () => clock, beacon }),
  );
}

/** A Binhai draw in 2026-Q3, a result with a withheld summary, both published by the jobs. */
async function publishWorld(database: Database) {
  await installRulePacks(
    database.db,
    ['city', 'binhai'].map((dir) => readPackDir(join(ROOT, 'rules/tianjin', dir))),
    null,
  );
  const [list] = await database.db
    .select()
    .from(checklistVersions)
    .where(and(eq(checklistVersions.bureauCode, BINHAI), eq(checklistVersions.status, 'published')))
    .orderBy(desc(checklistVersions.version))
    .limit(1);
  const operator = await callerAs(database, 'binhai-operator');
  const approver = await callerAs(database, 'binhai-approver');
  // The approver's key, made the browser's way and registered (published) by the admin.
  const binhaiAdmin = await callerAs(database, 'binhai-admin');
  const key = await browserStyleKey();
  await approver.keys.propose({ bureauCode: BINHAI, publicKey: key.publicKey });
  await binhaiAdmin.keys.register({ keyId: key.keyId });
  const plan = await operator.plans.create({
    bureauCode: BINHAI,
    title: '2026年第三季度一般检查',
    period: '2026-Q3',
    kind: 'general',
    sources: (await operator.plans.proposeSources({ plannedDrawAt: new Date(clock.getTime() + 120_000) }))
      .sources,
    checklistVersionId: list!.id,
  });
  await operator.plans.submit({ planId: plan.id });
  const { draw } = await approver.plans.approve({ planId: plan.id });
  // Past every drand round the commitment names (the demo beacon's rounds come every 3 s).
  const lastRound = Math.max(...draw.commitment.sources.map((s) => (s.kind === 'drand' ? s.round : 0)));
  clock = new Date((beacon.info.genesis + lastRound * 3 + 600) * 1000);
  await operator.draws.enterRandomness({ drawId: draw.id, values: draw.commitment.sources.map(() => null) });
  await operator.draws.run({ drawId: draw.id });
  const [me] = await database.db.select().from(users).where(eq(users.username, 'binhai-approver'));
  const drawn = await approver.draws.get({ drawId: draw.id });
  await approver.draws.sign({
    drawId: draw.id,
    signOff: await browserSignOff(
      key,
      { id: me!.id, name: me!.displayName },
      wholeSecondsOf(clock),
      drawn.commitmentDigest,
      drawn.resultDigest!,
    ),
  });
  await operator.draws.issueTasks({ drawId: draw.id });
  // Inspected in September, entered in October (the next quarter), summary withheld.
  clock = new Date('2026-10-12T02:00:00Z');
  const admin = await callerAs(database, 'binhai-admin');
  const [row, other] = (await admin.tasks.list({ planId: plan.id })).rows;
  // A second unit's whole result withheld (its unit, for a state secret); its draw stays as published.
  await admin.results.record({
    taskId: other!.task.id,
    outcome: 'violations',
    inspectedOn: '2026-09-16',
    findings: [
      { kind: 'hazard', description: '报警装置失效', checklistItemCode: other!.task.checklistItemCodes[0]! },
    ],
    redactions: [{ field: 'unit', reason: 'state-secret' }],
  });
  const [hiddenUnit] = await database.db.select().from(units).where(eq(units.id, other!.task.unitId));
  await admin.results.record({
    taskId: row!.task.id,
    outcome: 'compliant',
    inspectedOn: '2026-09-15',
    summary: `检查了${SECRET}`,
    redactions: [{ field: 'summary', reason: 'commercial-secret' }],
  });
  const q = await runJob(database.db, 'quarterly-results', {
    trigger: 'schedule',
    now: new Date('2026-10-27T02:00:00+08:00'),
  });
  expect(q.outcome).toBe('ok');
  // One unit on the roster was blacklisted in the bureau's earlier system (as the demo seeds them).
  const [unit] = await database.db
    .select()
    .from(units)
    .where(and(eq(units.bureauCode, BINHAI), eq(units.blacklisted, false)))
    .limit(1);
  await database.db.update(units).set({ blacklisted: true }).where(eq(units.id, unit!.id));
  await database.db.insert(unitFacts).values({
    bureauCode: unit!.bureauCode,
    unitId: unit!.id,
    kind: 'blacklist',
    value: { reason: '重大事故隐患逾期未整改' },
    effectiveOn: '2025-12-31',
    source: 'demo',
  });
  const b = await runJob(database.db, 'blacklist-publication', {
    trigger: 'schedule',
    now: new Date('2026-10-27T23:30:00Z'), // 07:30 on 10-28 in China, still 10-27 in UTC
  });
  expect(b.outcome).toBe('ok');
  const pub = async (kind: 'draw' | 'quarterly-results' | 'blacklist') =>
    (
      await database.db
        .select()
        .from(publications)
        .where(and(eq(publications.bureauCode, BINHAI), eq(publications.kind, kind)))
        .orderBy(desc(publications.publishedAt))
        .limit(1)
    )[0];
  return {
    hiddenUnit: hiddenUnit!,
    draw: (await pub('draw'))!,
    results: (await pub('quarterly-results'))!,
    blacklist: await pub('blacklist'),
  };
}

describeInChromium('publication')('一公开 in the browser', () => {
  let database: Database;
  let server: RunningServer;
  let world: Awaited<ReturnType<typeof publishWorld>>;
  const b = useBrowser('publication', { shotPrefix: 'pub-' });
  const { shot, errors } = b;

  beforeAll(async () => {
    database = await openDemoCity(600);
    world = await publishWorld(database);
    server = await serveBothApps(database);
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const visit = (path: string, opts: { width?: number; timezoneId?: string } = {}) =>
    b.visit(`${server.url}${path}`, { width: opts.width ?? 1280, height: 844, timezoneId: opts.timezoneId });

  const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
  /** The outermost elements sticking out past the viewport's right edge (for the failure message). */
  const overflowing = (page: Page) =>
    page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      const out: string[] = [];
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const r = el.getBoundingClientRect();
        const parent = el.parentElement?.getBoundingClientRect();
        if (r.right > w + 1 && (!parent || parent.right <= w + 1))
          out.push(
            `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} [${el.getAttribute('data-testid') ?? ''}] right=${Math.round(r.right)}`,
          );
      }
      return out.slice(0, 8).join('\n');
    });

  it('opens a shared draw link in the draw’s bureau, and keeps the bureau in the URL', async () => {
    const page = await visit(`/draws/${world.draw.id}`);
    await expect.poll(() => page.getByTestId('bureau-picker').textContent()).toContain('滨海新区');
    await expect.poll(() => new URL(page.url()).searchParams.get('bureau')).toBe(BINHAI);
    await expect
      .poll(() => page.getByTestId('verify-bundle').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('ok');
    // The menu keeps the bureau: the blacklist opens for Binhai.
    await page.getByTestId('main-menu').getByText('黑名单').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('bureau')).toBe(BINHAI);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/blacklist');
    await page.context().close();
  });

  it('fits the draw page and the others on a 390 px phone', async () => {
    const page = await visit(`/draws/${world.draw.id}?bureau=${BINHAI}`, { width: 390 });
    await expect
      .poll(() => page.getByTestId('verify-bundle').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('ok');
    await shot(page, '01-draw-390');
    expect(await scrollWidth(page), await overflowing(page)).toBeLessThanOrEqual(390);
    for (const path of ['/', `/results/${world.results.id}`, '/blacklist', '/open-data', '/results']) {
      await page.goto(`${server.url}${path}?bureau=${BINHAI}`);
      await page.waitForLoadState('networkidle');
      // Measured once the layout has settled: a page still rendering its lazily loaded table can
      // be wide for a frame (seen twice in CI, once right after a narrow reading, with no element
      // left overflowing after). Settled means narrow in two readings 400 ms apart; a page that
      // stays wide fails with the elements sticking out.
      const settledWidth = () =>
        page.evaluate(async () => {
          const first = document.documentElement.scrollWidth;
          await new Promise((r) => setTimeout(r, 400));
          return Math.max(first, document.documentElement.scrollWidth);
        });
      let width = 0;
      await expect
        .poll(async () => (width = await settledWidth()), { timeout: 15_000 })
        .toBeLessThanOrEqual(390)
        .catch(async () => {
          throw new Error(`${path} is ${width} px wide at 390 px:\n${await overflowing(page)}`);
        });
    }
    await shot(page, '02-results-390');
    await page.context().close();
  }, 180_000);

  it('shows a withheld field as 依法不予公开 with its reason, never its value', async () => {
    const page = await visit(`/results?bureau=${BINHAI}&period=2026-Q3`);
    // The deadlines the public can hold the bureau to: 2026-Q3 went out on its working day 15;
    // the job's first run also published the earlier quarters, past their deadlines, and says so.
    await expect.poll(() => page.getByTestId('deadline-2026-Q3').textContent()).toBe('按期公开');
    expect(await page.getByTestId('deadline-2026-Q2').textContent()).toBe('逾期公开');
    expect(await page.getByTestId('deadlines').textContent()).toContain('2026-11-03');
    await page
      .getByTestId('results-table')
      .getByRole('link', { name: /2026-Q3 随机抽查结果/ })
      .click();
    const items = page.getByTestId('results-items');
    await expect.poll(() => items.textContent()).toContain('依法不予公开（商业秘密）');
    expect(await page.textContent('body')).not.toContain(SECRET);
    expect(await items.textContent()).toContain('2026-09-15');
    // The result whose unit is withheld: every cell withheld, nothing that matches its draw row.
    const hiddenRow = items.locator('tbody tr', { hasText: '依法不予公开（国家秘密）' });
    await expect.poll(() => hiddenRow.count()).toBe(1);
    expect(await hiddenRow.getByTestId('withheld').count()).toBe(6);
    const body = (await page.textContent('body')) ?? '';
    for (const s of [world.hiddenUnit.name, world.hiddenUnit.id, '2026-09-16']) expect(body).not.toContain(s);
    await shot(page, '03-results-withheld');
    // The draw still names the unit (it was drawn in public and must stay recomputable), and
    // links to no result.
    await page.goto(`${server.url}/draws/${world.draw.id}?bureau=${BINHAI}`);
    await expect.poll(() => page.getByTestId('draw-selected').textContent()).toContain(world.hiddenUnit.id);
    expect(await page.getByTestId('draw-selected').locator('a').count()).toBe(0);
    await page.context().close();
  });

  it('dates the blacklist in China time whatever the browser’s time zone', async () => {
    if (!world.blacklist) return expect(world.blacklist).toBeDefined();
    const content = world.blacklist.content as { effectiveOn: string };
    const texts: string[] = [];
    for (const timezoneId of ['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
      const page = await visit(`/blacklist?bureau=${BINHAI}`, { timezoneId });
      const table = page.getByTestId('blacklist-table');
      await expect.poll(() => table.textContent()).toContain(content.effectiveOn);
      // Published 2026-10-27T23:30Z = 2026-10-28 07:30 in China.
      expect(await table.textContent()).toContain('2026-10-28 07:30');
      texts.push((await table.textContent()) ?? '');
      if (timezoneId === 'America/Los_Angeles') await shot(page, '04-blacklist-la');
      await page.context().close();
    }
    expect(new Set(texts).size).toBe(1);
  });

  it('offers open data downloads and an Atom feed for the bureau', async () => {
    const page = await visit(`/open-data?bureau=${BINHAI}`);
    await expect.poll(() => page.getByTestId('atom-feed').textContent()).toContain(`/feed/${BINHAI}.atom`);
    const csv = await page.evaluate(
      async (b) => (await fetch(`/open/results.csv?bureau=${b}`)).text(),
      BINHAI,
    );
    expect(csv).toContain('依法不予公开（商业秘密）');
    expect(csv).not.toContain(SECRET);
    const icon = await page.evaluate(async () => (await fetch('/favicon.svg')).status);
    expect(icon).toBe(200);
    await shot(page, '05-open-data');
    await page.context().close();
  });

  it('shows the scheduled jobs in Chinese in the admin, in China time from a Los Angeles browser, and runs one now', async () => {
    // The browser's zone is UTC−7/−8: every time on the page must still read as China time.
    const page = await b.signIn(server.url, 'city-admin', { timezoneId: 'America/Los_Angeles' });
    await page.goto(`${server.url}/admin/jobs`);
    const table = page.getByTestId('jobs-table');
    await expect.poll(() => table.textContent()).toContain('季度检查结果公开');
    const text = (await table.textContent()) ?? '';
    for (const s of ['公开期限提醒', '黑名单公示', '成功', '立即执行', '下次执行']) expect(text).toContain(s);
    expect(text).not.toMatch(/Publishes|Reminds|Run now/);
    const row = table.locator('tr', { hasText: '黑名单公示' });
    // The blacklist job last ran at 2026-10-27T23:30Z: 10-28 07:30 in China (10-27 16:30 in LA).
    expect(await row.textContent()).toContain('2026-10-28 07:30');
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(
      'America/Los_Angeles',
    );
    await row.getByRole('button', { name: '立即执行' }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await expect.poll(() => page.textContent('body')).toContain('执行完成');
    await shot(page, '06-admin-jobs');
    await page.goto(`${server.url}/admin/publication`);
    await expect.poll(() => page.getByTestId('publication-table').textContent()).toContain('2026-Q3');
    expect(await page.getByTestId('publication-table').textContent()).toContain('已公开');
    // Published by the job at 2026-10-27 02:00 China time (10-26 11:00 in LA).
    expect(await page.getByTestId('publication-table').textContent()).toContain('2026-10-27 02:00');
    await shot(page, '07-admin-publication');
    await page.context().close();
  });

  it('shows district staff a job run’s outcome but not its summary or error, which name units of every district', async () => {
    // A failed run whose error names a unit of another district, as a city-wide job's may.
    const [other] = await database.db.select().from(units).where(ne(units.bureauCode, BINHAI)).limit(1);
    const secret = `拟列入黑名单：${other!.name}`;
    await database.db.insert(jobRuns).values({
      name: 'publication-reminders',
      trigger: 'schedule',
      startedAt: new Date(),
      finishedAt: new Date(),
      outcome: 'failed',
      error: secret,
    });
    const page = await b.signIn(server.url, 'binhai-operator');
    await page.goto(`${server.url}/admin/jobs`);
    const table = page.getByTestId('jobs-table');
    await expect.poll(() => table.textContent()).toContain('公开期限提醒');
    const row = table.locator('tr', { hasText: '公开期限提醒' });
    expect(await row.textContent()).toContain('失败');
    await row.locator('.ant-table-row-expand-icon').click();
    const blacklist = table.locator('tr', { hasText: '黑名单公示' });
    await blacklist.locator('.ant-table-row-expand-icon').click();
    const placeholders = page.getByTestId('jobs-city-only');
    // The failed run, and the blacklist job's runs (its own, and the city admin's run-now).
    await expect.poll(() => placeholders.count()).toBeGreaterThanOrEqual(3);
    expect(await placeholders.first().textContent()).toBe('仅市局可见');
    // The failed outcome's tooltip says the same instead of the error.
    await row.locator('.ant-tag', { hasText: '失败' }).hover();
    await expect.poll(() => page.locator('.ant-tooltip').textContent()).toContain('仅市局可见');
    const text = (await page.textContent('body')) ?? '';
    expect(text).not.toContain(other!.name);
    expect(text).not.toContain('{}');
    await shot(page, '08-admin-jobs-district');
    // City staff read the error.
    const city = await b.signIn(server.url, 'city-admin');
    await city.goto(`${server.url}/admin/jobs`);
    const cityRow = city.getByTestId('jobs-table').locator('tr', { hasText: '公开期限提醒' });
    await cityRow.locator('.ant-table-row-expand-icon').click();
    await expect.poll(() => city.getByTestId('jobs-table').textContent()).toContain(secret);
    expect(await city.getByTestId('jobs-city-only').count()).toBe(0);
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
