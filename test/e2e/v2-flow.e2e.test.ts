/**
 * End-to-end (issue #9, v2-flow): the built admin SPA and public portal in Debian Chromium against a
 * real API server on an in-memory PGlite with a small demo city.
 * - admin: a plan voided before its round is a draft again; its page edits the next attempt's
 *   sources, shows the server's refusal of the voided attempt's own sources, and saves later ones
 *   it proposes (with a lottery issue);
 * - portal: a signed draw whose member was replaced (sick) shows the replacement, recomputed in the
 *   browser; the how-to-verify page explains sr-draw/v2 checks and the offline commands, zh-CN and
 *   English.
 * Screenshots go to test/.artifacts/screenshots/v2flow-*.png.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { inspectors, users, type Database } from '@spotcheck/db';
import { DEMO_PASSWORD } from '@spotcheck/demo';
import { demoBeacon, type SourceSpecV2 } from '@spotcheck/core';
import type { RunningServer } from '@spotcheck/server';
import { openDemoCity, serveBothApps } from './admin-world';
import {
  appRouter,
  createCallerFactory,
  createContextInner,
  createSession,
  createUser,
  installRulePacks,
  KEY_VALIDITY_DELAY_SECONDS,
  localDemoBeacon,
} from '@spotcheck/api';
import { readPackDir } from '@spotcheck/rules/load';
import {
  browserSignOff,
  browserStyleKey,
  browserVoidSignature,
  wholeSecondsOf,
  type OfficialKey,
} from '../support/official-keys';
import { describeInChromium, useBrowser } from '../support/e2e';

const ROOT = resolve(import.meta.dirname, '../..');
const BINHAI = '120116';

/** The suite's clock: real time plus an offset moved past drand rounds. */
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
const beacon = localDemoBeacon(demoBeacon('v2-flow e2e beacon', Math.floor(Date.now() / 1000) - 3600, 3));

async function callerAs(database: Database, username: string) {
  const [user] = await database.db.select().from(users).where(eq(users.username, username));
  const { token } = await createSession(database.db, user!.id, now());
  return createCallerFactory(appRouter)(() =>
    createContextInner({ db: database.db, sessionToken: token, now, beacon }),
  );
}
type Caller = Awaited<ReturnType<typeof callerAs>>;

async function officialOf(database: Database, username: string) {
  const [user] = await database.db.select().from(users).where(eq(users.username, username));
  return { id: user!.id, name: user!.displayName };
}

async function registeredKey(official: Caller, admin: Caller): Promise<OfficialKey> {
  const key = await browserStyleKey();
  await official.keys.propose({ bureauCode: BINHAI, publicKey: key.publicKey });
  await admin.keys.register({ keyId: key.keyId });
  offsetMs += (KEY_VALIDITY_DELAY_SECONDS + 2) * 1000; // valid once its registry can be logged (§9.7)
  return key;
}

function passSources(sources: readonly SourceSpecV2[]): void {
  const latest = Math.max(
    ...sources.map((s) =>
      s.kind === 'drand' && s.info ? s.info.genesis + (s.round - 1) * s.info.period : 0,
    ),
  );
  const wait = latest + 5 - now().getTime() / 1000;
  if (wait > 0) offsetMs += wait * 1000;
}

interface World {
  /** The plan whose attempt 1 was voided before its round. */
  voidedPlanId: string;
  voidedSources: SourceSpecV2[];
  /** The signed plan with a replacement, and its `draw` publication. */
  signedPlanId: string;
  drawPublicationId: string;
  /** The names of the member leaving and the one joining in the first record (staff see names, not ids). */
  replacedOut: string;
  replacedIn: string;
  /** An unavailable officer leaves every team of the draw still to inspect: one record each. */
  replacements: number;
}

async function inspectorName(database: Database, id: string): Promise<string> {
  const [row] = await database.db
    .select({ name: inspectors.name })
    .from(inspectors)
    .where(eq(inspectors.id, id));
  return row!.name;
}

async function buildWorld(database: Database): Promise<World> {
  const admin = await callerAs(database, 'binhai-admin');
  const operator = await callerAs(database, 'binhai-operator');
  const approver = await callerAs(database, 'binhai-approver');
  await installRulePacks(
    database.db,
    ['city', 'binhai'].map((dir) => readPackDir(join(ROOT, 'rules/tianjin', dir))),
    null,
  );
  const city = await callerAs(database, 'city-admin');
  const cityV = await city.checklist.createDraft({ bureauCode: '120000', note: '年度调整' });
  await city.checklist.publish({ versionId: cityV.id });
  const v = await admin.checklist.createDraft({ bureauCode: BINHAI, note: '年度调整' });
  await admin.checklist.publish({ versionId: v.id });
  await createUser(database.db, {
    username: 'binhai-approver2',
    displayName: '滨海新区副局长',
    password: DEMO_PASSWORD,
    bureauCode: BINHAI,
    roles: [{ role: 'approver', bureauCode: BINHAI }],
  });
  const approver2 = await callerAs(database, 'binhai-approver2');
  const key1 = await registeredKey(approver, admin);
  const key2 = await registeredKey(approver2, admin);
  const propose = async () =>
    (await operator.plans.proposeSources({ plannedDrawAt: new Date(now().getTime() + 120_000) })).sources;

  // A signed draw, its tasks issued, then a member falls ill: replaced from the committed shuffle.
  const plan = await operator.plans.create({
    bureauCode: BINHAI,
    title: '滨海新区一般检查（成员替换）',
    period: '2027-Q1',
    kind: 'general',
    sources: await propose(),
    checklistVersionId: v.id,
  });
  await operator.plans.submit({ planId: plan.id });
  const { draw } = await approver.plans.approve({ planId: plan.id });
  passSources(draw.commitment.sources);
  await operator.draws.enterRandomness({ drawId: draw.id, values: draw.commitment.sources.map(() => null) });
  await operator.draws.run({ drawId: draw.id });
  offsetMs += 2000;
  const d = await approver.draws.get({ drawId: draw.id });
  const who = await officialOf(database, 'binhai-approver');
  await approver.draws.sign({
    drawId: draw.id,
    signOff: await browserSignOff(key1, who, wholeSecondsOf(now()), d.commitmentDigest, d.resultDigest!),
  });
  await operator.draws.issueTasks({ drawId: draw.id });
  const [first] = (await operator.draws.selected({ drawId: draw.id, limit: 1 })).rows.map((r) => ({
    unit: r.unitId,
    team: r.team.map((m) => m.id),
  }));
  if (!first) throw new Error('the draw selected no unit');
  const replaced = await operator.draws.replaceMember({
    drawId: draw.id,
    unitId: first.unit,
    inspectorId: first.team[1]!,
    reason: 'unavailable',
    note: '病假（住院治疗）',
  });
  const pubs = await operator.publications.list({ bureauCode: BINHAI, kind: 'draw', limit: 50 });

  // A plan voided before its round existed: back to draft, its next attempt needs later sources.
  const voidedSources = await propose();
  const plan2 = await operator.plans.create({
    bureauCode: BINHAI,
    title: '滨海新区专项检查（作废后重选来源）',
    period: '2027-Q1',
    kind: 'general',
    sources: voidedSources,
    checklistVersionId: v.id,
  });
  await operator.plans.submit({ planId: plan2.id });
  const approved = await approver.plans.approve({ planId: plan2.id });
  await operator.draws.requestVoid({
    drawId: approved.draw.id,
    reasonId: 'frame-error',
    reason: '随机数产生前发现抽取名录有误',
  });
  const who2 = await officialOf(database, 'binhai-approver2');
  const operatorId = (await officialOf(database, 'binhai-operator')).id;
  await approver2.draws.signVoid({
    drawId: approved.draw.id,
    void: await browserVoidSignature(key2, who2, wholeSecondsOf(now()), {
      commitmentDigest: approved.draw.commitmentDigest,
      reason: 'frame-error',
      requestedBy: operatorId,
    }),
  });
  return {
    voidedPlanId: plan2.id,
    voidedSources,
    signedPlanId: plan.id,
    drawPublicationId: pubs.find((p) => p.refId === draw.id)!.id,
    replacedOut: await inspectorName(database, replaced.records[0]!.out),
    replacedIn: await inspectorName(database, replaced.records[0]!.in),
    replacements: replaced.records.length,
  };
}

describeInChromium('v2-flow')(
  'v2 flow: next-attempt sources, replacements, how to verify',
  { timeout: 180_000 },
  () => {
    let database: Database;
    let server: RunningServer;
    let world: World;
    const b = useBrowser('v2-flow', { shotPrefix: 'v2flow-' });
    const { shot, errors } = b;

    beforeAll(async () => {
      database = await openDemoCity(600);
      world = await buildWorld(database);
      server = await serveBothApps(database, { beacon, now });
    }, 400_000);

    afterAll(async () => {
      await server?.close();
      await database?.close();
    });

    it('admin: a voided plan refuses its old sources and saves later proposed ones', async () => {
      const page = await b.signIn(server.url, 'binhai-operator');
      await page.goto(`${server.url}/admin/plans/${world.voidedPlanId}`);
      const card = page.getByTestId('next-attempt-sources');
      await card.waitFor();
      expect(await card.textContent()).toContain('第 2 次抽取的随机数来源');
      expect(await page.getByTestId('next-previous').textContent()).toContain('drand');
      // Saving the voided attempt's own sources is refused with the reason.
      await page.getByTestId('next-save').click();
      await expect
        .poll(() => page.getByTestId('next-refused').textContent())
        .toContain('已被作废的第 1 次抽取使用过');
      await shot(page, '01-next-attempt-refused');
      // Propose later sources with a 福彩3D issue, and save.
      await card.getByText('福彩3D', { exact: true }).click();
      await page.getByTestId('next-propose').click();
      await page.getByTestId('next-proposed').waitFor();
      await expect.poll(() => page.getByTestId('next-lottery-issue-0').inputValue()).toMatch(/^\d{7}$/);
      await page.getByTestId('next-save').click();
      await expect.poll(() => page.textContent('body')).toContain('新来源已保存');
      await shot(page, '02-next-attempt-saved');
      const operator = await callerAs(database, 'binhai-operator');
      const saved = (await operator.plans.get({ planId: world.voidedPlanId })).sources;
      expect(saved.map((s) => s.kind)).toEqual(['drand', 'lottery']);
      expect(saved[0]).not.toEqual(world.voidedSources[0]);
      // English switch: the card's own words change language.
      await page.getByTestId('lang-switch').click();
      await expect.poll(() => card.textContent()).toContain('Sources of attempt 2');
      await page.getByTestId('lang-switch').click();
      // The signed plan's draw room lists its replacement, checked against the committed shuffle.
      await page.goto(`${server.url}/admin/plans/${world.signedPlanId}`);
      const repl = page.getByTestId('replacements-admin');
      await repl.waitFor();
      await expect.poll(() => repl.textContent()).toContain(`${world.replacedOut} → ${world.replacedIn}`);
      // The draw's result and its replacements name units and officers, never their ids.
      const result = page.getByTestId('draw-result-table');
      await expect.poll(() => result.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
      const resultText = (await result.textContent()) ?? '';
      expect(resultText).not.toMatch(/I\d{6}-\d{4}/);
      expect(resultText).not.toMatch(/\b[0-9A-HJ-NPQRTUWXY]{18}\b/);
      expect(await repl.textContent()).not.toMatch(/I\d{6}-\d{4}/);
      expect(resultText).toContain(world.replacedIn);
      // The replacement form finds a unit by name on the server and offers its team by name.
      const third = result.locator('tbody tr.ant-table-row').nth(2);
      const unitName = (await third.locator('td').nth(1).textContent())!.trim();
      const team = (await third.locator('td').nth(5).textContent())!.trim().split('、');
      await page.getByTestId('replace-unit').click();
      await page.keyboard.type(unitName);
      const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', {
        hasText: unitName,
      });
      await expect.poll(() => option.count()).toBeGreaterThan(0);
      await option.first().click();
      await page.getByTestId('replace-member').click();
      const members = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
      await expect.poll(() => members.allTextContents()).toEqual(team);
      expect(await repl.textContent()).toContain('是洗牌顺序中的下一位');
      expect(await repl.textContent()).not.toContain('不是洗牌顺序中的下一位');
      await shot(page, '06-admin-replacements');
      await page.context().close();
    });

    it('portal: the draw page shows the replacement, recomputed in the browser', async () => {
      const page = await b.visit(`${server.url}/draws/${world.drawPublicationId}`);
      const card = page.getByTestId('draw-replacements');
      await card.waitFor({ timeout: 60_000 });
      for (let i = 1; i <= world.replacements; i++)
        await expect
          .poll(() => page.getByTestId(`replacement-check-${i}`).textContent(), { timeout: 60_000 })
          .toContain('替换者正是洗牌顺序中的下一位');
      const text = (await card.textContent()) ?? '';
      expect(world.replacements).toBeGreaterThanOrEqual(1);
      expect(text).toContain(`检查组成员替换（${world.replacements}）`);
      expect(text).toContain('无法履职');
      await shot(page, '03-portal-replacement');
      await page.context().close();
    });

    it('portal: how to verify explains v2 checks and the offline commands, in Chinese and English', async () => {
      const page = await b.visit(`${server.url}/how-to-verify?bureau=${BINHAI}`);
      await expect
        .poll(() => page.getByTestId('cli-command').textContent())
        .toContain('npm run -s spotcheck -- verify bundle.json --keys registry.json');
      expect(await page.getByTestId('python-command').textContent()).toContain(
        'python3 test/vectors/verify_sr_draw_v2.py bundle.json',
      );
      const checks = (await page.getByTestId('howto-checks').textContent()) ?? '';
      expect(checks).toContain('signOff');
      expect(checks).toContain('签名人未核对');
      expect(await page.textContent('body')).not.toContain('sr-draw/v1 in plain words');
      await shot(page, '04-howto-zh');
      await page.getByTestId('lang-switch').click();
      await expect.poll(() => page.textContent('body')).toContain('What each line of the verification means');
      expect(await page.getByTestId('howto-checks').textContent()).toContain('signer not checked');
      await shot(page, '05-howto-en');
      await page.context().close();
    });

    it('raised no page errors', () => {
      expect(errors).toEqual([]);
    });
  },
);
