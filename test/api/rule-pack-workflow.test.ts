/**
 * Rule-pack authoring workflow (issue 12): a district saves a draft (version proposed), runs the
 * draft's cases, submits with a note; a second admin (city) reviews the diff and approves or
 * returns it with an opinion; publishing needs approval, all cases green and tighten-only; every
 * step is audited. The example plugin's fact and operator work through the API and a draw.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackDir } from '@spotcheck/rules/load';
import { BINHAI, codeOf, openTestDb, signedInUser, type SignedIn, type TestDb, CITY } from './harness';
import { buildWorld, issuedPlan, type World } from './fixtures';

let t: TestDb;
let w: World;
let city2: SignedIn;
const binhai = () =>
  readPackDir(resolve(__dirname, '../../rules/tianjin/binhai')).files as Record<string, string>;
const json = (files: Record<string, unknown>, path: string) =>
  JSON.parse(String(files[path])) as Record<string, unknown>;

/** Binhai with the plugin's rule: ammonia refrigeration units mandatory, 50–300 staff at 30%. */
function binhaiWithAmmonia(caseRatio = '30%') {
  const files: Record<string, unknown> = binhai();
  const pack = json(files, 'pack.json');
  const facts = new Set([...(pack.facts as string[]), 'liquidAmmonia', 'industry', 'employees']);
  files['pack.json'] = JSON.stringify({ ...pack, facts: [...facts] });
  files['rules/liquid-ammonia.json'] = {
    name: 'liquid-ammonia',
    priority: 45,
    meta: { description: '涉氨制冷企业每年检查', source: '涉氨制冷专项' },
    conditions: {
      all: [
        { fact: 'liquidAmmonia', operator: 'equal', value: true },
        { fact: 'industry', operator: 'equal', value: 'light-industry' },
        { fact: 'employees', operator: 'between', value: [0, 100000] },
      ],
    },
    event: {
      type: 'classify',
      params: { stratum: 'liquid-ammonia', mandatory: true, reason: '涉氨制冷企业', ratio: '30%' },
    },
  };
  const cases = json(files, 'cases/binhai.json') as { cases: unknown[] };
  cases.cases.push({
    name: 'ammonia cold store',
    facts: { industry: 'light-industry', majorHazardSource: true, employees: 80 },
    expect: { stratum: 'liquid-ammonia', mandatory: true, ratio: caseRatio, fired: ['liquid-ammonia'] },
  });
  files['cases/binhai.json'] = cases;
  return files;
}

beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database);
  city2 = await signedInUser(t.database, 'wf-city2', CITY, ['city-admin']);
  // Light-industry units with a registered hazard source: ammonia refrigeration for the plugin.
  for (const id of w.unitIds.filter((_, i) => i % 4 === 3).slice(0, 4))
    await w.admin.caller.units.update({ id, patch: { majorHazardSource: true } });
});
afterAll(async () => t?.close());

describe('plugin facts through the API', () => {
  it('lists the plugin fact and operator in the catalog with Chinese labels', async () => {
    const c = await w.operator.caller.rulePacks.catalog();
    expect(c.facts.find((f) => f.name === 'liquidAmmonia')).toMatchObject({
      label: { zh: '涉氨制冷企业' },
      plugin: '@spotcheck/plugin-liquid-ammonia',
    });
    expect(c.facts.find((f) => f.name === 'industry')!.valueLabels!['hazardous-chemicals']!.zh).toBe(
      '危险化学品',
    );
    expect(c.operators.map((o) => o.name)).toContain('between');
  });
  it('validates the plugin fact and operator, and names a bad value on its field', async () => {
    expect((await w.admin.caller.rulePacks.validate({ files: binhaiWithAmmonia() })).ok).toBe(true);
    const files = binhaiWithAmmonia();
    (
      files['rules/liquid-ammonia.json'] as { conditions: { all: { value: unknown }[] } }
    ).conditions.all[2]!.value = [5];
    const bad = await w.admin.caller.rulePacks.validate({ files });
    expect(bad.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({
        path: '$.conditions.all[2].value',
        message: 'value must be [low, high]: two numbers with low ≤ high',
      }),
    ]);
  });
});

describe('draft → submit → review → publish', () => {
  let draftId: string;
  it('saves a draft with a proposed version, and runs the cases of unsaved files', async () => {
    const files = binhaiWithAmmonia();
    const proposal = await w.admin.caller.rulePacks.proposeVersion({ files });
    expect(proposal).toMatchObject({ version: '1.1.0', kind: 'minor', rules: { added: ['liquid-ammonia'] } });
    const saved = await w.admin.caller.rulePacks.saveDraft({ files });
    expect(saved).toMatchObject({ version: '1.1.0', status: 'draft', review: 'editing' });
    draftId = saved.id;
    // Autosave in place: the same draft, a broken case run against the *unsaved* edit.
    const broken = binhaiWithAmmonia('5%');
    const run = await w.admin.caller.rulePacks.runDraftCases({ files: broken });
    expect(run).toMatchObject({ ok: true, failed: 1 });
    expect(run.results.find((r) => !r.passed)!.mismatches[0]).toMatch(/^ratio: expected "5%", got "30%"/);
    const again = await w.admin.caller.rulePacks.saveDraft({ id: draftId, files: broken });
    expect(again).toMatchObject({ id: draftId, version: '1.1.0' });
    expect((await w.operator.caller.rulePacks.runCases({ id: draftId })).failed).toBe(1);
    // Only the city pack's bureau or the draft's own: Heping cannot save over it.
    const other = await signedInUser(t.database, 'wf-heping', '120101', ['district-admin']);
    expect(await codeOf(other.caller.rulePacks.saveDraft({ id: draftId, files: broken }))).toBe('FORBIDDEN');
  });

  it('refuses a loosening at submit, naming the field', async () => {
    const loose = binhaiWithAmmonia();
    const rule = loose['rules/liquid-ammonia.json'] as { event: { params: Record<string, unknown> } };
    rule.event.params = { stratum: 'liquid-ammonia', ratio: '1%' };
    const d = await w.admin.caller.rulePacks.saveDraft({ files: loose });
    const err = await w.admin.caller.rulePacks
      .submit({ id: d.id, note: '放宽' })
      .catch((e: unknown) => e as Error & { code: string });
    expect((err as { code: string }).code).toBe('BAD_REQUEST');
    expect((err as Error).message).toMatch(
      /liquid-ammonia\.json \$\.event\.params\.ratio: ratio "1%" is below/,
    );
    await w.admin.caller.rulePacks.retire({ id: d.id, reason: '放弃草稿' });
  });

  it('returns with an opinion, then approves; publish needs approval and green cases', async () => {
    expect(await codeOf(w.admin.caller.rulePacks.publish({ id: draftId }))).toBe('PRECONDITION_FAILED');
    await w.admin.caller.rulePacks.submit({ id: draftId, note: '新增涉氨制冷企业规则' });
    expect(
      await codeOf(w.admin.caller.rulePacks.saveDraft({ id: draftId, files: binhaiWithAmmonia() })),
    ).toBe('CONFLICT');
    // A district admin cannot review; the reviewer sees rules changed and the failing case.
    expect(
      await codeOf(w.admin.caller.rulePacks.review({ id: draftId, decision: 'approve', opinion: '同意' })),
    ).toBe('FORBIDDEN');
    const summary = await w.cityAdmin.caller.rulePacks.reviewSummary({ id: draftId });
    expect(summary).toMatchObject({
      review: 'submitted',
      submitNote: '新增涉氨制冷企业规则',
      kind: 'minor',
      rules: { added: ['liquid-ammonia'], removed: [], changed: [] },
      cases: { failed: 1 },
    });
    // Units changing stratum within the district, and the simulated year, against the published version.
    const diff = await w.cityAdmin.caller.rulePacks.diff({
      fromId: summary.published!.id,
      toId: draftId,
      bureauCode: BINHAI,
      period: '2027',
    });
    expect(diff.transitions.some((x) => x.to === 'liquid-ammonia')).toBe(true);
    expect(diff.becameMandatory).toBeGreaterThan(0);
    const returned = await w.cityAdmin.caller.rulePacks.review({
      id: draftId,
      decision: 'return',
      opinion: '用例“ammonia cold store”的比例应为30%，请修改后重新提交',
    });
    expect(returned.review).toBe('returned');
    // Approving a draft whose case still fails: publish refuses it, naming the case.
    await w.admin.caller.rulePacks.submit({ id: draftId, note: '再次提交' });
    await w.cityAdmin.caller.rulePacks.review({ id: draftId, decision: 'approve', opinion: '同意' });
    const refused = await w.cityAdmin.caller.rulePacks
      .publish({ id: draftId })
      .catch((e: unknown) => e as Error & { code: string });
    expect((refused as { code: string }).code).toBe('PRECONDITION_FAILED');
    expect((refused as Error).message).toMatch(/1 of \d+ cases fail.*ammonia cold store/);
  });

  it('publishes a fixed, reviewed draft; the submitter cannot approve their own', async () => {
    const fixed = await w.admin.caller.rulePacks.saveDraft({ files: binhaiWithAmmonia() });
    // 1.1.0 and the abandoned 1.1.1 are taken: the next free patch.
    expect(fixed.version).toBe('1.1.2');
    await w.cityAdmin.caller.rulePacks.submit({ id: fixed.id, note: '市局代为修改' });
    expect(
      await codeOf(
        w.cityAdmin.caller.rulePacks.review({ id: fixed.id, decision: 'approve', opinion: '同意' }),
      ),
    ).toBe('FORBIDDEN');
    await city2.caller.rulePacks.review({ id: fixed.id, decision: 'approve', opinion: '同意发布' });
    const published = await w.admin.caller.rulePacks.publish({ id: fixed.id });
    expect(published).toMatchObject({ status: 'published', version: '1.1.2', review: 'approved' });
    const audit = (await w.auditor.caller.audit.list({ bureauCode: BINHAI })).map((a) => a.action);
    for (const action of [
      'rule-pack.draft',
      'rule-pack.save',
      'rule-pack.submit',
      'rule-pack.return',
      'rule-pack.approve',
      'rule-pack.publish',
    ])
      expect(audit).toContain(action);
  });

  it('explains and draws with the plugin fact: ammonia units are mandatory and drawn', async () => {
    const ammonia = w.unitIds.filter((_, i) => i % 4 === 3).slice(0, 4);
    const e = await w.operator.caller.rulePacks.explain({ unitId: ammonia[1]!, period: '2027' }); // [0] is high-risk: a higher stratum
    expect(e.facts.liquidAmmonia).toBe(true);
    expect(e.classification).toMatchObject({ stratum: 'liquid-ammonia', mandatory: true });
    const plan = await issuedPlan(w, { title: '2027年度涉氨制冷检查' });
    const drawn = new Set(plan.selected.map((s) => s.unit));
    for (const id of ammonia) expect(drawn.has(id)).toBe(true);
  });
});
