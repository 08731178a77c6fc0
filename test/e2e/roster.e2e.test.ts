/**
 * End-to-end for roster upkeep (issue #14) in the built admin SPA, Debian Chromium, zh-CN: an
 * officer is edited (name, certificate number, specialties, capacity, status); the bureau's
 * 随机抽查制度 is revised and published as a new version; an API token with `credit:read` is
 * issued (secret shown once) and revoked; a units file is previewed as a roster sync (adds,
 * field-by-field changes, closures of a full roster) and committed; a plan's notices print in bulk,
 * one A4 page each, with the checklist items' titles. Screenshots:
 * test/.artifacts/screenshots/roster-*.png.
 */
import { and, asc, desc, eq, gt, max } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  apiTokens,
  auditEvents,
  checklistItems,
  checklistVersions,
  draws,
  experts,
  inspectors,
  plans,
  procedures,
  tasks,
  units,
  users,
  type StoredCommitment,
} from '@spotcheck/db';
import { chooseOption, describeInChromium, useBrowser, type Page } from '../support/e2e';
import { startAdminWorld, type AdminWorld } from './admin-world';
import { unitIdAt } from '../api/fixtures';

const BINHAI = '120116';
const CITY = '120000';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/;

describeInChromium('roster')('roster upkeep in the admin (officers, procedure, tokens, sync)', () => {
  let world: AdminWorld;
  let page: Page;
  const b = useBrowser('roster', { shotPrefix: 'roster-' });
  const shot = (name: string) => b.shot(page, name);

  beforeAll(async () => {
    world = await startAdminWorld();
    page = await b.signIn(world.server.url, 'binhai-admin');
  }, 300_000);

  afterAll(async () => {
    await world?.close();
  });

  /** The Chinese page shows no dictionary keys, English status words or internal ids. */
  async function expectChinese() {
    const text = (await page.locator('.ant-layout-content').first().textContent()) ?? '';
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(/\b(sync|procedure|token|inspector|nav)\.[a-zA-Z]/);
    expect(text).not.toMatch(/\b(active|closed|draft|published|retired|revoked|suspended|credit:read)\b/);
  }

  it('edits an officer: name, certificate number, specialties, capacity and status', async () => {
    // An officer without the 危险化学品 specialty: Enter on an option already chosen would remove it.
    const officer = (
      await world.database.db
        .select()
        .from(inspectors)
        .where(and(eq(inspectors.bureauCode, BINHAI), eq(inspectors.status, 'active')))
        .orderBy(asc(inspectors.id))
    ).find((o) => !o.specialties.includes('hazardous-chemicals'));
    expect(officer).toBeDefined();
    // The world's setup already audited some officers; count only this edit's events.
    const [{ lastSeq } = { lastSeq: null }] = await world.database.db
      .select({ lastSeq: max(auditEvents.seq) })
      .from(auditEvents);
    await page.goto(`${world.server.url}/admin/rosters/inspectors`);
    await page.getByTestId(`inspector-edit-${officer!.id}`).click();
    await page.getByTestId('inspector-edit-name').fill('张建国');
    await page.getByTestId('inspector-edit-cert').fill('津应急执120116-9001');
    await page.getByTestId('inspector-edit-capacity').fill('18');
    // The specialty picker finds 危险化学品 by its Chinese name.
    const specialtySearch = page.getByTestId('inspector-edit-specialties').locator('input');
    await specialtySearch.fill('危险化学');
    await expect
      .poll(() => page.locator('.ant-select-dropdown:visible .ant-select-item-option').allTextContents())
      .toEqual(['危险化学品']);
    await specialtySearch.press('Enter');
    await expect
      .poll(() => page.getByTestId('inspector-edit-specialties').textContent())
      .toContain('危险化学品');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    await chooseOption(page, page.getByTestId('inspector-edit-status'), '暂停');
    await expect.poll(() => page.getByTestId('inspector-edit-status').textContent()).toBe('暂停');
    await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    await shot('01-officer-edit');
    await page.getByTestId('inspector-edit-save').click();
    await expect.poll(() => page.getByTestId('inspectors-table').textContent()).toContain('张建国');
    const [after] = await world.database.db.select().from(inspectors).where(eq(inspectors.id, officer!.id));
    expect(after).toMatchObject({
      name: '张建国',
      certificateNo: '津应急执120116-9001',
      capacityPerQuarter: 18,
      status: 'suspended',
    });
    expect(after!.specialties).toContain('hazardous-chemicals');
    expect(after!.specialties).toEqual(expect.arrayContaining(officer!.specialties));
    const events = await world.database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, officer!.id), gt(auditEvents.seq, lastSeq ?? 0)))
      .orderBy(asc(auditEvents.seq));
    expect(events.map((e) => e.action)).toEqual(['inspector.update', 'inspector.set-status']);
    await expectChinese();
    await shot('02-officers');
  });

  it('adds a unit (its USCC checked as typed) and a district expert through their forms', async () => {
    const modal = page.locator('.ant-modal:visible');
    const field = (label: string) => modal.locator('.ant-form-item').filter({ hasText: label });
    const ok = () => modal.locator('.ant-modal-footer .ant-btn-primary').click();
    const id = unitIdAt(29_000);
    expect(await world.database.db.select().from(units).where(eq(units.id, id))).toEqual([]);
    await page.goto(`${world.server.url}/admin/rosters/units`);
    await page.getByTestId('unit-create').click();
    // A wrong check character is refused in the form, before anything is sent.
    const wrong = id.slice(0, 17) + (id.endsWith('X') ? 'Y' : 'X');
    await page.getByTestId('unit-form-id').fill(wrong);
    await expect.poll(() => field('统一社会信用代码').textContent()).toContain('统一社会信用代码无效');
    await page.getByTestId('unit-form-id').fill(id);
    await page.getByTestId('unit-form-name').fill('滨海表单新增化工有限公司');
    await chooseOption(page, field('性质').locator('.ant-select'), '民营');
    await chooseOption(page, field('行业').locator('.ant-select'), '危险化学品');
    await ok();
    await expect.poll(() => modal.count(), { timeout: 10_000 }).toBe(0);
    const [unit] = await world.database.db.select().from(units).where(eq(units.id, id));
    expect(unit).toMatchObject({
      name: '滨海表单新增化工有限公司',
      bureauCode: BINHAI,
      nature: 'private',
      industry: 'hazardous-chemicals',
    });

    await page.goto(`${world.server.url}/admin/rosters/experts`);
    await page.getByTestId('expert-create').click();
    await field('编号').locator('input').fill('E2E-EXPERT-1');
    await field('姓名').locator('input').fill('王安全');
    await ok();
    // The list is sorted by id and paged: the new expert may be on a later page, so ask the database.
    await expect.poll(() => modal.count(), { timeout: 10_000 }).toBe(0);
    const stored = () => world.database.db.select().from(experts).where(eq(experts.id, 'E2E-EXPERT-1'));
    await expect.poll(async () => (await stored()).length, { timeout: 10_000 }).toBe(1);
    expect((await stored())[0]).toMatchObject({ name: '王安全', bureauCode: BINHAI, status: 'active' });
    await shot('02a-expert-added');
  });

  it('revises the procedure (一制度) and publishes the new version', async () => {
    await page.goto(`${world.server.url}/admin/procedures`);
    await expect.poll(() => page.getByTestId('procedure-current').textContent()).toContain('现行');
    const before = await world.database.db
      .select()
      .from(procedures)
      .where(eq(procedures.bureauCode, BINHAI))
      .orderBy(desc(procedures.version));
    await page.getByTestId('procedure-draft').click();
    const fields: Record<string, string> = {
      leadingGroup: '局长任组长，分管副局长任副组长，各科室负责人为成员',
      planTemplate: '年度抽查计划：抽查事项、对象范围、比例与频次、时间安排',
      frequency: '一般企业每年抽查比例不低于5%，重点企业每年至少检查一次',
      resultsUse: '发现违法行为依法立案查处，重大事故隐患挂牌督办',
      publication: '检查结果自作出之日起20个工作日内公示',
      duties: '执法监察支队负责组织实施，办公室负责信息公开',
    };
    for (const [k, v] of Object.entries(fields)) await page.getByTestId(`procedure-${k}`).fill(v);
    await page.getByTestId('procedure-leadDepartment').fill('执法监察支队');
    await page
      .getByTestId('procedure-steps')
      .fill('制定年度抽查计划\n公开摇号抽取对象和人员\n实施检查并录入结果\n结果公示与运用');
    await page.getByTestId('procedure-save').click();
    await expect.poll(() => page.getByTestId('procedure-draft-card').textContent()).toContain('执法监察支队');
    await expectChinese();
    await shot('03-procedure-draft');
    await page.getByTestId('procedure-publish').click();
    await page.getByTestId('procedure-publish-ok').click();
    await expect.poll(() => page.getByTestId('procedure-draft-card').count()).toBe(0);
    await expect.poll(() => page.getByTestId('procedure-current').textContent()).toContain('执法监察支队');
    const after = await world.database.db
      .select()
      .from(procedures)
      .where(eq(procedures.bureauCode, BINHAI))
      .orderBy(desc(procedures.version));
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({ version: (before[0]?.version ?? 0) + 1, status: 'published' });
    if (before.length) {
      expect(after[1]).toMatchObject({ status: 'retired' });
      expect(await page.getByTestId('procedure-history').textContent()).toContain('已废止');
    }
    expect((after[0]!.content as { steps: string[] }).steps).toHaveLength(4);
    await expectChinese();
    await shot('04-procedure-published');
  });

  it('issues an API token with credit:read, shows it once, and revokes it', async () => {
    await page.goto(`${world.server.url}/admin/api-tokens`);
    await page.getByTestId('token-create').click();
    await page.getByTestId('token-name').fill('市信用信息共享平台');
    await page.getByTestId('token-create-ok').click();
    const secret = page.getByTestId('token-secret');
    await expect.poll(() => secret.textContent()).toMatch(/^sct_/);
    const token = ((await secret.textContent()) ?? '').trim();
    await shot('05-token-secret');
    await page.getByTestId('token-secret-close').click();
    const table = page.getByTestId('tokens-table');
    await expect.poll(() => table.textContent()).toContain('读取黑名单、联合惩戒决定与检查结果');
    expect(await table.textContent()).not.toContain(token);
    const [row] = await world.database.db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.name, '市信用信息共享平台'));
    expect(row).toMatchObject({ bureauCode: BINHAI, scopes: ['credit:read'], revokedAt: null });
    // The token works for the credit exchange until it is revoked.
    const url = `${world.server.url}/trpc/credit.outgoing?input=${encodeURIComponent(JSON.stringify({ from: '2026-01-01', to: '2026-12-31' }))}`;
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await page.getByTestId('token-revoke-市信用信息共享平台').click();
    await page.getByTestId('token-revoke-ok').click();
    await expect.poll(() => table.textContent()).toContain('已吊销');
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await expectChinese();
    await shot('06-tokens');
  });

  it('previews a units file as adds, changes and closures, then commits it', async () => {
    const existing = await world.database.db
      .select()
      .from(units)
      .where(and(eq(units.bureauCode, BINHAI), eq(units.status, 'active')))
      .orderBy(asc(units.id));
    // A unit whose industry and risk the file changes, and one it lists unchanged.
    const a = existing.find((u) => u.industry !== 'hazardous-chemicals' && u.riskGrade !== 'high');
    const b = existing.find((u) => u.id !== a!.id);
    const header = '统一社会信用代码,单位名称,性质,行业,规模,从业人数,所属区,风险等级,信用等级';
    const row = (id: string, name: string, industry: string, risk: string) =>
      `${id},${name},私营,${industry},小型,20,${BINHAI},${risk},B`;
    const fresh = unitIdAt(29001);
    const csv = [
      header,
      row(a!.id, `${a!.name}（更名）`, '危险化学品', '较大'),
      [
        b!.id,
        b!.name,
        b!.nature,
        b!.industry,
        b!.scale,
        b!.employees,
        BINHAI,
        b!.riskGrade,
        b!.creditGrade,
      ].join(','),
      row(fresh, '滨海新区示范化工有限公司', '危险化学品', '一般'),
    ].join('\n');
    await page.goto(`${world.server.url}/admin/rosters/units`);
    await page.getByTestId('units-import').click();
    // The mode switch, clicked again if the dialog was still opening when it was first clicked.
    const syncPanel = page.getByTestId('sync-panel');
    await expect
      .poll(
        async () => {
          if (!(await syncPanel.isVisible()))
            await page.getByTestId('import-mode').getByText('同步名录').click();
          return syncPanel.isVisible();
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    // A bad file: each problem named by row and column, the reason in Chinese.
    const badCsv = [
      header,
      `${unitIdAt(29002)},坏数据化工厂,私营,危险化学品,小型,二十,${BINHAI},红色警报,B`,
    ].join('\n');
    await page
      .getByTestId('sync-panel')
      .locator('input[type=file]')
      .setInputFiles({ name: '有误名录.csv', mimeType: 'text/csv', buffer: Buffer.from(badCsv) });
    const report = page.getByTestId('import-report');
    await expect
      .poll(() => report.textContent(), { timeout: 30_000 })
      .toContain('“红色警报”不是本列的可选值');
    expect(await report.textContent()).toContain('“二十”不是整数');
    expect(await report.textContent()).not.toMatch(/is not|whole number|one of/);
    await shot('07a-sync-problems');
    await page.getByTestId('sync-full').click();
    await page
      .getByTestId('sync-panel')
      .locator('input[type=file]')
      .setInputFiles({ name: '滨海名录.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const preview = page.getByTestId('sync-preview');
    await expect.poll(() => preview.textContent(), { timeout: 30_000 }).toContain('新增 1');
    expect(await page.getByTestId('sync-count-closures').textContent()).toBe(`拟注销 ${existing.length - 2}`);
    const changes = await page.getByTestId('sync-changes').textContent();
    expect(changes).toContain('单位名称');
    expect(changes).toContain('行业');
    expect(changes).toContain('危险化学品');
    expect(changes).toContain('较大（橙）');
    await shot('07-sync-preview-full');
    // Not a full roster after all: nothing closes; commit the add and the change.
    await page.getByTestId('sync-full').click();
    await expect.poll(() => page.getByTestId('sync-count-closures').textContent()).toBe('拟注销 0');
    const text = (await page.locator('.ant-modal-container').last().textContent()) ?? '';
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(/\b(sync|transfer)\.[a-z]/);
    await shot('08-sync-preview');
    await page.getByTestId('sync-commit').click();
    await expect
      .poll(() => page.getByTestId('sync-committed').textContent())
      .toContain('新增 1 条，变更 1 条，注销 0 条');
    const [changed] = await world.database.db.select().from(units).where(eq(units.id, a!.id));
    expect(changed).toMatchObject({
      name: `${a!.name}（更名）`,
      industry: 'hazardous-chemicals',
      riskGrade: 'high',
    });
    const [added] = await world.database.db.select().from(units).where(eq(units.id, fresh));
    expect(added).toMatchObject({ name: '滨海新区示范化工有限公司', status: 'active' });
    const active = await world.database.db
      .select({ id: units.id })
      .from(units)
      .where(and(eq(units.bureauCode, BINHAI), eq(units.status, 'active')));
    expect(active).toHaveLength(existing.length + 1);
    await shot('09-sync-committed');
  });

  it("prints a plan's notices in bulk: one page each, in Chinese, with the items' titles", async () => {
    // An issued plan written directly (the draw flow has its own suites): three tasks, each with
    // a two-officer team and two published checklist items.
    const db = world.database.db;
    const [admin] = await db.select().from(users).where(eq(users.username, 'binhai-admin'));
    const [version] = await db
      .select()
      .from(checklistVersions)
      .where(and(eq(checklistVersions.bureauCode, BINHAI), eq(checklistVersions.status, 'published')))
      .orderBy(desc(checklistVersions.version))
      .limit(1);
    // One item of Binhai's own list and one of the city's it builds on (the effective checklist).
    const firstItem = async (bureau: string) =>
      (
        await db
          .select({ code: checklistItems.code, item: checklistItems.item })
          .from(checklistItems)
          .innerJoin(checklistVersions, eq(checklistItems.versionId, checklistVersions.id))
          .where(and(eq(checklistVersions.bureauCode, bureau), eq(checklistVersions.status, 'published')))
          .orderBy(asc(checklistItems.code))
          .limit(1)
      )[0]!;
    const items = [await firstItem(BINHAI), await firstItem(CITY)];
    expect(items).toHaveLength(2);
    const officers = await db
      .select()
      .from(inspectors)
      .where(eq(inspectors.bureauCode, BINHAI))
      .orderBy(asc(inspectors.id))
      .limit(2);
    const picked = await db
      .select()
      .from(units)
      .where(and(eq(units.bureauCode, BINHAI), eq(units.status, 'active')))
      .orderBy(asc(units.id))
      .limit(3);
    const [plan] = await db
      .insert(plans)
      .values({
        bureauCode: BINHAI,
        title: '2027年第一季度一般检查',
        period: '2027-Q1',
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
        commitmentDigest: `roster-e2e-${plan!.id}`,
        frame: [],
        inspectorRows: [],
        committedAt: new Date(),
        committedBy: admin!.id,
      })
      .returning();
    for (const [i, u] of picked.entries())
      await db.insert(tasks).values({
        bureauCode: plan!.bureauCode,
        drawId: draw!.id,
        planId: plan!.id,
        unitId: u.id,
        sequence: i + 1,
        reason: 'random',
        team: officers.map((o) => o.id),
        checklistItemCodes: items.map((it) => it.code),
        scheduledOn: `2027-03-${String(10 + i).padStart(2, '0')}`,
        status: 'issued',
      });

    await page.goto(`${world.server.url}/admin/plans/${plan!.id}/notices`);
    const sheets = page.getByTestId('notice-sheet');
    await expect.poll(() => sheets.count()).toBe(3);
    expect(await page.getByTestId('notices-count').textContent()).toBe('本计划检查通知书（共 3 份）');
    for (const [i, u] of picked.entries()) {
      const sheet = (await sheets.nth(i).textContent()) ?? '';
      expect(sheet).toContain('检查通知书');
      expect(sheet).toContain(u.name);
      expect(sheet).toContain('2027年第一季度一般检查');
      expect(sheet).toContain(`2027-03-${10 + i}`);
      for (const it of items) expect(sheet).toContain(`${it.code} ${it.item}`);
      for (const o of officers) expect(sheet).toContain(`${o.name}（执法证号 ${o.certificateNo}）`);
    }
    await expectChinese();
    const text = (await page.locator('.ant-layout-content').first().textContent()) ?? '';
    // No English sentence (three Latin words in a row) on the Chinese page.
    expect(text).not.toMatch(/[A-Za-z]+ [A-Za-z]+ [A-Za-z]+/);
    await shot('10-plan-notices');
    // Printed (print stylesheet, A4): one page per notice, the buttons and the menu left out.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('notices-print').isVisible()).toBe(false);
    await shot('11-plan-notices-print');
    await page.emulateMedia({ media: 'screen' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)).toHaveLength(3);
  });
});
