/**
 * End-to-end (issue 12), zh-CN in Debian Chromium: a district admin builds a new rule in the
 * visual editor (react-querybuilder with antd controls; a nested "any" group inside "all", a plugin
 * operator, no JSON for the rule), sees a loosening rejected on the ratio field in Chinese, adds a case,
 * runs the cases on the unsaved draft, saves and submits; the city admin sees the rules changed,
 * approves with an opinion and publishes (server-side: all cases green, tighten-only). The
 * 11-file city pack validates and saves in the browser (POST bodies, no HTTP 431).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { rulePackVersions } from '@spotcheck/db';
import { chooseOption, describeInChromium, settled, useBrowser, type Page } from '../support/e2e';
import { startAdminWorld, type AdminWorld } from './admin-world';

describeInChromium('authoring')('rule-pack authoring in the browser', () => {
  let world: AdminWorld;
  const b = useBrowser('authoring');
  /**
   * The rule editor names rules by their file names (what the author types, `ammonia-cold`) and
   * cites a rule of another pack by `pack#rule`: these may show as they are (issue #15 leaves
   * labelling them by their descriptions to a later change).
   */
  const RULE_FILE_NAMES = [/^(hazchem|port|ammonia)(-[a-z]+)+$/, 'tianjin/city'];
  const shot = (page: Page, name: string, options: { check?: boolean } = {}) =>
    b.shot(page, name, { allow: RULE_FILE_NAMES, ...options });

  beforeAll(async () => {
    world = await startAdminWorld();
  }, 240_000);

  afterAll(async () => {
    await world?.close();
  });

  async function signIn(username: string): Promise<Page> {
    const page = await b.signIn(world.server.url, username, { height: 1000 });
    await page.goto(`${world.server.url}/admin/rule-packs`);
    await page.getByTestId('rule-pack-validation').waitFor();
    return page;
  }
  const numberInput = (page: Page, id: string) =>
    page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();
  const pick = (page: Page, id: string, text: string) =>
    chooseOption(page, page.getByTestId(id), text, { typed: text });
  /** The add-a-fact picker clears itself: done once the fact's own field is there. */
  const addFact = (page: Page, n: number, label: string, fact: string) =>
    chooseOption(page, page.getByTestId(`case-${n}-add-fact`), label, {
      typed: label,
      shown: async () => (await page.getByTestId(`case-${n}-fact-${fact}`).count()) > 0,
    });

  it('a district builds a rule visually, a loosening shows on the field, cases run on the draft, it is submitted', async () => {
    const page = await signIn('binhai-admin');
    page.setDefaultTimeout(20_000);
    try {
      await buildRule(page);
    } catch (err) {
      await shot(page, '49-authoring-failure', { check: false });
      throw err;
    }
  }, 180_000);

  async function buildRule(page: Page) {
    await expect.poll(() => page.getByTestId('rule-pack-validation').textContent()).toContain('校验通过');
    await page.getByRole('button', { name: '新增文件' }).click();
    await page.getByTestId('rule-pack-new-path').fill('rules/ammonia-cold.json');
    await page
      .locator('.ant-modal:visible')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByTestId('rule-visual-editor').waitFor();
    await page.getByTestId('condition-builder').waitFor();
    await pick(page, 'cond-0-fact', '涉氨制冷企业');
    await page.getByTestId('rule-description').fill('涉氨制冷企业每年必查，抽查比例30%');
    await numberInput(page, 'param-ratio').fill('1');
    await numberInput(page, 'param-ratio').blur();
    const ratioError = page.getByTestId('field-error-$.event.params.ratio');
    await ratioError.waitFor({ timeout: 20_000 });
    // The loosening in Chinese, naming no internal id: no English word, no JSON path.
    const loosening = (await ratioError.textContent()) ?? '';
    expect(loosening).toMatch(/抽查比例 1% 低于全市/);
    expect(loosening).not.toMatch(/[A-Za-z]{2,}|\$\./);
    await shot(page, '40-authoring-loosening-on-field');
    await numberInput(page, 'param-ratio').fill('30');
    await numberInput(page, 'param-ratio').blur();
    // A nested group: (light industry OR at least 1000 employees) inside the top "all".
    await page.getByTestId('group-add').click();
    await page.getByTestId('group-combinator-1').waitFor();
    await pick(page, 'group-combinator-1', '满足以下任一条件');
    await pick(page, 'cond-1.0-fact', '行业');
    await pick(page, 'cond-1.0-value', '轻工');
    await page.getByTestId('cond-add-1').click();
    await pick(page, 'cond-1.1-fact', '从业人数');
    await pick(page, 'cond-1.1-operator', '介于');
    await numberInput(page, 'cond-1.1-low').fill('2000');
    await numberInput(page, 'cond-1.1-high').fill('1000');
    await numberInput(page, 'cond-1.1-high').blur();
    // A range upside down is rejected on the value, in Chinese.
    const rangeError = page.getByTestId('field-error-$.conditions.all[1].any[1].value');
    await rangeError.waitFor({ timeout: 20_000 });
    expect(await rangeError.textContent()).toMatch(/介于/);
    await numberInput(page, 'cond-1.1-low').fill('1000');
    await numberInput(page, 'cond-1.1-high').fill('100000');
    await numberInput(page, 'cond-1.1-high').blur();
    await expect.poll(() => rangeError.count(), { timeout: 20_000 }).toBe(0);
    await page.getByTestId('param-mandatory').click();
    await page.getByTestId('param-reason').fill('涉氨制冷企业');
    await page.getByTestId('rule-description').fill('涉氨制冷企业每年必查，抽查比例30%');
    await expect
      .poll(() => page.getByTestId('rule-pack-validation').textContent(), { timeout: 20_000 })
      .toMatch(/校验通过|警告/);
    await expect
      .poll(() => page.getByTestId('rule-pack-validation').textContent(), { timeout: 20_000 })
      .not.toMatch(/[1-9]\d* 个错误/);
    await expect
      .poll(() => page.getByTestId('field-error-$.event.params.ratio').count(), { timeout: 20_000 })
      .toBe(0);
    await shot(page, '41-authoring-visual-rule');
    // The rule file holds json-rules-engine conditions, the nested group as "any" inside "all".
    await page.getByTestId('rule-view-json').click();
    const written = JSON.parse(await page.getByTestId('rule-pack-editor').inputValue()) as {
      conditions: unknown;
    };
    expect(written.conditions).toEqual({
      all: [
        { fact: 'liquidAmmonia', operator: 'equal', value: true },
        {
          any: [
            { fact: 'industry', operator: 'equal', value: 'light-industry' },
            { fact: 'employees', operator: 'between', value: [1000, 100000] },
          ],
        },
      ],
    });
    await page.getByTestId('rule-view-visual').click();
    await page.getByTestId('condition-builder').waitFor();
    // A Chinese page: no English sentence and no internal id in what the editor shows.
    const shown = (await page.getByTestId('rule-visual-editor').innerText()).replace(/\s+/g, ' ');
    expect(shown).not.toMatch(/liquidAmmonia|employees|between|industry|Add rule|Group|Not\b/);
    // A case for the new rule, in the cases table (facts in → expected classification out).
    await page.getByTestId('rule-pack-file-cases/binhai.json').click();
    await page.getByTestId('cases-editor').waitFor();
    const n = await page.locator('[data-testid^="case-"][data-testid$="-name"]').count();
    expect(n).toBeGreaterThan(0);
    await page.getByTestId('case-add').click();
    await page.getByTestId(`case-${n}-name`).fill('涉氨冷库');
    await addFact(page, n, '行业', 'industry');
    await pick(page, `case-${n}-fact-industry`, '轻工');
    await addFact(page, n, '重大危险源', 'majorHazardSource');
    await pick(page, `case-${n}-fact-majorHazardSource`, '是');
    await addFact(page, n, '从业人数', 'employees');
    await numberInput(page, `case-${n}-fact-employees`).fill('80');
    await page.getByTestId(`case-${n}-stratum`).fill('ammonia-cold');
    await pick(page, `case-${n}-mandatory`, '是');
    await page.getByTestId(`case-${n}-ratio`).fill('30%');
    await pick(page, `case-${n}-fired`, 'ammonia-cold');
    await shot(page, '41b-authoring-cases-table');
    await page.getByTestId('rule-pack-run-draft').click();
    const run = page.getByTestId('rule-pack-draft-cases');
    await run.waitFor({ timeout: 30_000 });
    await expect.poll(() => run.textContent()).toContain('0 个未通过');
    expect(await run.textContent()).toContain('涉氨冷库');
    await shot(page, '42-authoring-draft-cases');
    await expect.poll(() => page.getByTestId('rule-pack-proposed-version').textContent()).toContain('1.1.0');
    await page.getByTestId('rule-pack-upload').click();
    await page.getByTestId('rule-pack-submit').waitFor();
    await expect.poll(() => page.getByTestId('rule-pack-submit').isEnabled()).toBe(true);
    await page.getByTestId('rule-pack-submit').click();
    const note = page.getByTestId('rule-pack-note');
    await note.waitFor();
    // Not while the dialog zooms in: a click then lands where the button will be, and is lost (seen
    // in a CI rehearsal under load: the dialog stayed open, the version 编辑中). Once more after 15 s
    // if the dialog is still open and not sending.
    const dialog = page.locator('.ant-modal').filter({ has: note });
    await settled(dialog);
    await note.fill('新增涉氨制冷企业规则，请审批');
    const ok = page.getByTestId('rule-pack-submit-ok');
    await expect.poll(() => ok.isEnabled()).toBe(true);
    await ok.click();
    const clickedAt = Date.now();
    let clickedAgain = false;
    await expect
      .poll(
        async () => {
          const state = await page.getByTestId('rule-pack-review-state').textContent();
          if (state !== '待审批' && !clickedAgain && Date.now() - clickedAt > 15_000) {
            const open = (await dialog.allTextContents()).length > 0;
            if (open && (await dialog.locator('.ant-btn-loading').count()) === 0) {
              clickedAgain = true;
              await ok.click({ timeout: 5_000 }).catch(() => undefined);
            }
          }
          return state;
        },
        { timeout: 45_000 },
      )
      .toBe('待审批');
    await shot(page, '43-authoring-submitted');
  }

  it('the city admin reviews the change, approves with an opinion and publishes', async () => {
    const page = await signIn('city-admin');
    await page.getByTestId('rule-pack-row-review-1.1.0').click();
    const summary = page.getByTestId('rule-pack-review-summary');
    await summary.waitFor({ timeout: 20_000 });
    await expect.poll(() => summary.textContent()).toContain('ammonia-cold');
    expect(await summary.textContent()).toContain('新增涉氨制冷企业规则');
    await shot(page, '44-authoring-review');
    await page.getByTestId('rule-pack-approve').click();
    await page.getByTestId('rule-pack-opinion').fill('同意，按期执行');
    await page.getByTestId('rule-pack-review-ok').click();
    await expect.poll(() => page.getByTestId('rule-pack-review-state').textContent()).toBe('已批准');
    await page.getByTestId('rule-pack-publish').click();
    await expect
      .poll(async () => {
        const [row] = await world.database.db
          .select({ status: rulePackVersions.status })
          .from(rulePackVersions)
          .where(and(eq(rulePackVersions.packId, 'tianjin/binhai'), eq(rulePackVersions.version, '1.1.0')));
        return row?.status;
      })
      .toBe('published');
    await shot(page, '45-authoring-published');
  }, 180_000);

  it('the 11-file city pack validates and saves as a draft in the browser', async () => {
    const page = await signIn('city-admin');
    await page.getByTestId('rule-pack-versions').getByText('天津市规则包').first().click();
    await expect
      .poll(() => page.getByTestId('rule-pack-validation').textContent())
      .toMatch(/校验通过|0 个错误/);
    const editor = page.getByTestId('rule-pack-editor');
    const manifest = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    await editor.fill(
      JSON.stringify({ ...manifest, description: `${String(manifest.description)} (修订)` }, null, 2),
    );
    await expect
      .poll(() => page.getByTestId('rule-pack-validation').textContent())
      .toMatch(/校验通过|0 个错误/);
    await expect.poll(() => page.getByTestId('rule-pack-upload').isEnabled()).toBe(true);
    await page.getByTestId('rule-pack-upload').click();
    await expect
      .poll(async () =>
        (
          await world.database.db
            .select({ version: rulePackVersions.version })
            .from(rulePackVersions)
            .where(and(eq(rulePackVersions.packId, 'tianjin/city'), eq(rulePackVersions.status, 'draft')))
        ).map((r) => r.version),
      )
      .toEqual(['1.0.1']);
    await shot(page, '46-authoring-city-pack-saved');
  }, 180_000);
});
