import ExcelJS from 'exceljs';
import type { ScorecardDetail } from './scorecard';

/** Language of an export's labels. */
export type ExportLang = 'zh-CN' | 'en';

const L = {
  sheetSummary: ['考核汇总', 'Scorecard'],
  sheetPlans: ['计划', 'Plans'],
  sheetUncovered: ['未覆盖必查单位', 'Mandatory units not covered'],
  sheetTasks: ['未完成任务', 'Tasks not carried out'],
  sheetUnpublished: ['未公开结果', 'Results not published'],
  sheetRect: ['整改未按期', 'Rectifications not on time'],
  bureau: ['区局', 'District'],
  code: ['代码', 'Code'],
  period: ['考核期', 'Period'],
  asOf: ['统计截至', 'As of'],
  missing: ['未达标项', 'Missing'],
  checklist: ['清单在用', 'Checklist in force'],
  checklistSource: ['清单来源', 'Checklist source'],
  units: ['检查对象（户）', 'Units'],
  inspectors: ['执法人员（人）', 'Inspectors'],
  rostersCurrent: ['名录库及时更新', 'Rosters current'],
  procedure: ['制度已公布', 'Procedure published'],
  plansOnTime: ['计划按时批准', 'Plans approved on time'],
  plansTotal: ['计划数', 'Plans'],
  signedDraws: ['已签署抽取', 'Signed draws'],
  mandatory: ['必查单位', 'Mandatory units'],
  covered: ['已覆盖', 'Covered'],
  coverage: ['必查覆盖率 %', 'Mandatory coverage %'],
  pace: ['进度要求 %', 'Pace %'],
  tasks: ['任务数', 'Tasks'],
  done: ['已完成', 'Done'],
  open: ['进行中', 'Open'],
  overdue: ['逾期未完成', 'Overdue'],
  cancelled: ['已取消', 'Cancelled'],
  cancelledRedrawn: ['取消后已重抽', 'Cancelled, redrawn'],
  completion: ['完成率 %', 'Completion %'],
  cancelReasons: ['取消原因', 'Cancellation reasons'],
  publication: ['结果公开状态', 'Publication state'],
  dueOn: ['公开期限', 'Due on'],
  publishedOn: ['公开日期', 'Published on'],
  pending: ['待公开结果', 'Results pending'],
  rectDue: ['到期整改', 'Rectifications due'],
  rectOnTime: ['按期整改', 'Closed on time'],
  rectLate: ['逾期整改', 'Closed late'],
  rectOverdue: ['逾期未整改', 'Open, overdue'],
  rectPercent: ['按期整改率 %', 'On time %'],
  leadDepartment: ['牵头部门', 'Lead department'],
  leadingGroup: ['领导小组', 'Leading group'],
  approvers: ['签批责任人', 'Approvers'],
  title: ['名称', 'Title'],
  status: ['状态', 'Status'],
  deadline: ['批准期限', 'Deadline'],
  approvedOn: ['批准日期', 'Approved on'],
  state: ['情况', 'State'],
  unitId: ['统一社会信用代码', 'Unit ID'],
  unitName: ['单位名称', 'Unit'],
  minPerYear: ['年度最少检查次数', 'Minimum per year'],
  inspections: ['已检查次数', 'Inspections'],
  plan: ['计划', 'Plan'],
  reason: ['原因', 'Reason'],
  inspectedOn: ['检查日期', 'Inspected on'],
  kind: ['类别', 'Kind'],
  item: ['检查事项', 'Item'],
  description: ['描述', 'Description'],
  due: ['整改期限', 'Due'],
  rectifiedOn: ['整改完成日期', 'Rectified on'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
} as const;

const CHECKS: Record<string, readonly [string, string]> = {
  checklist: ['清单', 'checklist'],
  rosters: ['名录库', 'rosters'],
  procedure: ['制度', 'procedure'],
  plan: ['计划', 'plan'],
  draw: ['抽取', 'draw'],
  coverage: ['必查覆盖', 'coverage'],
  tasks: ['任务完成', 'tasks'],
  publication: ['结果公开', 'publication'],
  rectifications: ['整改', 'rectifications'],
};
const STATES: Record<string, readonly [string, string]> = {
  'on-time': ['按时', 'on time'],
  late: ['逾期', 'late'],
  'not-approved': ['未批准', 'not approved'],
  open: ['进行中', 'open'],
  overdue: ['逾期', 'overdue'],
  cancelled: ['已取消未重抽', 'cancelled, not redrawn'],
  'not-due': ['未到期', 'not due'],
  published: ['已公开', 'published'],
  'published-late': ['逾期公开', 'published late'],
  upcoming: ['待公开', 'upcoming'],
  'due-soon': ['即将到期', 'due soon'],
  district: ['本区', 'own'],
  city: ['市级', 'city'],
};

/**
 * The scorecards of a quarter as a workbook: one summary row per district, then one sheet per
 * drill-down (plans, uncovered mandatory units, tasks not carried out, unpublished results,
 * rectifications not closed on time), each row naming its district.
 */
export async function scorecardWorkbook(details: ScorecardDetail[], lang: ExportLang): Promise<Buffer> {
  const i = lang === 'en' ? 1 : 0;
  const t = (k: keyof typeof L) => L[k][i];
  const word = (m: Record<string, readonly [string, string]>, k: string | null) =>
    k === null ? '' : (m[k]?.[i] ?? k);
  const yn = (b: boolean) => (b ? t('yes') : t('no'));
  const wb = new ExcelJS.Workbook();
  const sheet = (name: string, header: string[], rows: (string | number | null)[][]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(header);
    for (const r of rows) ws.addRow(r.map((v) => v ?? ''));
    ws.getRow(1).font = { bold: true };
    header.forEach((h, c) => (ws.getColumn(c + 1).width = Math.max(12, h.length * 2 + 2)));
  };
  sheet(
    t('sheetSummary'),
    [
      t('bureau'),
      t('code'),
      t('period'),
      t('asOf'),
      t('missing'),
      t('checklist'),
      t('checklistSource'),
      t('units'),
      t('inspectors'),
      t('rostersCurrent'),
      t('procedure'),
      t('plansTotal'),
      t('plansOnTime'),
      t('signedDraws'),
      t('mandatory'),
      t('covered'),
      t('coverage'),
      t('pace'),
      t('tasks'),
      t('done'),
      t('open'),
      t('overdue'),
      t('cancelled'),
      t('cancelledRedrawn'),
      t('completion'),
      t('cancelReasons'),
      t('publication'),
      t('dueOn'),
      t('publishedOn'),
      t('pending'),
      t('rectDue'),
      t('rectOnTime'),
      t('rectLate'),
      t('rectOverdue'),
      t('rectPercent'),
      t('leadDepartment'),
      t('leadingGroup'),
      t('approvers'),
    ],
    details.map(({ scorecard: s }) => [
      s.name,
      s.bureauCode,
      s.period,
      s.asOf,
      s.missing.map((m) => word(CHECKS, m)).join(lang === 'en' ? ', ' : '、'),
      yn(s.checklist.ok),
      word(STATES, s.checklist.source),
      s.rosters.units,
      s.rosters.inspectors,
      yn(s.rosters.ok),
      yn(s.procedure.ok),
      s.plans.total,
      s.plans.onTime,
      s.plans.signedDraws,
      s.coverage.mandatory,
      s.coverage.covered,
      s.coverage.percent,
      s.coverage.pace,
      s.tasks.total,
      s.tasks.done,
      s.tasks.open,
      s.tasks.overdue,
      s.tasks.cancelled,
      s.tasks.cancelledRedrawn,
      s.tasks.completion,
      s.tasks.cancelReasons.map((r) => `${r.reasonId}: ${r.tasks}`).join('; '),
      word(STATES, s.publication.state),
      s.publication.dueOn,
      s.publication.publishedOn,
      s.publication.pending,
      s.rectifications.due,
      s.rectifications.closedOnTime,
      s.rectifications.closedLate,
      s.rectifications.openOverdue,
      s.rectifications.percent,
      s.responsible.leadDepartment,
      s.responsible.leadingGroup,
      s.responsible.approvers.join(lang === 'en' ? ', ' : '、'),
    ]),
  );
  sheet(
    t('sheetPlans'),
    [
      t('bureau'),
      t('title'),
      t('period'),
      t('status'),
      t('deadline'),
      t('approvedOn'),
      t('state'),
      t('approvers'),
    ],
    details.flatMap((d) =>
      d.plans.map((p) => [
        d.scorecard.name,
        p.title,
        p.period,
        p.status,
        p.deadline,
        p.approvedOn,
        word(STATES, p.state),
        p.approver,
      ]),
    ),
  );
  sheet(
    t('sheetUncovered'),
    [t('bureau'), t('unitId'), t('unitName'), t('minPerYear'), t('inspections')],
    details.flatMap((d) =>
      d.uncovered.rows.map((u) => [d.scorecard.name, u.unitId, u.unitName, u.minPerYear, u.inspections]),
    ),
  );
  sheet(
    t('sheetTasks'),
    [t('bureau'), t('unitId'), t('unitName'), t('plan'), t('state'), t('reason')],
    details.flatMap((d) =>
      d.tasks.rows.map((x) => [
        d.scorecard.name,
        x.unitId,
        x.unitName,
        x.planTitle,
        word(STATES, x.state),
        [x.reasonId, x.reason].filter(Boolean).join(': '),
      ]),
    ),
  );
  sheet(
    t('sheetUnpublished'),
    [t('bureau'), t('unitId'), t('unitName'), t('inspectedOn')],
    details.flatMap((d) =>
      d.unpublished.rows.map((r) => [d.scorecard.name, r.unitId, r.unitName, r.inspectedOn]),
    ),
  );
  sheet(
    t('sheetRect'),
    [
      t('bureau'),
      t('unitId'),
      t('unitName'),
      t('kind'),
      t('item'),
      t('description'),
      t('due'),
      t('rectifiedOn'),
      t('state'),
    ],
    details.flatMap((d) =>
      d.rectifications.rows.map((r) => [
        d.scorecard.name,
        r.unitId,
        r.unitName,
        r.kind,
        r.checklistItemCode,
        r.description,
        r.due,
        r.rectifiedOn,
        word(STATES, r.state),
      ]),
    ),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
