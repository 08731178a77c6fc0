/**
 * End-to-end: the built public portal in Debian Chromium against a real API server on an
 * in-memory PGlite with a small demo city. Binhai registers its officials' browser-made keys
 * (published registry), runs a plan through approve → demo beacon → draw → browser sign-off, and
 * a second plan's attempt 1 is voided after its randomness was known (requested by one official,
 * signed by another) before attempt 2 is drawn; a quarter's results are published. A visitor with
 * no login reads the column and verifies each sr-draw/v2 check in the browser. Screenshots go to
 * test/.artifacts/screenshots/portal-*.png.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { draws, publications, units, users, type Database } from '@spotcheck/db';
import {
  demoBeacon,
  stratumName,
  verifyBundleV2,
  type DrawBundleV2,
  type KeyRegistry,
} from '@spotcheck/core';
import {
  commitmentInclusionVerifier,
  registryInclusionVerifier,
  signOffInclusionVerifier,
} from '@spotcheck/core/log';
import { startServer, type RunningServer } from '@spotcheck/server';
import { openDemoCity } from './admin-world';
import {
  appRouter,
  createCallerFactory,
  createContextInner,
  createSession,
  installRulePacks,
  createUser,
  localDemoBeacon,
  checkpointAndCosign,
  keySecretFor,
  disableLocalWitnesses,
  enableDemoWitnesses,
} from '@spotcheck/api';
import { readPackDir } from '@spotcheck/rules/load';
import { publish } from '@spotcheck/api/testing';
import { sampleBundle } from '@spotcheck/portal/testing';
import {
  browserSignOff,
  browserStyleKey,
  browserVoidSignature,
  wholeSecondsOf,
  type OfficialKey,
} from '../support/official-keys';
import { describeInChromium, ensureBuilt, useBrowser, type Page } from '../support/e2e';

const ROOT = resolve(import.meta.dirname, '../..');
const BINHAI = '120116';
/** The void reason id and the portal's Chinese name for it. */
const VOID_REASON_ID = 'emergency';
const VOID_REASON = '突发事件致无法执行';

/** The API's clock for the seeded workflow: the draws and results fall in 2026-Q3. */
let clock = new Date('2026-07-06T01:00:00Z');

/** The local demo beacon (演示信标), a round every 3 s from an hour before the suite's clock. */
const beacon = localDemoBeacon(demoBeacon('portal e2e beacon', Math.floor(clock.getTime() / 1000) - 3600, 3));

/** Moves the clock on a few minutes, so that publications have distinct times as in real life. */
function tick(): void {
  clock = new Date(clock.getTime() + 5 * 60_000);
}

/** A tRPC caller signed in as a user, on the suite's clock and beacon. */
async function callerAs(database: Database, username: string) {
  const [user] = await database.db.select().from(users).where(eq(users.username, username));
  const { token } = await createSession(database.db, user!.id, clock);
  return createCallerFactory(appRouter)(() =>
    createContextInner({ db: database.db, sessionToken: token, now: () => clock, beacon }),
  );
}

/** An official's id and display name (what a sign-off names). */
async function officialOf(database: Database, username: string): Promise<{ id: string; name: string }> {
  const [user] = await database.db.select().from(users).where(eq(users.username, username));
  return { id: user!.id, name: user!.displayName };
}
type Caller = Awaited<ReturnType<typeof callerAs>>;

/**
 * An official's key made as the admin SPA makes it (WebCrypto, non-extractable), registered by an
 * admin; the registry naming it is witnessed at once, before its validFrom (§9.7), as `npm start`
 * requests a checkpoint right after each registration.
 */
async function registeredKey(database: Database, official: Caller, admin: Caller): Promise<OfficialKey> {
  const key = await browserStyleKey();
  await official.keys.propose({ bureauCode: BINHAI, publicKey: key.publicKey });
  await admin.keys.register({ keyId: key.keyId });
  await witnessedCheckpoint(database);
  tick();
  return key;
}

/** Moves the clock past every drand round a commitment names. */
function passSources(commitment: { sources: readonly { kind: string; round?: number }[] }): void {
  const latest = Math.max(
    ...commitment.sources.map((s) =>
      s.kind === 'drand' && s.round ? beacon.info.genesis + (s.round - 1) * 3 : 0,
    ),
  );
  clock = new Date(Math.max(clock.getTime(), (latest + 5) * 1000));
}

/**
 * A checkpoint of the public log at the clock's time, co-signed by the two demo witnesses (as
 * `npm start` does right after each approval): it dates the commitment just published (§9.1).
 */
async function witnessedCheckpoint(database: Database) {
  const r = await checkpointAndCosign(database.db, { now: clock, keySecret: keySecretFor(database) });
  expect(r.issued).not.toBeNull();
  expect(r.cosigned).toBe(2);
}

/** The proposed sources of a draw planned two minutes from now (the demo beacon's round). */
async function proposed(operator: Caller) {
  return (await operator.plans.proposeSources({ plannedDrawAt: new Date(clock.getTime() + 120_000) }))
    .sources;
}

/** Signs a drawn attempt the browser's way. */
async function signAs(official: Caller, who: { id: string; name: string }, key: OfficialKey, drawId: string) {
  const d = await official.draws.get({ drawId });
  const signOff = await browserSignOff(key, who, wholeSecondsOf(clock), d.commitmentDigest, d.resultDigest!);
  return official.draws.sign({ drawId, signOff });
}

/** What the seeded workflow left for the portal to show. */
interface Published {
  drawPublicationId: string;
  /** The signature record (§9.7) of that draw's sign-off. */
  signOffRecordId: string;
  /** A record of the same draw an insider logged with publish() (no key needed), naming the approver. */
  forgedRecordId: string;
  /** The honest record published again under another draw's id. */
  copiedRecordId: string;
  bundle: DrawBundleV2;
  registry: KeyRegistry;
  /** Attempt 2 of the voided plan, and what attempt 1 had when it was voided. */
  secondAttemptPublicationId: string;
  /** The unit closed before the first commitment. */
  closedUnit: string;
  /** Commitment publications of Binhai in 2026-Q3, as the API lists them. */
  periodCommitments: number;
  voidedRandomness: string;
  voidedResultDigest: string;
  checklistCodes: string[];
  addedItemCode: string;
  voidApprover: string;
  voidRequester: string;
  blacklistedUnit: string;
  /** The void of a covert plan's attempt, published sealed, and the units and officers it keeps. */
  sealedVoidPublicationId: string;
  covertUnits: string[];
  covertOfficers: string[];
}

/**
 * Publishes rule packs and two new Binhai checklist versions, registers two officials' keys,
 * runs a plan to a signed draw, voids a second plan's attempt 1 after its randomness is known and
 * draws attempt 2, records a result and publishes the quarter.
 */
async function publishWorld(database: Database): Promise<Published> {
  // The demo's two in-process witnesses (演示见证人), as `npm start` registers them.
  await enableDemoWitnesses(database.db, {
    keySecret: keySecretFor(database),
    production: false,
    now: clock,
  });
  const city = await callerAs(database, 'city-admin');
  const admin = await callerAs(database, 'binhai-admin');
  const operator = await callerAs(database, 'binhai-operator');
  const approver = await callerAs(database, 'binhai-approver');
  await installRulePacks(
    database.db,
    ['city', 'binhai'].map((dir) => readPackDir(join(ROOT, 'rules/tianjin', dir))),
    null,
  );
  // The city republishes its list (the seeded version has no publication), then Binhai
  // publishes version 2 as seeded and version 3 adding one item: history and the change show.
  const cityV2 = await city.checklist.createDraft({ bureauCode: '120000', note: '年度调整' });
  await city.checklist.publish({ versionId: cityV2.id });
  tick();
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

  // Two approvers, each with a key made in their browser and registered (published) by the admin.
  await createUser(database.db, {
    username: 'binhai-approver2',
    displayName: '滨海新区副局长',
    password: 'Spotcheck@2027',
    bureauCode: BINHAI,
    roles: [{ role: 'approver', bureauCode: BINHAI }],
  });
  const approver2 = await callerAs(database, 'binhai-approver2');
  const approverWho = await officialOf(database, 'binhai-approver');
  const approver2Who = await officialOf(database, 'binhai-approver2');
  const key1 = await registeredKey(database, approver, admin);
  const key2 = await registeredKey(database, approver2, admin);

  // A unit closed before the commitment: it must show in `excluded` with its reason, and the
  // change among the roster changes of the 30 days before.
  const [toClose] = await database.db
    .select({ id: units.id })
    .from(units)
    .where(eq(units.bureauCode, BINHAI))
    .orderBy(units.id)
    .limit(1);
  await admin.units.setStatus({ id: toClose!.id, status: 'closed' });
  tick();

  const plan = await operator.plans.create({
    bureauCode: BINHAI,
    title: '2026年第三季度一般检查',
    period: '2026-Q3',
    kind: 'general',
    sources: await proposed(operator),
    checklistVersionId: v3.id,
  });
  await operator.plans.submit({ planId: plan.id });
  const { draw } = await approver.plans.approve({ planId: plan.id });
  await witnessedCheckpoint(database);
  passSources(draw.commitment);
  await operator.draws.enterRandomness({ drawId: draw.id, values: draw.commitment.sources.map(() => null) });
  await operator.draws.run({ drawId: draw.id });
  tick();
  await signAs(approver, approverWho, key1, draw.id);
  tick();
  await operator.draws.issueTasks({ drawId: draw.id });

  // A second plan: attempt 1 is drawn, then voided after its randomness is known (asked by the
  // approver, signed by a second official); attempt 2 names later rounds and is drawn and signed.
  tick();
  const plan2 = await operator.plans.create({
    bureauCode: BINHAI,
    title: '2026年第三季度专项检查',
    period: '2026-Q3',
    kind: 'general',
    sources: await proposed(operator),
    checklistVersionId: v3.id,
  });
  await operator.plans.submit({ planId: plan2.id });
  const first = await approver.plans.approve({ planId: plan2.id });
  await witnessedCheckpoint(database);
  passSources(first.draw.commitment);
  await operator.draws.enterRandomness({
    drawId: first.draw.id,
    values: first.draw.commitment.sources.map(() => null),
  });
  const firstRun = await operator.draws.run({ drawId: first.draw.id });
  tick();
  await approver.draws.requestVoid({
    drawId: first.draw.id,
    reasonId: VOID_REASON_ID,
    reason: '台风预警，停止外出检查',
  });
  tick();
  const signedVoid = await browserVoidSignature(key2, approver2Who, wholeSecondsOf(clock), {
    commitmentDigest: first.draw.commitmentDigest,
    reason: VOID_REASON_ID,
    requestedBy: approverWho.id,
  });
  const voided = await approver2.draws.signVoid({ drawId: first.draw.id, void: signedVoid });
  tick();
  await operator.plans.update({ planId: plan2.id, patch: { sources: await proposed(operator) } });
  await operator.plans.submit({ planId: plan2.id });
  const second = await approver.plans.approve({ planId: plan2.id });
  await witnessedCheckpoint(database);
  passSources(second.draw.commitment);
  await operator.draws.enterRandomness({
    drawId: second.draw.id,
    values: second.draw.commitment.sources.map(() => null),
  });
  await operator.draws.run({ drawId: second.draw.id });
  tick();
  await signAs(approver, approverWho, key1, second.draw.id);

  // One result in the quarter, then the quarter is published after it ends.
  const tasks = (await admin.tasks.list({ planId: plan.id })).rows;
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
  // The follow-up check finds the hazard concealed: the unit is proposed for the blacklist, a
  // second person reviews, the unit is noticed, and after the objection period the decision is
  // made and published (R18, due process).
  clock = new Date('2026-08-20T02:00:00Z');
  const recorder = await callerAs(database, 'binhai-admin');
  const recorded = (await recorder.results.list({ planId: plan.id })).rows;
  const finding = recorded.flatMap((r) => r.findings).find((f) => f.kind === 'major-hazard')!;
  const { blacklistProposalId } = await recorder.rectifications.record({
    findingId: finding.id,
    checkedOn: '2026-08-20',
    outcome: 'concealed',
  });
  const proceedingId = blacklistProposalId!;
  await (
    await callerAs(database, 'binhai-approver')
  ).blacklist.review({ proceedingId, approve: true, note: '隐瞒隐患属实' });
  await recorder.blacklist.notice({
    proceedingId,
    noticeNumber: '津滨应急告〔2026〕1号',
    noticedOn: '2026-08-20',
    objectionDays: 7,
  });
  clock = new Date('2026-08-28T02:00:00Z');
  await (
    await callerAs(database, 'binhai-approver')
  ).blacklist.decide({
    proceedingId,
    decidedOn: '2026-08-28',
    apply: true,
    decisionNumber: '津滨应急黑〔2026〕1号',
    note: '申辩期满未提出申辩',
  });
  await (await callerAs(database, 'binhai-admin')).blacklist.publish({ proceedingId });
  clock = new Date('2026-10-08T02:00:00Z');
  await (
    await callerAs(database, 'binhai-admin')
  ).publications.publishQuarterlyResults({
    bureauCode: BINHAI,
    period: '2026-Q3',
  });

  const anonymous = createCallerFactory(appRouter)(() => createContextInner({ db: database.db, beacon }));
  const drawPubs = await anonymous.publications.list({
    bureauCode: BINHAI,
    kind: 'draw',
    limit: 50,
    offset: 0,
  });
  const drawPub = drawPubs.find((p) => p.refId === draw.id)!;
  const secondPub = drawPubs.find((p) => p.refId === second.draw.id)!;
  const full = await anonymous.publications.get({ id: drawPub.id });
  const content = full.content as { bundle: DrawBundleV2; registry: KeyRegistry };
  const [voidPub] = await anonymous.publications.list({
    bureauCode: BINHAI,
    kind: 'void',
    limit: 5,
    offset: 0,
  });
  const voidContent = (await anonymous.publications.get({ id: voidPub!.id })).content as {
    bundle: { randomness: { string: string } | null };
  };
  expect(firstRun.resultDigest).toBe(voided.resultDigest);
  const { publicationId: signOffRecordId } = await anonymous.transparency.signOffInclusion({
    drawId: draw.id,
    of: 'draw',
  });
  // An insider logs a record for the same draw with the platform's own publish(): it names the
  // approver, with a key no registry of the bureau holds.
  const honest = (await anonymous.publications.get({ id: signOffRecordId! })).content as {
    signature: { signer: { keyId: string } };
  };
  const forgedKey = await browserStyleKey();
  const forged = await database.db.transaction((tx) =>
    publish(tx, {
      bureauCode: BINHAI,
      kind: 'sign-off',
      refId: draw.id,
      period: plan.period,
      title: '伪造的签名记录',
      content: {
        ...honest,
        signature: { ...honest.signature, signer: { ...honest.signature.signer, keyId: forgedKey.keyId } },
      },
      by: null,
      at: clock,
    }),
  );
  // …and copies the honest record, as it is, under the id of another draw (attempt 2 of the voided plan).
  const copiedRecord = await database.db.transaction((tx) =>
    publish(tx, {
      bureauCode: BINHAI,
      kind: 'sign-off',
      refId: second.draw.id,
      period: plan.period,
      title: '复制的签名记录',
      content: honest,
      by: null,
      at: clock,
    }),
  );
  // A covert plan of the next quarter (R10), voided before its randomness: its void is published
  // sealed, naming none of the units or officers its redraw shares.
  tick();
  const covertOperator = await callerAs(database, 'binhai-operator');
  const covertPlan = await covertOperator.plans.create({
    bureauCode: BINHAI,
    title: '2026年第四季度暗查暗访',
    period: '2026-Q4',
    kind: 'covert',
    sources: await proposed(covertOperator),
    checklistVersionId: v3.id,
  });
  await covertOperator.plans.submit({ planId: covertPlan.id });
  const covertApprover = await callerAs(database, 'binhai-approver');
  const covert = await covertApprover.plans.approve({ planId: covertPlan.id });
  tick();
  await covertApprover.draws.requestVoid({
    drawId: covert.draw.id,
    reasonId: 'frame-error',
    reason: '发现检查对象名录有误',
  });
  tick();
  await (
    await callerAs(database, 'binhai-approver2')
  ).draws.signVoid({
    drawId: covert.draw.id,
    void: await browserVoidSignature(key2, approver2Who, wholeSecondsOf(clock), {
      commitmentDigest: covert.draw.commitmentDigest,
      reason: 'frame-error',
      requestedBy: approverWho.id,
    }),
  });
  const sealedVoid = (
    await anonymous.publications.list({ bureauCode: BINHAI, kind: 'void', limit: 50, offset: 0 })
  ).find((p) => p.refId === covert.draw.id)!;
  const [covertRow] = await database.db.select().from(draws).where(eq(draws.id, covert.draw.id));
  return {
    sealedVoidPublicationId: sealedVoid.id,
    covertUnits: (covertRow!.frame as string[][]).map((r) => r[0]!),
    covertOfficers: (covertRow!.inspectorRows as string[][]).map((r) => r[0]!),
    drawPublicationId: drawPub.id,
    signOffRecordId: signOffRecordId!,
    forgedRecordId: forged.id,
    copiedRecordId: copiedRecord.id,
    bundle: content.bundle,
    registry: content.registry,
    secondAttemptPublicationId: secondPub.id,
    closedUnit: toClose!.id,
    periodCommitments: (
      await anonymous.publications.list({
        bureauCode: BINHAI,
        kind: 'commitment',
        period: '2026-Q3',
        limit: 50,
        offset: 0,
      })
    ).length,
    voidedRandomness: voidContent.bundle.randomness!.string,
    voidedResultDigest: voided.resultDigest!,
    checklistCodes: items.map((i) => i.code),
    addedItemCode,
    voidRequester: '滨海新区分管领导',
    voidApprover: '滨海新区副局长',
    blacklistedUnit: task.unitId,
  };
}

// Pages recompute draws in the browser; on a shared, loaded machine a flow takes tens of seconds.
describeInChromium('portal')('public portal end to end', { timeout: 180_000 }, () => {
  let database: Database;
  let server: RunningServer;
  let world: Published;
  const b = useBrowser('portal', { shotPrefix: 'portal-' });
  const { shot, errors } = b;

  beforeAll(async () => {
    const dist = ensureBuilt('portal');
    database = await openDemoCity(600);
    world = await publishWorld(database);
    server = await startServer({
      database,
      port: 0,
      staticMounts: [{ prefix: '/', dir: dist }],
      beacon,
      now: () => clock,
    });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    disableLocalWitnesses();
    await database?.close();
  });

  /** A fresh visitor (no cookies), Chinese by default; page errors fail the suite at the end. */
  const visit = (path: string, opts: { acceptDownloads?: boolean } = {}): Promise<Page> =>
    b.visit(`${server.url}${path}`, { acceptDownloads: opts.acceptDownloads ?? false });

  it('opens in Chinese for the city, and the bureau picker switches to a district', async () => {
    const page = await visit('/');
    await expect.poll(() => page.getByTestId('portal-title').textContent()).toBe('双随机、一公开');
    await expect.poll(() => page.getByTestId('main-menu').textContent()).toContain('抽查事项清单');
    // The picker is a button until first used; it then loads antd's Select, open and focused.
    await page.getByTestId('bureau-picker').click();
    await page.locator('.ant-select-dropdown:visible').waitFor();
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
    const round = world.bundle.commitment.sources.find((x) => x.kind === 'drand')!;
    expect(await page.getByTestId('commitment-sources').textContent()).toContain(
      `drand 公开随机信标：演示信标 第 ${'round' in round ? round.round : ''} 轮`,
    );
    expect(await page.getByTestId('commitment-sources').textContent()).toContain('演示信标');
    // The roster units left out of the pool, by reason, and the roster changes before it.
    await expect.poll(() => page.getByTestId('excluded-summary').textContent()).toContain('已关闭或注销');
    const changes = (await page.getByTestId('roster-changes').textContent()) ?? '';
    expect(changes).toContain('单位状态变更');
    expect(changes).toContain(world.closedUnit);
    const strata = (await page.getByTestId('commitment-strata').textContent()) ?? '';
    // Each stratum by its Chinese name (本期应查…), not its id.
    for (const s of world.bundle.commitment.strata) expect(strata).toContain(stratumName(s.id, 'zh'));
    await shot(page, '03-commitment');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('commitment-download').click(),
    ]);
    const json = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      commitment: DrawBundleV2['commitment'];
      commitmentDigest: string;
      frame: unknown[];
    };
    expect(json.commitmentDigest).toBe(world.bundle.commitmentDigest);
    expect(json.commitment.committedAt).toBe(world.bundle.commitment.committedAt);
    expect(json.frame).toHaveLength(world.bundle.commitment.frame.count);
    await page.context().close();
  });

  it('lists the signed draws and the voided attempt with its reason and both officials (B2)', async () => {
    const page = await visit(`/draws?bureau=${BINHAI}`);
    await expect
      .poll(() => page.getByTestId('draws-table').textContent())
      .toContain('2026年第三季度一般检查');
    // The covert plan's sealed void (of the next quarter) is listed too: this is the general plan's.
    const voidCard = page.getByTestId('void-card').filter({ hasText: VOID_REASON });
    await expect.poll(() => voidCard.textContent()).toContain(VOID_REASON);
    const text = (await voidCard.textContent()) ?? '';
    expect(text).toContain(world.voidRequester);
    expect(text).toContain(world.voidApprover);
    expect(text).toContain('作废时随机数已经公开');
    expect(text).toContain(world.voidedRandomness);
    expect(text).toContain(world.voidedResultDigest);
    // The voided attempt is verified in the browser as a draw is: its randomness and result
    // recomputed, its commitment time from the log, the void's signer against the registry.
    await voidCard.getByTestId('void-verify').click();
    const verdict = voidCard.getByTestId('verify-bundle');
    await expect.poll(() => verdict.getAttribute('data-status'), { timeout: 60_000 }).toBe('ok');
    const lines = voidCard.getByTestId('check-line');
    const byId = new Map<string, string>();
    for (let i = 0; i < (await lines.count()); i++)
      byId.set(
        (await lines.nth(i).getAttribute('data-check'))!,
        (await lines.nth(i).getAttribute('data-status'))!,
      );
    expect(byId.get('void')).toBe('pass');
    expect(byId.get('result')).toBe('pass');
    expect(byId.get('commitmentTime')).toBe('pass');
    // The void's publication is the one the log recorded, and its key was valid then (§9.7).
    expect(byId.get('signOffLogTime')).toBe('pass');
    expect(byId.has('signOff')).toBe(false);
    expect(await voidCard.getByTestId('check-lines').textContent()).toContain(
      `作废有效：${world.voidApprover} 用本局登记的密钥签署了这次作废`,
    );
    await shot(page, '04-draws');
    await page.context().close();
  });

  it('shows a covert plan’s void sealed: who asked, who signed, the digests, and no unit or officer (R10)', async () => {
    const page = await visit(`/publication/${world.sealedVoidPublicationId}`);
    const card = page.getByTestId('void-card');
    await expect.poll(() => card.getByTestId('void-sealed').textContent()).toContain('暗查暗访');
    const text = (await card.textContent()) ?? '';
    expect(text).toContain(world.voidApprover);
    expect(text).toContain('抽取名录或规则有误');
    // Its randomness was public by then: the result before the void shows as its digest only.
    expect(text).toContain('作废前的结果现仅公布其摘要');
    expect(await card.getByTestId('void-verify').count()).toBe(0);
    const whole = (await page.content()) ?? '';
    for (const id of [...world.covertUnits, ...world.covertOfficers]) expect(whole).not.toContain(id);
    await shot(page, '04c-sealed-void');
    await page.context().close();
  });

  /** The check lines of the verifier once it has finished, as `[id, status]`. */
  async function checkLines(page: Page): Promise<[string, string][]> {
    await expect
      .poll(() => page.getByTestId('verify-bundle').getAttribute('data-status'), { timeout: 30_000 })
      .not.toBe('running');
    const lines = page.getByTestId('check-line');
    const out: [string, string][] = [];
    for (let i = 0; i < (await lines.count()); i++)
      out.push([
        (await lines.nth(i).getAttribute('data-check'))!,
        (await lines.nth(i).getAttribute('data-status'))!,
      ]);
    return out;
  }

  it('verifies the v2 draw line by line in the browser: every check passes, the signer against the published registry', async () => {
    const page = await visit(`/draws/${world.drawPublicationId}`);
    const lines = await checkLines(page);
    expect(await page.getByTestId('verify-bundle').getAttribute('data-status')).toBe('ok');
    const ids = lines.map(([id]) => id);
    for (const id of [
      'parse',
      'digest.commitment',
      'digest.frame',
      'digest.excluded',
      'digest.inspectors',
      'digest.experts',
      'excluded',
      'commitmentTime',
      'source.0.drand.chain',
      'source.0.drand.signature',
      'source.0.timing',
      'randomness',
      'sufficiency',
      'freshness',
      'previous',
      'feasibility',
      'result',
      'signOff.timing',
      'signOff',
      'registryTime',
      'signOffLogTime',
    ])
      expect(ids).toContain(id);
    expect(lines.filter(([, st]) => st === 'fail')).toEqual([]);
    // Only the demo beacon is a note: the commitment and registry times are proven by the log's
    // witnessed checkpoints, and the signer passes.
    expect(
      lines
        .filter(([, st]) => st === 'warn')
        .map(([id]) => id)
        .sort(),
    ).toEqual(['source.0.drand.chain', 'sufficiency'].sort());
    expect(lines.find(([id]) => id === 'signOff')![1]).toBe('pass');
    expect(lines.find(([id]) => id === 'commitmentTime')![1]).toBe('pass');
    expect(lines.find(([id]) => id === 'registryTime')![1]).toBe('pass');
    // §9.7: the publication is the one the log recorded, and the key was valid when it was public.
    expect(lines.find(([id]) => id === 'signOffLogTime')![1]).toBe('pass');
    const text = (await page.getByTestId('check-lines').textContent()) ?? '';
    expect(text).toContain('与本次签名一致；按随附登记表、本局现行登记表及其此前各版，签名密钥当时有效');
    expect(text).toContain('承诺时间已由公开日志证明');
    expect(text).toContain('签名密钥登记已于');
    const proven = page.getByTestId('commitment-time');
    await expect.poll(() => proven.getAttribute('data-status')).toBe('proven');
    expect(await proven.textContent()).toContain('早于随机数产生');
    expect(await page.getByTestId('commitment-witnesses').textContent()).toMatch(
      /演示见证人[\s\S]*演示见证人/,
    );
    expect(text).toContain('演示信标');
    expect(text).toContain(
      `在本机重新计算的结果与公布的逐字节一致（抽中 ${world.bundle.result.selected.length} 家）`,
    );
    expect(text).toContain('签名有效：滨海新区分管领导 用本局登记的密钥签署了这份承诺和这份结果');
    // No check id or English sentence on the Chinese page.
    expect(text).not.toMatch(/signOff|digest\.|source\.\d|not proven|unpinned/);
    // B1: the commitment was published before the result, with the bundle's digest.
    const precedence = page.getByTestId('commitment-precedence');
    await expect.poll(() => precedence.getAttribute('data-status')).toBe('ok');
    const selected = (await page.getByTestId('draw-selected').textContent()) ?? '';
    expect(selected).toContain(world.bundle.result.selected[0]!.unit);
    // Public names beside the ids: the unit's name, officers by name and certificate number.
    expect(selected).toMatch(/天津\S+(有限公司|经营部)/);
    expect(selected).toMatch(/（JZ120116\d{5}）/);
    expect(await page.getByTestId('draw-signoff').textContent()).toContain('滨海新区分管领导');
    expect(await page.getByTestId('signoff-key-state').textContent()).toContain('有效');
    await expect.poll(() => page.getByTestId('attempt-list').textContent()).toContain('第 1 次抽取');
    await shot(page, '05-draw-verified');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, '05-draw-verified-390');
    await page.context().close();
  });

  it('downloads the bundle with its sign-off and the registry, and the exclusions as CSV and JSON', async () => {
    const page = await visit(`/draws/${world.drawPublicationId}`, { acceptDownloads: true });
    await checkLines(page);
    const [bundleFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('bundle-download').click(),
    ]);
    const pkg = JSON.parse(readFileSync(await bundleFile.path(), 'utf8')) as {
      bundle: DrawBundleV2 & { inclusion?: { leaf: { kind: string; subject: string } } };
      registry: KeyRegistry;
      registryInclusion?: { leaf: { kind: string } };
      registryHistory?: unknown;
      witnesses: { name: string; label: string; publicKey: string }[];
      signOffInclusion?: { leaf: { kind: string } };
      currentRegistry?: KeyRegistry;
      currentRegistryInclusion?: unknown;
      currentRegistryHistory?: unknown[];
    };
    expect(pkg.bundle.signOff.signer.name).toBe('滨海新区分管领导');
    // §9.7 goes with it: the sign-off's record in its witnessed checkpoint and the newest registry,
    // which an offline verifier (`spotcheck verify FILE`) checks as the page does.
    expect(pkg.signOffInclusion?.leaf.kind).toBe('sign-off');
    expect(pkg.currentRegistry?.spec).toBe('sr-draw/v2/keys');
    expect(Array.isArray(pkg.currentRegistryHistory)).toBe(true);
    const offline = verifyBundleV2(JSON.parse(JSON.stringify(pkg.bundle)), {
      registry: pkg.registry,
      verifyInclusion: commitmentInclusionVerifier(pkg.witnesses),
      registryInclusion: pkg.registryInclusion,
      registryHistory: pkg.registryHistory,
      verifyRegistryInclusion: registryInclusionVerifier(pkg.witnesses),
      verifySignOffInclusion: signOffInclusionVerifier(pkg.witnesses),
      signOffInclusion: pkg.signOffInclusion,
      currentRegistry: pkg.currentRegistry,
      currentRegistryInclusion: pkg.currentRegistryInclusion,
      currentRegistryHistory: pkg.currentRegistryHistory,
    });
    expect(offline.checks.find((c) => c.id === 'signOffLogTime')).toMatchObject({ status: 'pass' });
    // The log proofs go with it, and the witnesses they are checked against (`spotcheck verify FILE`).
    expect(pkg.bundle.inclusion?.leaf).toMatchObject({
      kind: 'commitment',
      subject: pkg.bundle.commitmentDigest,
    });
    expect(pkg.registryInclusion?.leaf.kind).toBe('key-registry');
    expect(pkg.witnesses).toHaveLength(2);
    for (const w of pkg.witnesses) expect(w.label).toContain('演示见证人');
    expect(pkg.registry.spec).toBe('sr-draw/v2/keys');
    expect(pkg.registry.keys.map((k) => k.keyId)).toContain(pkg.bundle.signOff.signer.keyId);

    // The unit closed before the commitment is left out with its reason, never silently.
    expect(world.bundle.excluded).toContainEqual([world.closedUnit, 'closed']);
    const summary = (await page.getByTestId('excluded-summary').textContent()) ?? '';
    expect(summary).toContain('已关闭或注销');
    expect(summary).not.toMatch(/out-of-scope|not-due|closed/);
    const [csvFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('excluded-csv').click(),
    ]);
    const csv = readFileSync(await csvFile.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(csv[0]).toBe('统一社会信用代码,原因代码,原因');
    expect(csv).toHaveLength(world.bundle.excluded.length + 1);
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 2))).toEqual(world.bundle.excluded);
    const [jsonFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('excluded-json').click(),
    ]);
    expect(JSON.parse(readFileSync(await jsonFile.path(), 'utf8'))).toEqual(world.bundle.excluded);
    await page.getByTestId('excluded-card').scrollIntoViewIfNeeded();
    await shot(page, '05b-exclusions');
    await page.context().close();
  });

  it('shows attempt 2 chained to voided attempt 1 with what was known, and every commitment of the period', async () => {
    const page = await visit(`/draws/${world.secondAttemptPublicationId}`);
    const lines = await checkLines(page);
    expect(lines.filter(([, st]) => st === 'fail')).toEqual([]);
    expect(lines.find(([id]) => id === 'previous')![1]).toBe('pass');
    expect(lines.find(([id]) => id === 'freshness')![1]).toBe('pass');
    const chain = page.getByTestId('attempt-chain');
    await expect.poll(() => page.getByTestId('attempt-item').count()).toBe(2);
    const items = page.getByTestId('attempt-item');
    expect(await items.nth(0).textContent()).toContain('第 1 次抽取');
    expect(await items.nth(0).getByTestId('attempt-outcome').getAttribute('data-outcome')).toBe('voided');
    expect(await items.nth(1).getByTestId('attempt-outcome').getAttribute('data-outcome')).toBe('drawn');
    const previous = (await page.getByTestId('attempt-previous').textContent()) ?? '';
    expect(previous).toContain('上一次（第 1 次）抽取已作废');
    expect(previous).toContain(VOID_REASON);
    expect(previous).toContain(world.voidedRandomness);
    expect(previous).toContain(world.voidedResultDigest);
    await expect.poll(() => page.getByTestId('attempt-void-signer').textContent()).toBe(world.voidApprover);
    // Every commitment of Binhai in 2026-Q3: the first plan's and both attempts of the second.
    expect(world.periodCommitments).toBeGreaterThanOrEqual(3);
    const ledger = page.getByTestId('commitment-ledger');
    await expect.poll(() => ledger.locator('tbody tr.ant-table-row').count()).toBe(world.periodCommitments);
    expect(await ledger.getByTestId('ledger-duplicate').count()).toBe(0);
    await chain.scrollIntoViewIfNeeded();
    await shot(page, '05c-attempt-chain');
    await page.getByTestId('attempt-void-link').click();
    await expect.poll(() => page.getByTestId('void-signer').textContent()).toBe(world.voidApprover);
    await page.context().close();
  });

  it('lists the bureau’s published signing keys with their validity', async () => {
    const page = await visit(`/keys?bureau=${BINHAI}`);
    const table = page.getByTestId('keys-table');
    await expect.poll(() => table.textContent()).toContain('滨海新区分管领导');
    expect(await table.textContent()).toContain('滨海新区副局长');
    for (const k of world.registry.keys) expect(await table.textContent()).toContain(k.keyId);
    expect(await page.getByTestId('key-state').first().getAttribute('data-state')).toBe('valid');
    await shot(page, '05d-keys');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, '05d-keys-390');
    await page.context().close();
  });

  it('shows a sign-off’s record in words, with its log entry', async () => {
    const page = await visit(`/publication/${world.signOffRecordId}`);
    const card = page.getByTestId('signature-record');
    await expect.poll(() => card.textContent()).toContain('滨海新区分管领导');
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('抽取结果');
    expect(text).toContain(world.bundle.signOff.signer.keyId);
    expect(text).toContain(world.bundle.resultDigest);
    // No English field of the record's JSON on the Chinese page.
    expect(text).not.toMatch(/commitmentDigest|signedAt|keyId|sr-draw/);
    const proof = page.getByTestId('inclusion-proof');
    await expect.poll(() => proof.getAttribute('data-status')).toBe('verified');
    // The signature is checked against the bureau's registries in the log.
    const check = page.getByTestId('signature-record-check');
    await expect.poll(() => check.getAttribute('data-status')).toBe('valid');
    expect(await check.textContent()).toContain('有效');
    await shot(page, '05e-sign-off-record');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => card.textContent()).toContain('Signing key fingerprint');
    await page.context().close();

    // A record anyone with the database could log, naming the same official: shown as no signature of theirs.
    const forged = await visit(`/publication/${world.forgedRecordId}`);
    const forgedCheck = forged.getByTestId('signature-record-check');
    await expect.poll(() => forgedCheck.getAttribute('data-status')).toBe('key.key');
    expect(await forgedCheck.textContent()).toContain('都没有登记此密钥');
    expect(await forged.getByTestId('signature-record').textContent()).toContain('滨海新区分管领导');
    await shot(forged, '05f-forged-sign-off-record');
    await forged.context().close();

    // The honest record copied under another draw: a valid signature, but not of that draw.
    const copied = await visit(`/publication/${world.copiedRecordId}`);
    const copiedCheck = copied.getByTestId('signature-record-check');
    await expect.poll(() => copiedCheck.getAttribute('data-status')).toBe('draw');
    expect(await copiedCheck.textContent()).toContain('不是这次抽取的签名');
    await shot(copied, '05g-copied-sign-off-record');
    await copied.context().close();
  });

  it('shows the failing line of a tampered v2 bundle, an attacker’s registry, and still verifies v1 bundles', async () => {
    const page = await visit('/verify');
    const input = page.getByTestId('offline-input');
    const verify = async (x: unknown) => {
      await input.fill(JSON.stringify(x));
      await page.getByTestId('offline-verify').click();
      return checkLines(page);
    };
    const good = await verify({ bundle: world.bundle, registry: world.registry });
    expect(good.filter(([, st]) => st === 'fail')).toEqual([]);
    expect(good.find(([id]) => id === 'signOff')![1]).toBe('pass');

    const tampered = structuredClone(world.bundle);
    const first = tampered.result.selected[0]!;
    first.team = [...first.team].reverse();
    const bad = await verify({ bundle: tampered, registry: world.registry });
    expect(bad.filter(([, st]) => st === 'fail').map(([id]) => id)).toEqual(['result']);
    expect(await page.getByTestId('verify-bundle').getAttribute('data-status')).toBe('bad');
    const failing = page.locator('[data-testid="check-line"][data-status="fail"]');
    expect(await failing.textContent()).toBe('在本机重新计算的结果与公布的不一致');
    await shot(page, '06-offline-tampered');

    // A registry the attacker made: the signer's key is not in it.
    const attacker = structuredClone(world.registry);
    attacker.keys = attacker.keys.filter((k) => k.keyId !== world.bundle.signOff.signer.keyId);
    const forged = await verify({ bundle: world.bundle, registry: attacker });
    expect(forged.filter(([, st]) => st === 'fail').map(([id]) => id)).toEqual(['signOff']);
    // An edited signer name fails the same line against the real registry.
    const renamed = structuredClone(world.bundle);
    renamed.signOff.signer.name = '滨海新区局长';
    expect(
      (await verify({ bundle: renamed, registry: world.registry })).filter(([, st]) => st === 'fail'),
    ).toEqual([['signOff', 'fail']]);

    // v1 bundles keep verifying and displaying as before.
    const v1 = sampleBundle();
    await input.fill(JSON.stringify(v1));
    await page.getByTestId('offline-verify').click();
    await expect.poll(() => page.getByTestId('verify-bundle').getAttribute('data-status')).toBe('ok');
    expect(await page.getByTestId('verify-bundle').textContent()).toContain('✓ 重新计算结果与公布的完全一致');
    const v1bad = structuredClone(v1);
    v1bad.result.selected[0]!.team = [...v1bad.result.selected[0]!.team].reverse();
    await input.fill(JSON.stringify(v1bad));
    await page.getByTestId('offline-verify').click();
    await expect.poll(() => page.getByTestId('verify-bundle').getAttribute('data-status')).toBe('bad');
    expect(await page.getByTestId('verify-reason').textContent()).toMatch(
      /^result mismatch at result\.selected\[0\]/,
    );

    await input.fill('{"algorithm": "sr-draw/v2"');
    await page.getByTestId('offline-verify').click();
    await expect.poll(() => page.getByTestId('offline-error').textContent()).toContain('无法读取');
    await page.context().close();
  });

  it('refuses a draw whose commitment reached a witnessed checkpoint only after its randomness (§9.1)', async () => {
    // The best a bureau that held the log back (or back-dated the commitment) could show: the
    // commitment's leaf in a checkpoint co-signed by both witnesses, dated after the first source.
    tick();
    await witnessedCheckpoint(database);
    const anonymous = createCallerFactory(appRouter)(() => createContextInner({ db: database.db, beacon }));
    const drawPub = await anonymous.publications.get({ id: world.drawPublicationId });
    const commitments = await anonymous.publications.list({ bureauCode: BINHAI, kind: 'commitment' });
    const commitment = commitments.find((c) => c.refId === drawPub.refId)!;
    const late = await anonymous.transparency.inclusion({
      publicationId: commitment.id,
      checkpoint: 'latest',
    });
    expect(late.witnessedBy).toHaveLength(2);
    const witnesses = await anonymous.transparency.witnesses();
    const page = await visit('/verify');
    await page.getByTestId('offline-input').fill(
      JSON.stringify({
        bundle: { ...world.bundle, inclusion: late.inclusion },
        registry: world.registry,
        witnesses,
      }),
    );
    await page.getByTestId('offline-verify').click();
    const lines = await checkLines(page);
    expect(lines.find(([id]) => id === 'commitmentTime')).toEqual(['commitmentTime', 'fail']);
    expect(await page.getByTestId('verify-bundle').getAttribute('data-status')).toBe('bad');
    const failing = page.locator('[data-testid="check-line"][data-check="commitmentTime"]');
    expect(await failing.textContent()).toContain('不予认可');
    // The same bundle with its own (first) witnessed checkpoint still passes that line.
    await page
      .getByTestId('offline-input')
      .fill(JSON.stringify({ bundle: world.bundle, registry: world.registry, witnesses }));
    await page.getByTestId('offline-verify').click();
    expect((await checkLines(page)).find(([id]) => id === 'commitmentTime')).toEqual([
      'commitmentTime',
      'pass',
    ]);
    await shot(page, '06b-offline-late-commitment');
    await page.context().close();
  });

  it('shows a draw publication changed after the log recorded it, though its bundle still checks', async () => {
    // An insider renames a selected unit in the names published beside the bundle: the bundle,
    // its sign-off and registry are untouched, only the publication is not what the log holds.
    const anonymous = createCallerFactory(appRouter)(() => createContextInner({ db: database.db, beacon }));
    const { content } = await anonymous.publications.get({ id: world.drawPublicationId });
    const kept = structuredClone(content) as { roster: { units: Record<string, { name: string }> } };
    const renamed = structuredClone(kept);
    const unit = world.bundle.result.selected[0]!.unit;
    renamed.roster.units[unit]!.name = '天津某某伪造有限公司';
    await database.db
      .update(publications)
      .set({ content: renamed })
      .where(eq(publications.id, world.drawPublicationId));
    try {
      const page = await visit(`/draws/${world.drawPublicationId}`);
      const proof = page.getByTestId('inclusion-proof');
      await expect.poll(() => proof.getAttribute('data-status'), { timeout: 30_000 }).toBe('failed');
      expect(await proof.getAttribute('data-changed')).toBe('yes');
      expect(await proof.innerText()).toContain('它在公布之后被改动过，不可信');
      // The draw itself (its bundle and sign-off, dated by its signature record) still checks.
      const lines = await checkLines(page);
      expect(lines.filter(([, st]) => st === 'fail')).toEqual([]);
      expect(lines.find(([id]) => id === 'signOffLogTime')![1]).toBe('pass');
      await shot(page, '05c-draw-changed-after-logging');
      await page.context().close();
    } finally {
      await database.db
        .update(publications)
        .set({ content: kept })
        .where(eq(publications.id, world.drawPublicationId));
    }
    // Put back: the log's record and the page agree again.
    const page = await visit(`/draws/${world.drawPublicationId}`);
    await expect
      .poll(() => page.getByTestId('inclusion-proof').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('verified');
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
    expect(await table.textContent()).toContain('2026-08-28');
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
    const lines = (await page.getByTestId('check-lines').textContent()) ?? '';
    expect(lines).toContain('identical to the published one');
    expect(lines).toContain('Commitment time proven by the public log');
    expect(await page.getByTestId('commitment-time').textContent()).toContain(
      'before the randomness existed',
    );
    expect(lines).toContain('demo beacon');
    await shot(page, '10-draw-english');
    await page.context().close();
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
