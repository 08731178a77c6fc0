/**
 * End-to-end: the district scorecard (R25) in the admin SPA, in zh-CN, on the demo city with a
 * Binhai quarter written directly (the draw flow has its own suites): one plan approved before
 * the quarter with four tasks (two done, one finding overdue for rectification), and one plan
 * whose draw was voided for an emergency (three tasks cancelled, not drawn again).
 * Screenshots go to test/.artifacts/screenshots/.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { draws, findings, plans, results, tasks, units, users, type StoredCommitment } from '@spotcheck/db';
import { describeInChromium, useBrowser } from '../support/e2e';
import { startAdminWorld, type AdminWorld } from './admin-world';

const BINHAI = '120116';

/** A date `days` from today in China Standard Time, as `YYYY-MM-DD`. */
function cstDay(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
}
/** The current quarter and its first day (China Standard Time). */
function thisQuarter(): { period: string; first: string } {
  const today = cstDay(0);
  const q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  return {
    period: `${today.slice(0, 4)}-Q${q}`,
    first: `${today.slice(0, 4)}-${String(q * 3 - 2).padStart(2, '0')}-01`,
  };
}

/** Writes Binhai's quarter: a plan carried out in part and a voided one. */
async function seedQuarter(world: AdminWorld) {
  const db = world.database.db;
  const { period, first } = thisQuarter();
  const [admin] = await db.select().from(users).where(eq(users.username, 'binhai-admin'));
  const picked = await db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.bureauCode, BINHAI), eq(units.status, 'active')))
    .orderBy(asc(units.id))
    .limit(7);
  const plan = async (title: string, status: 'tasks-issued' | 'draft', drawStatus: 'signed' | 'voided') => {
    const [p] = await db
      .insert(plans)
      .values({
        bureauCode: BINHAI,
        title,
        period,
        kind: 'general',
        status,
        team: { size: 2, specialist: false, ownJurisdiction: false },
        createdBy: admin!.id,
        // Approved the week before the quarter began: on time.
        approvedAt: new Date(Date.parse(`${first}T09:00:00+08:00`) - 7 * 86400_000),
        approvedBy: admin!.id,
      })
      .returning();
    const [d] = await db
      .insert(draws)
      .values({
        planId: p!.id,
        bureauCode: BINHAI,
        attempt: 1,
        status: drawStatus,
        // A fixture row, never verified: no real commitment.
        commitment: {} as StoredCommitment,
        commitmentDigest: `sc-e2e-${p!.id}`,
        frame: [],
        inspectorRows: [],
        committedAt: new Date(),
        committedBy: admin!.id,
        ...(drawStatus === 'voided'
          ? { voidReasonId: 'emergency', voidReason: '防汛应急响应期间暂停现场检查' }
          : { signedAt: new Date(), signedBy: admin!.id }),
      })
      .returning();
    return { planId: p!.id, drawId: d!.id };
  };
  const a = await plan('本季度一般检查（考核演示）', 'tasks-issued', 'signed');
  for (const [i, u] of picked.slice(0, 4).entries()) {
    const [task] = await db
      .insert(tasks)
      .values({
        bureauCode: BINHAI,
        drawId: a.drawId,
        planId: a.planId,
        unitId: u.id,
        sequence: i + 1,
        reason: 'random',
        team: ['E2E-1', 'E2E-2'],
        status: i < 2 ? 'done' : 'issued',
      })
      .returning();
    if (i >= 2) continue;
    const [result] = await db
      .insert(results)
      .values({
        bureauCode: task!.bureauCode,
        taskId: task!.id,
        outcome: i === 0 ? 'violations' : 'compliant',
        inspectedOn: cstDay(-10),
        recordedBy: admin!.id,
      })
      .returning();
    if (i === 0)
      await db.insert(findings).values({
        bureauCode: result!.bureauCode,
        resultId: result!.id,
        kind: 'hazard',
        description: '安全出口被货物堵塞',
        rectificationDue: cstDay(-2),
      });
  }
  const b = await plan('本季度专项检查（已作废）', 'draft', 'voided');
  for (const [i, u] of picked.slice(4, 7).entries())
    await db.insert(tasks).values({
      bureauCode: BINHAI,
      drawId: b.drawId,
      planId: b.planId,
      unitId: u.id,
      sequence: i + 1,
      reason: 'random',
      team: ['E2E-1', 'E2E-2'],
      status: 'cancelled',
    });
}

describeInChromium('scorecard')('district scorecard in the admin (R25)', () => {
  let world: AdminWorld;
  const b = useBrowser('scorecard');
  const { shot } = b;
  const signIn = (username: string) => b.signIn(world.server.url, username);

  beforeAll(async () => {
    world = await startAdminWorld();
    await seedQuarter(world);
  }, 300_000);

  afterAll(async () => {
    await world?.close();
  });

  it('shows the city every district, Binhai with its cancelled tasks, and the drill-down with the trend', async () => {
    const page = await signIn('city-admin');
    await page.goto(`${world.server.url}/admin/assessment`);
    const table = page.getByTestId('assessment-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(16);
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('滨海新区');
    expect(text).toContain('市级清单'); // districts without a list of their own work with the city's
    // 2 of 4 + 3 cancelled without a new draw: 2 / 7.
    const tasksCell = (await page.getByTestId(`sc-tasks-${BINHAI}`).textContent()) ?? '';
    expect(tasksCell).toContain('完成 2/7');
    expect(tasksCell).toContain('取消 3');
    expect(tasksCell).toContain('28.6%');
    const missing = (await page.getByTestId(`sc-missing-${BINHAI}`).textContent()) ?? '';
    expect(missing).toContain('计划'); // the voided plan went back to draft
    expect(missing).toContain('整改'); // one finding past its due date
    expect(await page.textContent('body')).not.toMatch(/emergency|not-approved|on-time/);
    await shot(page, 'sc-01-scorecard');

    await page.getByTestId(`sc-open-${BINHAI}`).click();
    const detail = page.getByTestId('scorecard-detail');
    await expect.poll(() => detail.textContent()).toContain('突发事件：防汛应急响应期间暂停现场检查');
    const d = (await detail.textContent()) ?? '';
    expect(d).toContain('本季度专项检查（已作废）');
    expect(d).toContain('未批准');
    expect(d).toContain('安全出口被货物堵塞');
    await page.getByTestId('scorecard-trend').locator('canvas').waitFor();
    await shot(page, 'sc-02-drilldown');
  }, 180_000);

  it('switches to English', async () => {
    const page = await signIn('city-admin');
    await page.goto(`${world.server.url}/admin/assessment`);
    await page.getByTestId('assessment-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.textContent('body')).toContain('District scorecard');
    expect(await page.getByTestId(`sc-tasks-${BINHAI}`).textContent()).toContain('2/7 done');
    await shot(page, 'sc-03-scorecard-en');
  }, 120_000);

  it('shows a district admin its own district only', async () => {
    const page = await signIn('binhai-admin');
    await page.goto(`${world.server.url}/admin/assessment`);
    const table = page.getByTestId('assessment-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await table.textContent()).toContain('滨海新区');
  }, 120_000);
});
