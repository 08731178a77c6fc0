/**
 * The district scorecard (R25) over a demo quarter, 2027-Q1, in two districts built through the
 * API: Binhai (own checklist, procedure, one plan carried out, one voided for an emergency,
 * results published, rectifications on time / late / overdue) and Heping (the city's checklist,
 * no procedure, one plan drawn and mostly not carried out, one never approved, nothing
 * published). Every expected figure is computed here from the rows the test created.
 */
import { asc, eq } from 'drizzle-orm';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '@spotcheck/api';
import { tasks, yearlyObligations } from '@spotcheck/db';
import { SPECIALTY_IDS } from '@spotcheck/core';
import {
  anonymousCaller,
  BINHAI,
  callerWithToken,
  CITY,
  codeOf,
  drawEnv,
  HEPING,
  openTestDb,
  signedInUser,
  type SignedIn,
  type TestDb,
} from './harness';
import {
  buildWorld,
  drawAndSign,
  issuedPlan,
  proposedSources,
  registeredKey,
  unitIdAt,
  type World,
} from './fixtures';
import { browserVoidSignature, wholeSecondsOf } from '../support/official-keys';

// exceljs is a dependency of packages/api, not of the workspace root.
const ExcelJS = createRequire(resolve(__dirname, '../../packages/api/package.json'))(
  'exceljs',
) as typeof import('../../packages/api/node_modules/exceljs');

const Q = '2027-Q1';
/** After the quarter, before its results are due (20 working days). */
const APRIL = new Date('2027-04-02T02:00:00Z');
/** Long after: the results deadline has passed. */
const JUNE = new Date('2027-06-01T02:00:00Z');

let t: TestDb;
let w: World;
let hAdmin: SignedIn;
let city: Awaited<ReturnType<typeof callerWithToken>>;

/** The user's caller on another day (a fresh session on that day's clock). */
async function on(user: SignedIn, when: Date) {
  const { token } = await createSession(t.database.db, user.user.id, when);
  return callerWithToken(t.database, token, () => when);
}

/** What the test did, to compute the expected figures from. */
const made = {
  binhai: {
    planA: [] as string[],
    planB: [] as string[],
    doneUnits: [] as string[],
    openTasks: [] as string[],
  },
  heping: { plan: [] as string[], doneUnits: [] as string[], openTasks: [] as string[], resultId: '' },
  findings: {} as Record<'onTime' | 'late' | 'overdue' | 'nextQuarter', string>,
};

async function tasksOf(planId: string) {
  return t.database.db.select().from(tasks).where(eq(tasks.planId, planId)).orderBy(asc(tasks.sequence));
}

beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database, 40);

  // The city's checklist: the one Heping works with (it has no list of its own).
  const cityDraft = await w.cityAdmin.caller.checklist.createDraft({ bureauCode: CITY });
  await w.cityAdmin.caller.checklist.setItems({
    versionId: cityDraft.id,
    items: [
      {
        code: 'TJ-GEN-005',
        subject: '生产经营单位',
        item: '安全培训',
        content: '是否开展从业人员安全生产教育和培训',
        legalBasis: '《安全生产法》第二十八条',
      },
    ],
  });
  await w.cityAdmin.caller.checklist.publish({ versionId: cityDraft.id });

  // Binhai's procedure (一制度); Heping publishes none.
  const proc = await w.admin.caller.procedures.saveDraft({
    bureauCode: BINHAI,
    content: {
      leadingGroup: '局长任组长，分管副局长任副组长',
      planTemplate: '季度抽查计划',
      steps: ['制定计划', '抽取', '检查', '公开'],
      frequency: '每季度',
      resultsUse: '依法处理',
      publication: '20个工作日内公开',
      leadDepartment: '执法监察科',
      duties: '牵头组织',
    },
  });
  await w.admin.caller.procedures.publish({ id: proc.id });

  // Binhai: plan A carried out (all but its last task), plan B drawn then voided (emergency).
  const a = await issuedPlan(w, { title: '2027年第一季度一般检查', period: Q });
  const b = await issuedPlan(w, { title: '2027年第一季度专项检查', period: Q });
  await w.operator.caller.draws.requestVoid({
    drawId: b.drawId,
    reasonId: 'emergency',
    reason: '突发事件：防汛应急响应期间暂停检查',
  });
  const d = await w.approver2.caller.draws.get({ drawId: b.drawId });
  await w.approver2.caller.draws.signVoid({
    drawId: b.drawId,
    void: await browserVoidSignature(
      w.keys.approver2,
      { id: w.approver2.user.id, name: w.approver2.user.displayName },
      wholeSecondsOf(drawEnv.now()),
      { commitmentDigest: d.commitmentDigest, reason: 'emergency', requestedBy: w.operator.user.id },
    ),
  });
  const aTasks = await tasksOf(a.planId);
  made.binhai.planA = aTasks.map((x) => x.id);
  made.binhai.planB = (await tasksOf(b.planId)).map((x) => x.id);
  for (const [i, task] of aTasks.entries()) {
    if (i === aTasks.length - 1) {
      made.binhai.openTasks.push(task.id);
      continue;
    }
    const withFindings = i === 0;
    const r = await w.admin.caller.results.record({
      taskId: task.id,
      outcome: withFindings ? 'violations' : 'compliant',
      inspectedOn: `2027-02-${String(10 + (i % 15)).padStart(2, '0')}`,
      findings: withFindings
        ? [
            { kind: 'hazard' as const, description: '消防通道堵塞', rectificationDue: '2027-03-10' },
            { kind: 'hazard' as const, description: '安全培训记录缺失', rectificationDue: '2027-03-20' },
            { kind: 'violation' as const, description: '未建立隐患排查制度', rectificationDue: '2027-03-25' },
            { kind: 'hazard' as const, description: '应急预案未演练', rectificationDue: '2027-04-15' },
          ].map((f) => ({ ...f, checklistItemCode: task.checklistItemCodes[0]! }))
        : [],
    });
    made.binhai.doneUnits.push(task.unitId);
    if (withFindings) {
      const got = await w.admin.caller.results.get({ resultId: r.id });
      const by = (due: string) => got.findings.find((f) => f.rectificationDue === due)!.id;
      made.findings = {
        onTime: by('2027-03-10'),
        late: by('2027-03-20'),
        overdue: by('2027-03-25'),
        nextQuarter: by('2027-04-15'),
      };
    }
  }
  const binhaiApril = await on(w.admin, APRIL);
  await binhaiApril.rectifications.record({
    findingId: made.findings.onTime,
    checkedOn: '2027-03-05',
    outcome: 'rectified',
  });
  await binhaiApril.rectifications.record({
    findingId: made.findings.late,
    checkedOn: '2027-03-26',
    outcome: 'rectified',
  });
  await binhaiApril.rectifications.record({
    findingId: made.findings.overdue,
    checkedOn: '2027-03-24',
    outcome: 'inadequate',
  });
  await binhaiApril.publications.publishQuarterlyResults({ bureauCode: BINHAI, period: Q });

  // Heping: its own staff, roster and keys; the city's checklist; one plan drawn, one never approved.
  hAdmin = await signedInUser(t.database, 'h-admin', HEPING, ['district-admin']);
  const hOperator = await signedInUser(t.database, 'h-operator', HEPING, ['draw-operator']);
  const hApprover = await signedInUser(t.database, 'h-approver', HEPING, ['approver']);
  for (let i = 1; i <= 4; i++)
    await hAdmin.caller.inspectors.create({
      id: `I120101-${String(i).padStart(4, '0')}`,
      certificateNo: `TJ-HP-${1000 + i}`,
      name: `和平执法员${i}`,
      bureauCode: HEPING,
      department: '执法科',
      specialties: [...SPECIALTY_IDS],
      capacityPerQuarter: 20,
    });
  for (let i = 0; i < 8; i++)
    await hAdmin.caller.units.create({
      id: unitIdAt(i, HEPING),
      name: `和平测试单位${i}`,
      nature: 'private',
      industry: 'trade',
      scale: 'small',
      employees: 10 + i,
      bureauCode: HEPING,
      riskGrade: i < 2 ? 'high' : 'low',
      creditGrade: 'B',
      legalRepresentative: `法人${i}`,
    });
  const hKey = await registeredKey(hApprover, hAdmin, HEPING);
  const hw = {
    ...w,
    operator: hOperator,
    approver: hApprover,
    keys: { approver: hKey, approver2: hKey },
    checklistVersionId: cityDraft.id,
  } satisfies World;
  const hPlan = await hOperator.caller.plans.create({
    bureauCode: HEPING,
    title: '和平区2027年第一季度检查',
    period: Q,
    kind: 'general',
    sources: await proposedSources(hw),
    checklistVersionId: cityDraft.id,
  });
  await hOperator.caller.plans.submit({ planId: hPlan.id });
  const { draw } = await drawAndSign(hw, hPlan.id);
  await hOperator.caller.draws.issueTasks({ drawId: draw.id });
  const hTasks = await tasksOf(hPlan.id);
  made.heping.plan = hTasks.map((x) => x.id);
  const r = await hAdmin.caller.results.record({
    taskId: hTasks[0]!.id,
    outcome: 'compliant',
    inspectedOn: '2027-03-01',
  });
  made.heping.resultId = r.id;
  made.heping.doneUnits = [hTasks[0]!.unitId];
  made.heping.openTasks = hTasks.slice(1).map((x) => x.id);
  const never = await hOperator.caller.plans.create({
    bureauCode: HEPING,
    title: '和平区2027年第一季度暗查暗访',
    period: Q,
    kind: 'general',
    sources: await proposedSources(hw),
    checklistVersionId: cityDraft.id,
  });
  await hOperator.caller.plans.submit({ planId: never.id });

  city = await on(w.cityAdmin, JUNE);
}, 600_000);
afterAll(async () => t?.close());

/** Obligations of a district for 2027, read from the table the approvals fill. */
async function obligationsOf(bureauCode: string) {
  return t.database.db
    .select({ unitId: yearlyObligations.unitId, min: yearlyObligations.minPerYear })
    .from(yearlyObligations)
    .where(eq(yearlyObligations.bureauCode, bureauCode));
}

const pct = (n: number, d: number) => Math.round((1000 * n) / d) / 10;

describe('district scorecard 2027-Q1 (R25)', () => {
  it('matches the hand-computed figures for Binhai', async () => {
    const cards = await city.stats.scorecard({ period: Q });
    expect(cards.map((c) => c.bureauCode)).toEqual([HEPING, BINHAI]);
    const s = cards.find((c) => c.bureauCode === BINHAI)!;
    const { planA, planB, doneUnits } = made.binhai;
    expect(planB.length).toBeGreaterThan(0);
    expect(s.asOf).toBe('2027-03-31');
    expect(s.checklist).toMatchObject({ ok: true, source: 'district', version: 1 });
    expect(s.rosters).toMatchObject({ ok: true, units: 40, inspectors: 8, since: '2026-10-01' });
    expect(s.procedure).toMatchObject({ ok: true, version: 1, leadDepartment: '执法监察科' });
    // Plan A approved now (2026, before 1 January 2027); plan B went back to draft with its void.
    expect(s.plans).toEqual({ ok: false, total: 2, onTime: 1, late: 0, notApproved: 1, signedDraws: 1 });
    // Mandatory coverage: obligations of 2027 met by the results recorded in Q1.
    const obligations = await obligationsOf(BINHAI);
    expect(obligations.length).toBeGreaterThan(0);
    const covered = obligations.filter((o) => doneUnits.filter((u) => u === o.unitId).length >= o.min);
    expect(s.coverage).toEqual({
      ok: pct(covered.length, obligations.length) >= 25,
      year: 2027,
      mandatory: obligations.length,
      covered: covered.length,
      percent: pct(covered.length, obligations.length),
      pace: 25,
    });
    // Tasks: A's all done but one (overdue now), B's all cancelled, not drawn again.
    const total = planA.length + planB.length;
    expect(s.tasks).toEqual({
      ok: false,
      total,
      done: planA.length - 1,
      open: 0,
      overdue: 1,
      cancelled: planB.length,
      cancelledRedrawn: 0,
      completion: pct(planA.length - 1, total),
      cancelReasons: [{ reasonId: 'emergency', tasks: planB.length }],
    });
    expect(s.publication).toMatchObject({
      ok: true,
      state: 'published',
      publishedOn: '2027-04-02',
      inspected: planA.length - 1,
      pending: 0,
    });
    // Rectifications due in Q1: 3/10 on time, 3/20 late (3/26), 3/25 inadequate → overdue; 4/15 is Q2's.
    expect(s.rectifications).toEqual({
      ok: false,
      due: 3,
      closedOnTime: 1,
      closedLate: 1,
      openOverdue: 1,
      notDue: 0,
      percent: pct(1, 3),
    });
    expect(s.responsible).toEqual({
      leadDepartment: '执法监察科',
      leadingGroup: '局长任组长，分管副局长任副组长',
      approvers: ['w-approver'],
    });
    expect(s.missing).toEqual(['plan', ...(s.coverage.ok ? [] : ['coverage']), 'tasks', 'rectifications']);
  });

  it('matches the hand-computed figures for Heping (city checklist, nothing published)', async () => {
    const [s] = await city.stats.scorecard({ period: Q, bureauCode: HEPING });
    const { plan, doneUnits } = made.heping;
    expect(s!.checklist).toMatchObject({ ok: true, source: 'city', version: 1 });
    expect(s!.rosters).toMatchObject({ ok: true, units: 8, inspectors: 4 });
    expect(s!.procedure).toEqual({
      ok: false,
      version: null,
      publishedOn: null,
      leadDepartment: null,
      leadingGroup: null,
    });
    expect(s!.plans).toEqual({ ok: false, total: 2, onTime: 1, late: 0, notApproved: 1, signedDraws: 1 });
    const obligations = await obligationsOf(HEPING);
    // The city pack makes high-risk units (R11) mandatory: the two created high.
    expect(obligations.map((o) => o.unitId).sort()).toEqual(
      [unitIdAt(0, HEPING), unitIdAt(1, HEPING)].sort(),
    );
    const covered = obligations.filter((o) => doneUnits.includes(o.unitId)).length;
    expect(s!.coverage).toMatchObject({ mandatory: 2, covered, percent: pct(covered, 2) });
    // The draw chose how many units; every one but the first is still open after the quarter.
    expect(s!.tasks).toEqual({
      ok: plan.length === 1,
      total: plan.length,
      done: 1,
      open: 0,
      overdue: plan.length - 1,
      cancelled: 0,
      cancelledRedrawn: 0,
      completion: pct(1, plan.length),
      cancelReasons: [],
    });
    expect(s!.publication).toMatchObject({
      ok: false,
      state: 'overdue',
      inspected: 1,
      pending: 1,
      publishedOn: null,
    });
    expect(s!.rectifications).toEqual({
      ok: true,
      due: 0,
      closedOnTime: 0,
      closedLate: 0,
      openOverdue: 0,
      notDue: 0,
      percent: null,
    });
    expect(s!.responsible.approvers).toEqual(['h-approver']);
    expect(s!.missing).toEqual([
      'procedure',
      'plan',
      ...(s!.coverage.ok ? [] : ['coverage']),
      ...(plan.length === 1 ? [] : ['tasks']),
      'publication',
    ]);
  });

  it('drills down to the tasks, units, results and findings behind each figure', async () => {
    const b = await city.stats.scorecardDetail({ period: Q, bureauCode: BINHAI });
    expect(b.plans.map((p) => [p.title, p.state, p.deadline])).toEqual([
      ['2027年第一季度一般检查', 'on-time', '2026-12-31'],
      ['2027年第一季度专项检查', 'not-approved', '2026-12-31'],
    ]);
    expect(b.tasks.total).toBe(1 + made.binhai.planB.length);
    expect(b.tasks.rows.filter((r) => r.state === 'overdue').map((r) => r.taskId)).toEqual(
      made.binhai.openTasks,
    );
    expect(
      b.tasks.rows
        .filter((r) => r.state === 'cancelled')
        .map((r) => r.taskId)
        .sort(),
    ).toEqual([...made.binhai.planB].sort());
    expect(b.tasks.rows.find((r) => r.state === 'cancelled')).toMatchObject({
      reasonId: 'emergency',
      reason: '突发事件：防汛应急响应期间暂停检查',
    });
    expect(b.rectifications.rows.map((r) => [r.findingId, r.state, r.rectifiedOn])).toEqual([
      [made.findings.late, 'late', '2027-03-26'],
      [made.findings.overdue, 'overdue', null],
    ]);
    const obligations = await obligationsOf(BINHAI);
    expect(b.uncovered.rows.map((u) => u.unitId).sort()).toEqual(
      obligations
        .filter((o) => !made.binhai.doneUnits.includes(o.unitId))
        .map((o) => o.unitId)
        .sort(),
    );
    expect(b.unpublished.total).toBe(0);
    const h = await city.stats.scorecardDetail({ period: Q, bureauCode: HEPING });
    expect(h.unpublished.rows.map((r) => r.resultId)).toEqual([made.heping.resultId]);
    expect(h.plans.map((p) => p.state)).toEqual(['on-time', 'not-approved']);
  });

  it('judges the quarter as of the day asked: before the deadline Heping is not yet late', async () => {
    const april = await on(w.cityAdmin, APRIL);
    const [s] = await april.stats.scorecard({ period: Q, bureauCode: HEPING });
    expect(s!.publication).toMatchObject({ ok: true, state: 'upcoming' });
    // A year on, nothing changed the rosters: they are no longer current for 2028-Q1.
    const [next] = await city.stats.scorecard({ period: '2028-Q1', bureauCode: BINHAI });
    expect(next!.rosters.ok).toBe(false);
    expect(next!.missing).toContain('rosters');
  });

  it('draws the trend over quarters', async () => {
    const trend = await city.stats.scorecardTrend({ period: Q, bureauCode: BINHAI, quarters: 4 });
    expect(trend.points.map((p) => p.period)).toEqual(['2026-Q2', '2026-Q3', '2026-Q4', Q]);
    const [s] = await city.stats.scorecard({ period: Q, bureauCode: BINHAI });
    expect(trend.points.at(-1)).toEqual({
      period: Q,
      coverage: s!.coverage.percent,
      completion: s!.tasks.completion,
      rectifications: s!.rectifications.percent,
      done: s!.tasks.done,
      cancelled: s!.tasks.cancelled,
      missing: s!.missing.length,
    });
    expect(trend.points[0]).toMatchObject({ completion: null, done: 0, cancelled: 0 });
  });

  it('exports the scorecards to XLSX with the same figures', async () => {
    const file = await city.stats.scorecardExport({ period: Q });
    expect(file.filename).toBe('scorecard-2027-Q1.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as never);
    expect(wb.worksheets.map((s) => s.name)).toEqual([
      '考核汇总',
      '计划',
      '未覆盖必查单位',
      '未完成任务',
      '未公开结果',
      '整改未按期',
    ]);
    const sum = wb.getWorksheet('考核汇总')!;
    const header = (sum.getRow(1).values as unknown[]).slice(1);
    const rows = [2, 3].map((n) => (sum.getRow(n).values as unknown[]).slice(1));
    const binhai = rows.find((r) => r[1] === BINHAI)!;
    const col = (name: string) => binhai[header.indexOf(name)];
    expect(col('区局')).toBe('滨海新区应急管理局');
    expect(col('已完成')).toBe(made.binhai.planA.length - 1);
    expect(col('已取消')).toBe(made.binhai.planB.length);
    expect(col('取消原因')).toBe(`emergency: ${made.binhai.planB.length}`);
    expect(col('按期整改率 %')).toBe(pct(1, 3));
    expect(col('签批责任人')).toBe('w-approver');
    expect(wb.getWorksheet('未完成任务')!.rowCount).toBe(
      1 + 1 + made.binhai.planB.length + made.heping.openTasks.length,
    );
    const en = await city.stats.scorecardExport({ period: Q, bureauCode: HEPING, lang: 'en' });
    const wbEn = new ExcelJS.Workbook();
    await wbEn.xlsx.load(Buffer.from(en.base64, 'base64') as never);
    expect(wbEn.worksheets[0]!.name).toBe('Scorecard');
    expect(wbEn.worksheets[0]!.rowCount).toBe(2);
  });

  it('shows a district only its own scorecard, and the public none', async () => {
    const own = await hAdmin.caller.stats.scorecard({ period: Q });
    expect(own.map((c) => c.bureauCode)).toEqual([HEPING]);
    expect(await codeOf(hAdmin.caller.stats.scorecard({ period: Q, bureauCode: BINHAI }))).toBe('FORBIDDEN');
    expect(await codeOf(hAdmin.caller.stats.scorecardDetail({ period: Q, bureauCode: BINHAI }))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(hAdmin.caller.stats.scorecardTrend({ period: Q, bureauCode: BINHAI }))).toBe(
      'FORBIDDEN',
    );
    const mine = await hAdmin.caller.stats.scorecardExport({ period: Q });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(mine.base64, 'base64') as never);
    expect(wb.worksheets[0]!.rowCount).toBe(2);
    const inspector = await signedInUser(t.database, 'h-inspector', HEPING, ['inspector']);
    expect(await codeOf(inspector.caller.stats.scorecard({ period: Q }))).toBe('FORBIDDEN');
    const anon = await anonymousCaller(t.database);
    expect(await codeOf(anon.stats.scorecard({ period: Q }))).toBe('UNAUTHORIZED');
    expect(await codeOf(anon.stats.scorecardExport({ period: Q }))).toBe('UNAUTHORIZED');
  });

  it('names the field of a bad request', async () => {
    await expect(city.stats.scorecard({ period: '2027-05' })).rejects.toThrow(/YYYY-Qn/);
    await expect(city.stats.scorecardDetail({ period: Q, bureauCode: CITY })).rejects.toThrow(
      /bureauCode.*not a district/,
    );
  });
});
