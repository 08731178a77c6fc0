/**
 * End-to-end for the use of results (issue #14, R17–R19) in the built admin SPA, Debian Chromium,
 * zh-CN by default: a violation becomes an enforcement case (立案 → 调查终结 → 处罚决定 with the
 * checklist item's legal basis → 结案); a major hazard is listed (挂牌督办), evidence uploaded,
 * reviewed, and closed (销号) by a second person who is not the proposer; a blacklist proposal is
 * reviewed by a second person, noticed with an objection period, decided after it (server clock
 * moved on) and published. Each page is also seen in English. Screenshots:
 * test/.artifacts/screenshots/cq-*.png.
 */
import { readFile } from 'node:fs/promises';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  blacklistProceedings,
  checklistItems,
  checklistVersions,
  draws,
  enforcementCases,
  findings,
  plans,
  results,
  supervisions,
  tasks,
  units,
  users,
  type StoredCommitment,
} from '@spotcheck/db';
import { startServer, type RunningServer } from '@spotcheck/server';
import { describeInChromium, ensureBuilt, settled, useBrowser, type Page } from '../support/e2e';
import { callerAs, startAdminWorld, type AdminWorld } from './admin-world';

const BINHAI = '120116';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/;

/** A date `days` from today in China Standard Time, as `YYYY-MM-DD`. */
function cstDay(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
}

/** Three inspected Binhai units: a violation, a major hazard and a concealed hazard (proposed). */
interface Seeded {
  violationUnit: string;
  majorUnit: string;
  concealedUnit: string;
  legalBasis: string;
}

/**
 * What the inspection part of the quarter leaves behind, written directly (the draw flow has its
 * own suites): a Binhai plan with three done tasks and their results, one finding each citing a
 * published checklist item; and a blacklist proposal on the third, as an officer's follow-up
 * check of a concealed hazard makes it.
 */
async function seedInspections(world: AdminWorld): Promise<Seeded> {
  const db = world.database.db;
  const [admin] = await db.select().from(users).where(eq(users.username, 'binhai-admin'));
  const [version] = await db
    .select()
    .from(checklistVersions)
    .where(and(eq(checklistVersions.bureauCode, BINHAI), eq(checklistVersions.status, 'published')))
    .orderBy(desc(checklistVersions.version))
    .limit(1);
  const [item] = await db
    .select()
    .from(checklistItems)
    .where(eq(checklistItems.versionId, version!.id))
    .orderBy(asc(checklistItems.code))
    .limit(1);
  const picked = await db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.bureauCode, BINHAI), eq(units.status, 'active'), eq(units.blacklisted, false)))
    .orderBy(asc(units.id))
    .limit(3);
  const [plan] = await db
    .insert(plans)
    .values({
      bureauCode: BINHAI,
      title: '本季度一般检查（结果运用演示）',
      period: `${cstDay(0).slice(0, 4)}-Q${Math.floor(Number(cstDay(0).slice(5, 7)) / 3.01) + 1}`,
      kind: 'general',
      status: 'tasks-issued',
      team: { size: 2, specialist: false, ownJurisdiction: false },
      checklistVersionId: version!.id,
      createdBy: admin!.id,
    })
    .returning();
  const [draw] = await db
    .insert(draws)
    .values({
      planId: plan!.id,
      bureauCode: BINHAI,
      attempt: 1,
      status: 'signed',
      // A fixture row, never verified: no real commitment.
      commitment: {} as StoredCommitment,
      commitmentDigest: `cq-e2e-${plan!.id}`,
      frame: [],
      inspectorRows: [],
      committedAt: new Date(),
      committedBy: admin!.id,
    })
    .returning();
  const kinds = ['violation', 'major-hazard', 'hazard'] as const;
  const findingIds: string[] = [];
  for (const [i, u] of picked.entries()) {
    const [task] = await db
      .insert(tasks)
      .values({
        bureauCode: plan!.bureauCode,
        drawId: draw!.id,
        planId: plan!.id,
        unitId: u.id,
        sequence: i + 1,
        reason: 'random',
        team: ['E2E-1', 'E2E-2'],
        checklistItemCodes: [item!.code],
        status: 'done',
      })
      .returning();
    const [result] = await db
      .insert(results)
      .values({
        bureauCode: task!.bureauCode,
        taskId: task!.id,
        outcome: 'violations',
        inspectedOn: cstDay(-5),
        recordedBy: admin!.id,
      })
      .returning();
    const [f] = await db
      .insert(findings)
      .values({
        bureauCode: result!.bureauCode,
        resultId: result!.id,
        kind: kinds[i]!,
        checklistItemCode: item!.code,
        description: ['安全出口被货物堵塞', '液氨储罐区未设置紧急切断装置', '隐瞒粉尘涉爆隐患'][i]!,
        rectificationDue: cstDay(20),
      })
      .returning();
    findingIds.push(f!.id);
  }
  // The follow-up check that found concealment proposes the unit (an officer's proposal).
  const city = await callerAs(world.database, 'city-admin');
  await city.blacklist.propose({
    kind: 'listing',
    unitId: picked[2]!.id,
    reason: 'concealed',
    findingId: findingIds[2]!,
    note: '复查发现隐瞒粉尘涉爆隐患',
  });
  return {
    violationUnit: picked[0]!.id,
    majorUnit: picked[1]!.id,
    concealedUnit: picked[2]!.id,
    legalBasis: item!.legalBasis,
  };
}

describeInChromium('consequences')('use of results in the admin (cases, 挂牌督办, blacklist)', () => {
  let world: AdminWorld;
  /** The public portal on the same database (the admin world serves the admin only). */
  let portal: RunningServer;
  let seeded: Seeded;
  const b = useBrowser('consequences', { shotPrefix: 'cq-' });
  const { shot } = b;
  const signIn = (username: string) => b.signIn(world.server.url, username);

  beforeAll(async () => {
    world = await startAdminWorld();
    seeded = await seedInspections(world);
    portal = await startServer({
      database: world.database,
      port: 0,
      staticMounts: [{ prefix: '/', dir: ensureBuilt('portal') }],
    });
  }, 300_000);

  afterAll(async () => {
    await portal?.close();
    await world?.close();
  });

  /**
   * Submits the step dialog titled `title` (or holding the submit button `<testId>-submit`) once it
   * is the one open and has settled, and waits until
   * it has closed: a refusal (the dialog stays, with its error) fails with the dialog's text. A
   * server slowed by the suites beside it is given a minute; a dialog still open then is kept as a
   * screenshot.
   */
  async function submitStep(page: Page, testId: string, title?: string) {
    // By its title, or (a dialog without one to tell it by) by its submit button.
    const dialog = page.locator('.ant-modal').filter({
      has:
        title === undefined
          ? page.getByTestId(`${testId}-submit`)
          : page.locator('.ant-modal-title', { hasText: title }),
    });
    await expect.poll(() => dialog.count()).toBe(1);
    // Not while it zooms in: a click then lands where the button will be, and is lost (seen twice
    // in CI rehearsals under load: the dialog stayed open, neither sending nor refused).
    await settled(dialog);
    const submit = dialog.getByTestId(`${testId}-submit`);
    await submit.click();
    const clickedAt = Date.now();
    let clickedAgain = false;
    try {
      await expect
        .poll(
          async () => {
            // allTextContents does not wait for an element: the dialog may go between two calls.
            const open = await dialog.allTextContents();
            if (open.length === 0) return 'closed';
            // Still open after 15 s, neither refused nor sending: the click was lost; once more.
            if (!clickedAgain && Date.now() - clickedAt > 15_000) {
              const refused = await dialog.locator('.ant-alert-error').count();
              const sending = await dialog.locator('.ant-btn-loading').count();
              if (refused === 0 && sending === 0) {
                clickedAgain = true;
                await submit.click({ timeout: 5_000 }).catch(() => undefined);
              }
            }
            return open.join(' ');
          },
          { timeout: 60_000 },
        )
        .toBe('closed');
    } catch (err) {
      await shot(page, `failed-${testId}-${(title ?? testId).replace(/[^\p{L}\p{N}]+/gu, '-')}`, {
        check: false,
        idle: false,
      });
      throw err;
    }
  }

  /** The Chinese page shows no English dictionary keys, status codes or internal ids. */
  async function expectChinese(page: Page) {
    const text = (await page.locator('main, .ant-layout-content').first().textContent()) ?? '';
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(/\b(case|sup|bl|cq)\.[a-z]/);
    expect(text).not.toMatch(/\b(proposed|reviewed|noticed|listed|filed|investigated|major-hazard)\b/);
  }

  it('takes a violation through 立案, 调查终结, 处罚决定 (legal basis from the checklist) and 结案', async () => {
    const admin = await signIn('binhai-admin');
    await admin.goto(`${world.server.url}/admin/cases`);
    const candidates = admin.getByTestId('case-candidates');
    await expect.poll(() => candidates.textContent()).toContain('安全出口被货物堵塞');
    const row = candidates.locator('tr').filter({ hasText: '安全出口被货物堵塞' });
    await row.getByTestId('case-file').click();
    await admin.getByTestId('case-number').fill('津滨应急立〔2026〕18号');
    await submitStep(admin, 'case', '立案');
    const table = admin.getByTestId('case-table');
    // The stage tag, not the table: the 下一步 button of a filed case already reads 调查终结.
    const stage = table.getByTestId('case-stage');
    await expect.poll(() => stage.textContent()).toBe('已立案');
    await expectChinese(admin);
    await table.getByTestId('case-next').click();
    await submitStep(admin, 'case', '调查终结');
    await expect.poll(() => stage.textContent()).toBe('调查终结');
    await table.getByTestId('case-next').click();
    await admin.getByTestId('case-decision-number').fill('津滨应急罚〔2026〕18号');
    await admin.getByTestId('case-amount').fill('20000');
    await submitStep(admin, 'case', '处罚决定');
    await expect.poll(() => stage.textContent()).toBe('已作出处罚决定');
    expect(await table.textContent()).toContain(seeded.legalBasis);
    expect(await table.textContent()).toContain('20000.00');
    await table.getByTestId('case-next').click();
    await submitStep(admin, 'case', '执行完毕/结案');
    await expect.poll(() => stage.textContent()).toBe('已结案');
    await table.getByTestId('case-open').click();
    await expect.poll(() => admin.getByTestId('case-step').count()).toBe(4);
    await shot(admin, '01-case');
    await admin.keyboard.press('Escape');
    const [c] = await world.database.db
      .select()
      .from(enforcementCases)
      .where(eq(enforcementCases.unitId, seeded.violationUnit));
    expect(c).toMatchObject({ stage: 'closed', legalBasis: seeded.legalBasis, penaltyAmount: '20000.00' });

    await admin.getByTestId('lang-switch').click();
    await expect.poll(() => table.textContent()).toContain('Closed');
    await shot(admin, '02-case-english');
    await admin.getByTestId('lang-switch').click();
  }, 180_000);

  it('lists a major hazard, takes evidence, reviews it, and closes it with a second person (销号)', async () => {
    const admin = await signIn('binhai-admin');
    await admin.goto(`${world.server.url}/admin/supervisions`);
    const candidates = admin.getByTestId('sup-candidates');
    await expect.poll(() => candidates.textContent()).toContain('液氨储罐区');
    await candidates.locator('tr').filter({ hasText: '液氨储罐区' }).getByTestId('sup-open').click();
    await admin.getByTestId('sup-number').fill('滨督〔2026〕7号');
    await admin.getByTestId('sup-submit').click();
    const table = admin.getByTestId('sup-table');
    await expect.poll(() => table.textContent()).toContain('督办中');
    await expectChinese(admin);
    // The listing is in the public column, without the hazard's description.
    const [s] = await world.database.db
      .select()
      .from(supervisions)
      .where(eq(supervisions.unitId, seeded.majorUnit));
    const input = encodeURIComponent(JSON.stringify({ id: s!.listingPublicationId }));
    const pub = await (await fetch(`${world.server.url}/trpc/publications.get?input=${input}`)).text();
    expect(pub).toContain('滨督〔2026〕7号');
    expect(pub).not.toContain('液氨储罐区未设置紧急切断装置');

    await table.getByTestId('sup-evidence').click();
    await admin.locator('.ant-modal input[type=file]').setInputFiles({
      name: '整改报告.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('已加装紧急切断装置\n'),
    });
    await expect.poll(() => admin.getByTestId('document-tag').count()).toBe(1);
    await submitStep(admin, 'sup');
    await expect.poll(() => table.textContent()).toContain('整改材料待审核');
    await table.getByTestId('sup-review').click();
    await admin.getByTestId('sup-note').fill('现场复核，整改到位');
    await submitStep(admin, 'sup');
    await expect.poll(() => table.textContent()).toContain('待销号审批');
    // The proposer gets no 销号 button; the approver does.
    expect(await table.getByTestId('sup-close').count()).toBe(0);
    await shot(admin, '03-supervision-proposed');

    const approver = await signIn('binhai-approver');
    await approver.goto(`${world.server.url}/admin/supervisions`);
    const atable = approver.getByTestId('sup-table');
    await atable.getByTestId('sup-close').click();
    await submitStep(approver, 'sup');
    await expect.poll(() => atable.textContent()).toContain('已销号');
    await atable.getByTestId('sup-detail').click();
    await expect.poll(() => approver.getByTestId('sup-event').count()).toBe(4);
    await shot(approver, '04-supervision-closed');
    await approver.keyboard.press('Escape');
    const [unit] = await world.database.db.select().from(units).where(eq(units.id, seeded.majorUnit));
    expect(unit!.majorHazard).toBe(false);

    // The public portal lists it, closed (销号), without the hazard's description.
    const site = await b.visit(`${portal.url}/supervision?bureau=${BINHAI}`, { width: 1280, height: 800 });
    const ptable = site.getByTestId('supervision-table');
    await expect.poll(() => ptable.textContent(), { timeout: 20_000 }).toContain('滨督〔2026〕7号');
    expect(await ptable.textContent()).toContain('已销号');
    expect(await ptable.textContent()).not.toContain('液氨储罐区未设置紧急切断装置');
    await shot(site, '05b-portal-supervision');

    await approver.getByTestId('lang-switch').click();
    await expect.poll(() => atable.textContent()).toContain('Closed');
    await shot(approver, '05-supervision-english');
    await approver.getByTestId('lang-switch').click();
  }, 180_000);

  it('reviews, notices, decides after the objection period, and publishes a blacklisting', async () => {
    const approver = await signIn('binhai-approver');
    await approver.goto(`${world.server.url}/admin/blacklist`);
    const table = approver.getByTestId('bl-table');
    await expect.poll(() => table.textContent()).toContain('待审核');
    expect(await table.textContent()).toContain('隐瞒重大事故隐患');
    await expectChinese(approver);
    await table.getByTestId('bl-review').click();
    await approver.getByTestId('bl-note').fill('证据确凿，同意提请');
    await approver.getByTestId('bl-submit').click();
    await expect.poll(() => table.textContent()).toContain('待告知');

    const admin = await signIn('binhai-admin');
    await admin.goto(`${world.server.url}/admin/blacklist`);
    const ntable = admin.getByTestId('bl-table');
    await ntable.getByTestId('bl-notice').click();
    await admin.getByTestId('bl-notice-number').fill('津滨应急告〔2026〕9号');
    await admin.getByTestId('bl-submit').click();
    await expect.poll(() => ntable.textContent()).toContain('申辩期中');
    // During the period nobody can decide: no button, and the server refuses.
    expect(await ntable.getByTestId('bl-decide').count()).toBe(0);
    await shot(admin, '06-blacklist-noticed');

    // Eight days later (the server's clock; sessions last 12 hours, so sign in again).
    world.clock.advance(8 * 86400);
    const approver2 = await signIn('binhai-approver');
    await approver2.goto(`${world.server.url}/admin/blacklist`);
    const dtable = approver2.getByTestId('bl-table');
    await dtable.getByTestId('bl-decide').click();
    await approver2.getByTestId('bl-decision-number').fill('津滨应急黑〔2026〕2号');
    await approver2.getByTestId('bl-note').fill('申辩期满未提出申辩');
    await approver2.getByTestId('bl-submit').click();
    await expect.poll(() => dtable.textContent()).toContain('已决定，待公示');

    const admin2 = await signIn('binhai-admin');
    await admin2.goto(`${world.server.url}/admin/blacklist`);
    const ptable = admin2.getByTestId('bl-table');
    await ptable.getByTestId('bl-publish').click();
    await admin2.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(() => ptable.textContent()).toContain('已公示');
    await ptable.getByTestId('bl-detail').click();
    await expect.poll(() => admin2.getByTestId('bl-step').count()).toBe(5);
    await shot(admin2, '07-blacklist-published');
    await admin2.keyboard.press('Escape');
    const [p] = await world.database.db
      .select()
      .from(blacklistProceedings)
      .where(
        and(
          eq(blacklistProceedings.unitId, seeded.concealedUnit),
          inArray(blacklistProceedings.status, ['published']),
        ),
      );
    expect(p).toMatchObject({ decisionNumber: '津滨应急黑〔2026〕2号' });
    const [unit] = await world.database.db.select().from(units).where(eq(units.id, seeded.concealedUnit));
    expect(unit!.blacklisted).toBe(true);

    // The outgoing credit report carries the decision (CSV download, audited).
    const [download] = await Promise.all([
      admin2.waitForEvent('download'),
      admin2.getByTestId('credit-export').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^credit-120116-\d{4}-01-01-\d{4}-12-31\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toContain('recordType,recordId');
    expect(csv).toContain('blacklist-listing');
    expect(csv).toContain('津滨应急黑〔2026〕2号');

    await admin2.getByTestId('lang-switch').click();
    await expect.poll(() => ptable.textContent()).toContain('Published');
    await shot(admin2, '08-blacklist-english');
    await admin2.getByTestId('lang-switch').click();
  }, 180_000);
});
