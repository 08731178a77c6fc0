/**
 * End-to-end: the built public portal in Debian Chromium against a real API server on an
 * in-memory PGlite with a small demo city. A Binhai plan runs approve → randomness → draw → sign
 * through the API (a second one is voided by two people), a quarter's results are published, and
 * a visitor with no login reads the column and verifies the draw in the browser. Screenshots go to
 * test/.artifacts/screenshots/portal-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { migrateDatabase, openDatabase, users, type Database } from '@spotcheck/db';
import { seedDemoCity } from '@spotcheck/demo';
import { demoBeacon, type DrawBundleV2 as DrawBundle } from '@spotcheck/core';
import { startServer, type RunningServer } from '../../apps/api/src/index';
import { createDemoAccounts } from '../../apps/cli/src/lib/accounts';
import {
  appRouter,
  createCallerFactory,
  createContextInner,
  createSession,
  createUser,
  localDemoBeacon,
} from '../../packages/api/src/index';
import {
  browserSignOff,
  browserStyleKey,
  browserVoidSignature,
  wholeSecondsOf,
} from '../support/official-keys';
import { readPackDir } from '../../packages/rules/src/load';
import {
  CHROMIUM_PATH,
  ensureBuilt,
  hasChromium,
  launchChromium,
  type Browser,
  type Page,
} from '../support/browser';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = resolve(import.meta.dirname, '../.artifacts/screenshots');
const BINHAI = '120116';
const VOID_REASON = '随机数来源期号录入错误，需重新承诺';

/** The API's clock for the seeded workflow: the draw and results fall in 2026-Q3. */
let clock = new Date('2026-07-06T01:00:00Z');

/** Moves the clock on a few minutes, so that publications have distinct times as in real life. */
function tick(): void {
  clock = new Date(clock.getTime() + 5 * 60_000);
}

/** The suite's demo beacon (the code `npm start` serves), started before the suite's clock. */
const beacon = localDemoBeacon(demoBeacon('portal e2e beacon', Date.parse('2026-07-01T00:00:00Z') / 1000, 3));

/** A tRPC caller signed in as a user, on the suite's clock. */
async function callerAs(database: Database, username: string) {
  const [user] = await database.db.select().from(users).where(eq(users.username, username));
  const { token } = await createSession(database.db, user!.id, clock);
  return createCallerFactory(appRouter)(() =>
    createContextInner({ db: database.db, sessionToken: token, now: () => clock, beacon }),
  );
}

/** The beacon round the plan wizard proposes for a draw two minutes from the suite's clock. */
async function nextRound(caller: Awaited<ReturnType<typeof callerAs>>) {
  return (await caller.plans.proposeSources({ plannedDrawAt: new Date(clock.getTime() + 120_000) })).sources;
}

/** Moves the clock past every drand round of a commitment. */
function passRounds(c: { sources: readonly { kind: string; round?: number }[] }) {
  const last = Math.max(...c.sources.map((s) => (s.round ? beacon.info.genesis + (s.round - 1) * 3 : 0)));
  clock = new Date(Math.max(clock.getTime(), (last + 1) * 1000));
}

/** What the seeded workflow left for the portal to show. */
interface Published {
  drawPublicationId: string;
  bundle: DrawBundle;
  checklistCodes: string[];
  addedItemCode: string;
  voidApprover: string;
  voidRequester: string;
  blacklistedUnit: string;
}

/**
 * Publishes rule packs and two new Binhai checklist versions, runs a plan to a signed draw,
 * voids a second plan's draw (two people), records a result and publishes the quarter.
 */
async function publishWorld(database: Database): Promise<Published> {
  const city = await callerAs(database, 'city-admin');
  const admin = await callerAs(database, 'binhai-admin');
  const operator = await callerAs(database, 'binhai-operator');
  const approver = await callerAs(database, 'binhai-approver');
  for (const [dir, caller] of [
    ['city', city],
    ['binhai', admin],
  ] as const) {
    const pack = readPackDir(join(ROOT, 'rules/tianjin', dir));
    const up = await caller.rulePacks.upload({ files: pack.files as Record<string, unknown> });
    await caller.rulePacks.publish({ id: up.id });
  }
  // The city republishes its list (the seeded version has no publication), then Binhai
  // publishes version 2 as seeded and version 3 adding one item: history and the change show.
  const cityV2 = await city.checklist.createDraft({ bureauCode: '120000', note: '年度调整' });
  await city.checklist.publish({ versionId: cityV2.id });
  tick();
  // Binhai: version 2 as seeded, then version 3 adding one item: the portal shows history and the change.
  const v2 = await admin.checklist.createDraft({ bureauCode: BINHAI, note: '年度调整' });
  await admin.checklist.publish({ versionId: v2.id });
  tick();
  const v3 = await admin.checklist.createDraft({ bureauCode: BINHAI, note: '增补有限空间事项' });
  const copied = await admin.checklist.get({ versionId: v3.id });
  const addedItemCode = 'BH-YX-901';
  const items = [
    ...copied.items.map(
      ({ code, subject, item, content, legalBasis, industries, inspectionKinds, sortOrder }) => ({
        code,
        subject,
        item,
        content,
        legalBasis,
        industries,
        inspectionKinds: inspectionKinds as ('general' | 'key' | 'covert')[],
        sortOrder,
      }),
    ),
    {
      code: addedItemCode,
      subject: '工贸企业',
      item: '有限空间作业',
      content: '是否对有限空间作业实行审批并配备检测设备',
      legalBasis: '《工贸企业有限空间作业安全规定》第十条',
      industries: [],
      inspectionKinds: [],
      sortOrder: 999,
    },
  ];
  await admin.checklist.setItems({ versionId: v3.id, items });
  await admin.checklist.publish({ versionId: v3.id });
  tick();

  const plan = await operator.plans.create({
    bureauCode: BINHAI,
    title: '2026年第三季度一般检查',
    period: '2026-Q3',
    kind: 'general',
    sources: await nextRound(operator),
    checklistVersionId: v3.id,
  });
  await operator.plans.submit({ planId: plan.id });
  // The officials' keys are made in their browsers; an admin registers them (published registry).
  const [approverUser] = await database.db.select().from(users).where(eq(users.username, 'binhai-approver'));
  const approverKey = await browserStyleKey();
  await approver.keys.propose({ bureauCode: BINHAI, publicKey: approverKey.publicKey });
  await admin.keys.register({ keyId: approverKey.keyId });
  tick();
  const { draw } = await approver.plans.approve({ planId: plan.id });
  passRounds(draw.commitment);
  await operator.draws.enterRandomness({ drawId: draw.id, values: [null] });
  const drawn = await operator.draws.run({ drawId: draw.id });
  await approver.draws.sign({
    drawId: draw.id,
    signOff: await browserSignOff(
      approverKey,
      { id: approverUser!.id, name: approverUser!.displayName },
      wholeSecondsOf(clock),
      drawn.commitmentDigest,
      drawn.resultDigest,
    ),
  });
  tick();
  await operator.draws.issueTasks({ drawId: draw.id });

  // A second plan's draw is voided: asked by the approver, approved by a second person (B2).
  await createUser(database.db, {
    username: 'binhai-approver2',
    displayName: '滨海新区副局长',
    password: 'Spotcheck@2027',
    bureauCode: BINHAI,
    roles: [{ role: 'approver', bureauCode: BINHAI }],
  });
  const approver2 = await callerAs(database, 'binhai-approver2');
  const [approver2User] = await database.db
    .select()
    .from(users)
    .where(eq(users.username, 'binhai-approver2'));
  const approver2Key = await browserStyleKey();
  await approver2.keys.propose({ bureauCode: BINHAI, publicKey: approver2Key.publicKey });
  await admin.keys.register({ keyId: approver2Key.keyId });
  tick();
  const plan2 = await operator.plans.create({
    bureauCode: BINHAI,
    title: '2026年第三季度暗查暗访前置检查',
    period: '2026-Q3',
    kind: 'general',
    sources: await nextRound(operator),
    checklistVersionId: v3.id,
  });
  await operator.plans.submit({ planId: plan2.id });
  const second = await approver.plans.approve({ planId: plan2.id });
  await approver.draws.requestVoid({ drawId: second.draw.id, reasonId: 'frame-error', reason: VOID_REASON });
  await approver2.draws.signVoid({
    drawId: second.draw.id,
    void: await browserVoidSignature(
      approver2Key,
      { id: approver2User!.id, name: approver2User!.displayName },
      wholeSecondsOf(clock),
      {
        commitmentDigest: second.draw.commitmentDigest,
        reason: 'frame-error',
        requestedBy: approverUser!.id,
      },
    ),
  });
  tick();

  // One result in the quarter, then the quarter is published after it ends.
  const tasks = await admin.tasks.list({ planId: plan.id });
  const task = tasks[0]!.task;
  // Sessions idle out as the clock jumps: sign in again after each jump.
  clock = new Date('2026-08-12T02:00:00Z');
  await (
    await callerAs(database, 'binhai-admin')
  ).results.record({
    taskId: task.id,
    outcome: 'violations',
    inspectedOn: '2026-08-12',
    findings: [
      {
        kind: 'major-hazard',
        description: '有限空间作业未审批、未检测',
        checklistItemCode: addedItemCode,
        rectificationDue: '2026-08-19',
      },
    ],
  });
  // The follow-up check finds the hazard concealed: the unit is blacklisted and exposed (R18).
  clock = new Date('2026-08-20T02:00:00Z');
  const recorder = await callerAs(database, 'binhai-admin');
  const recorded = await recorder.results.list({ planId: plan.id });
  const finding = recorded.flatMap((r) => r.findings).find((f) => f.kind === 'major-hazard')!;
  await recorder.rectifications.record({
    findingId: finding.id,
    checkedOn: '2026-08-20',
    outcome: 'concealed',
  });
  clock = new Date('2026-10-08T02:00:00Z');
  await (
    await callerAs(database, 'binhai-admin')
  ).publications.publishQuarterlyResults({
    bureauCode: BINHAI,
    period: '2026-Q3',
  });

  const anonymous = createCallerFactory(appRouter)(() => createContextInner({ db: database.db, beacon }));
  const [drawPub] = await anonymous.publications.list({
    bureauCode: BINHAI,
    kind: 'draw',
    limit: 5,
    offset: 0,
  });
  const full = await anonymous.publications.get({ id: drawPub!.id });
  const bundle = (full.content as { bundle: DrawBundle }).bundle;
  return {
    drawPublicationId: drawPub!.id,
    bundle,
    checklistCodes: items.map((i) => i.code),
    addedItemCode,
    voidRequester: '滨海新区分管领导',
    voidApprover: '滨海新区副局长',
    blacklistedUnit: task.unitId,
  };
}

if (!hasChromium) {
  console.warn(
    `portal e2e SKIPPED: ${CHROMIUM_PATH} is not installed (apt-get install -y chromium fonts-wqy-microhei)`,
  );
}

describe.skipIf(!hasChromium)('public portal end to end', () => {
  let database: Database;
  let server: RunningServer;
  let browser: Browser;
  let world: Published;
  const shots: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const dist = ensureBuilt('portal');
    database = await openDatabase({ dataDir: 'memory://' });
    await migrateDatabase(database);
    await seedDemoCity(database, { units: 600, seed: 20270101 });
    await createDemoAccounts(database);
    world = await publishWorld(database);
    server = await startServer({
      database,
      port: 0,
      staticMounts: [{ prefix: '/', dir: dist }],
      beacon,
      now: () => clock,
    });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.close();
    if (shots.length) console.log(`portal e2e screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
  });

  /** A fresh visitor (no cookies), Chinese by default; page errors fail the suite at the end. */
  async function visit(path: string, opts: { acceptDownloads?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: opts.acceptDownloads ?? false,
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${server.url}${path}`);
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    const path = join(SHOTS, `portal-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    shots.push(path);
  }

  it('opens in Chinese for the city, and the bureau picker switches to a district', async () => {
    const page = await visit('/');
    await expect.poll(() => page.getByTestId('portal-title').textContent()).toBe('双随机、一公开');
    await expect.poll(() => page.getByTestId('main-menu').textContent()).toContain('抽查事项清单');
    await page.getByTestId('bureau-picker').click();
    await page.keyboard.type('滨海');
    await page.locator('.ant-select-item-option', { hasText: '滨海新区' }).click();
    await expect.poll(() => page.getByTestId('home-draw').textContent()).toContain('2026年第三季度一般检查');
    await expect.poll(() => page.getByTestId('home-checklist').textContent()).toContain('第3版');
    await expect.poll(() => page.getByTestId('home-void').textContent()).toContain('作废');
    await shot(page, '01-home');
    await page.context().close();
  });

  it('lists the published checklist with its items and version history (R15)', async () => {
    const page = await visit(`/checklist?bureau=${BINHAI}`);
    const items = page.getByTestId('checklist-items').first();
    await expect.poll(() => items.textContent()).toContain(world.addedItemCode);
    const text = (await items.textContent()) ?? '';
    for (const code of world.checklistCodes) expect(text).toContain(code);
    expect(text).toContain('《工贸企业有限空间作业安全规定》第十条');
    await expect.poll(() => page.textContent('body')).toContain('相对上一版：新增 1，删除 0，修改 0');
    const history = (await page.getByTestId('checklist-history').textContent()) ?? '';
    expect(history).toContain('随机抽查事项清单 第3版');
    expect(history).toContain('随机抽查事项清单 第2版');
    await expect.poll(() => page.getByTestId('checklist-city').textContent()).toContain('TJ-GEN-001');
    await shot(page, '02-checklist');
    await page.context().close();
  });

  it('shows a commitment published before the randomness, re-checked, with the JSON to download', async () => {
    const page = await visit(`/commitments?bureau=${BINHAI}`, { acceptDownloads: true });
    await page
      .getByTestId('commitments-table')
      .getByRole('link', { name: /2026年第三季度一般检查/ })
      .click();
    const facts = page.getByTestId('commitment-facts');
    await expect
      .poll(() => page.getByTestId('commitment-digest-check').getAttribute('data-status'))
      .toBe('ok');
    expect(await page.getByTestId('commitment-rows-check').getAttribute('data-status')).toBe('ok');
    const text = (await facts.textContent()) ?? '';
    expect(text).toContain('2026-Q3');
    expect(text).toContain('一般检查');
    expect(text).toContain(`${world.bundle.commitment.frame.count} 家`);
    expect(text).toContain(world.bundle.commitment.frame.digest);
    expect(text).toContain(world.bundle.commitmentDigest);
    expect(await page.getByTestId('commitment-sources').textContent()).toContain(
      '福彩3D（开奖号码，期号 2026180）',
    );
    const strata = (await page.getByTestId('commitment-strata').textContent()) ?? '';
    for (const s of world.bundle.commitment.strata) expect(strata).toContain(s.id);
    await shot(page, '03-commitment');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('commitment-download').click(),
    ]);
    const json = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
      commitment: DrawBundle['commitment'];
      commitmentDigest: string;
      frame: unknown[];
    };
    expect(json.commitmentDigest).toBe(world.bundle.commitmentDigest);
    expect(json.commitment.committedAt).toBe(world.bundle.commitment.committedAt);
    expect(json.frame).toHaveLength(world.bundle.commitment.frame.count);
    await page.context().close();
  });

  it('lists the signed draw and the voided one with its reason and both people (B2)', async () => {
    const page = await visit(`/draws?bureau=${BINHAI}`);
    await expect
      .poll(() => page.getByTestId('draws-table').textContent())
      .toContain('2026年第三季度一般检查');
    const voidCard = page.getByTestId('void-card');
    await expect.poll(() => voidCard.textContent()).toContain(VOID_REASON);
    const text = (await voidCard.textContent()) ?? '';
    expect(text).toContain(world.voidRequester);
    expect(text).toContain(world.voidApprover);
    await shot(page, '04-draws');
    await page.context().close();
  });

  it('recomputes the draw in the browser and checks its Ed25519 sign-off: ✓', async () => {
    const page = await visit(`/draws/${world.drawPublicationId}`);
    const bundle = page.getByTestId('verify-bundle');
    await expect.poll(() => bundle.getAttribute('data-status'), { timeout: 30_000 }).toBe('ok');
    expect(await bundle.textContent()).toContain('✓ 重新计算结果与公布的完全一致');
    expect(await bundle.textContent()).toContain(`抽中 ${world.bundle.result.selected.length} 家`);
    // Chromium has Ed25519 in WebCrypto: the signature is checked here, not on the server.
    await expect.poll(() => page.getByTestId('verify-signature').getAttribute('data-status')).toBe('ok');
    // B1: the commitment was published before the result, with the bundle's digest.
    const precedence = page.getByTestId('commitment-precedence');
    await expect.poll(() => precedence.getAttribute('data-status')).toBe('ok');
    expect(await precedence.textContent()).toMatch(
      /本次抽取的承诺已于 .+ 公布（早于抽取结果），摘要与抽取包一致/,
    );
    const selected = (await page.getByTestId('draw-selected').textContent()) ?? '';
    expect(selected).toContain(world.bundle.result.selected[0]!.unit);
    // Public names beside the ids: the unit's name, officers by name and certificate number.
    expect(selected).toMatch(/天津\S+(有限公司|经营部)/);
    expect(selected).toMatch(/（JZ120116\d{5}）/);
    const strata = (await page.getByTestId('draw-strata').textContent()) ?? '';
    const withThreshold = world.bundle.result.strata.find((s) => s.threshold);
    if (withThreshold) expect(strata).toContain(withThreshold.threshold!);
    expect(await page.getByTestId('draw-signoff').textContent()).toContain('滨海新区分管领导');
    await page.getByTestId('verify-server').click();
    await expect
      .poll(() => page.getByTestId('verify-server-result').textContent())
      .toBe('服务器复核：抽取包 ✓ 通过，签名 ✓ 通过');
    await shot(page, '05-draw-verified');
    await page.context().close();
  });

  it('verifies a pasted bundle offline and shows the first mismatch of a tampered one', async () => {
    const page = await visit('/verify');
    const input = page.getByTestId('offline-input');
    await input.fill(JSON.stringify(world.bundle));
    await page.getByTestId('offline-verify').click();
    await expect.poll(() => page.getByTestId('verify-bundle').getAttribute('data-status')).toBe('ok');
    expect(await page.getByTestId('verify-signature').getAttribute('data-status')).toBe('absent');

    const tampered = structuredClone(world.bundle);
    const first = tampered.result.selected[0]!;
    first.team = [...first.team].reverse();
    await input.fill(JSON.stringify(tampered, null, 2));
    await page.getByTestId('offline-verify').click();
    await expect.poll(() => page.getByTestId('verify-bundle').getAttribute('data-status')).toBe('bad');
    expect(await page.getByTestId('verify-bundle').textContent()).toContain('✗ 验证失败：第一处不一致');
    expect(await page.getByTestId('verify-reason').textContent()).toMatch(
      new RegExp(`^result mismatch at result\\.selected\\[0\\] \\(unit ${first.unit}\\)\\.team`),
    );
    await shot(page, '06-offline-tampered');

    await input.fill('{"algorithm": "sr-draw/v1"');
    await page.getByTestId('offline-verify').click();
    await expect.poll(() => page.getByTestId('offline-error').textContent()).toContain('无法读取');
    await page.context().close();
  });

  it('publishes the quarter’s results redacted (R15, R16)', async () => {
    const page = await visit(`/results?bureau=${BINHAI}`);
    await page
      .getByTestId('results-table')
      .getByRole('link', { name: /2026-Q3 随机抽查结果/ })
      .click();
    const items = page.getByTestId('results-items');
    await expect.poll(() => items.textContent()).toContain('发现违法行为');
    const text = (await items.textContent()) ?? '';
    expect(text).toContain('违法 0 / 隐患 0 / 重大隐患 1');
    expect(text).not.toMatch(/法定代表人|联系电话/);
    await shot(page, '07-results');
    await page.context().close();
  });

  it('exposes the blacklisted unit with its reason (R18)', async () => {
    const page = await visit(`/blacklist?bureau=${BINHAI}`);
    const table = page.getByTestId('blacklist-table');
    await expect.poll(() => table.textContent()).toContain(world.blacklistedUnit);
    expect(await table.textContent()).toContain('隐瞒重大事故隐患');
    expect(await table.textContent()).toContain('2026-08-20');
    await shot(page, '08-blacklist');
    await page.context().close();
  });

  it('switches to English and explains verification with the CLI command', async () => {
    const page = await visit(`/how-to-verify?bureau=${BINHAI}`);
    await expect
      .poll(() => page.getByTestId('cli-command').textContent())
      .toContain('spotcheck verify bundle.json');
    await shot(page, '09-how-to-verify');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('main-menu').textContent()).toContain('Draw results');
    await expect.poll(() => page.textContent('body')).toContain('Anyone can verify');
    await page.getByTestId('main-menu').getByText('Blacklist').click();
    await expect
      .poll(() => page.getByTestId('blacklist-table').textContent())
      .toContain('Concealed a major hazard');
    await page.goto(`${server.url}/draws/${world.drawPublicationId}`);
    await expect
      .poll(() => page.getByTestId('verify-bundle').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('ok');
    expect(await page.getByTestId('verify-bundle').textContent()).toContain('identical to the published one');
    await shot(page, '10-draw-english');
    await page.context().close();
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
