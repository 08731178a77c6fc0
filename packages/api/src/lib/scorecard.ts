import { and, asc, eq, inArray, isNotNull, lte, or, sql } from 'drizzle-orm';
import {
  auditEvents,
  bureaus,
  checklistVersions,
  draws,
  findings,
  inspectors,
  plans,
  procedures,
  rectifications,
  results,
  tasks,
  units,
  userRoles,
  users,
  yearlyObligations,
} from '@spotcheck/db';
import type { DbOrTx } from './db';
import { fail } from './errors';
import { previousQuarter, quarterDays, quarterResults, quarterStatus, type QuarterStatus } from './quarterly';
import { todayInChina } from './scope';
import { addDays } from './work-calendar';
import { CITY_BUREAU_CODE } from '@spotcheck/core';

/**
 * The district scorecard 考核 (R25, policy (十)): for one district and one quarter, what the city
 * assesses — 一单两库一制度 in force, the plan ready before its period, mandatory coverage, tasks
 * carried out, results published and rectifications closed on time — each figure computed from
 * the rows behind it, with the list of what is missing (the drill-down) and who answers for it.
 *
 * Deadlines (the policy sets none; these are what a bureau would expect, stated once here):
 * - a plan is approved on time when approved (China date) before its period's first day;
 * - a roster is current when changed (an audited change, or a row created/updated) within the
 *   quarter or the one before it ({@link rosterWindow}), i.e. reviewed at least every six months;
 * - mandatory coverage is on pace when, by the end of quarter n, n/4 of the year's mandatory
 *   units have had their yearly minimum of inspections (all of them by Q4);
 * - quarterly results are due {@link import('./quarterly').DUE_WORKDAYS} working days after the
 *   quarter ends (`quarterStatus`);
 * - a rectification is on time when checked `rectified` on or before its due date.
 */

/** Figures the city checks, in the order shown. */
export const SCORECARD_CHECKS = [
  'checklist',
  'rosters',
  'procedure',
  'plan',
  'draw',
  'coverage',
  'tasks',
  'publication',
  'rectifications',
] as const;
/** One of {@link SCORECARD_CHECKS}. */
export type ScorecardCheck = (typeof SCORECARD_CHECKS)[number];

/** At most this many rows per drill-down list (each list also says its full length). */
export const DRILL_LIMIT = 1000;

/** A drill-down list: the first {@link DRILL_LIMIT} rows and how many there are. */
export interface Drill<T> {
  total: number;
  rows: T[];
}

/** One plan relevant to the quarter, with its approval deadline. */
export interface ScorecardPlan {
  planId: string;
  title: string;
  period: string;
  status: string;
  /** Last day an approval counts as on time (the day before the period starts). */
  deadline: string;
  approvedOn: string | null;
  state: 'on-time' | 'late' | 'not-approved';
  approver: string | null;
  signedDraws: number;
}

/** A mandatory unit of the year not yet inspected as often as it must be. */
export interface UncoveredUnit {
  unitId: string;
  unitName: string;
  minPerYear: number;
  inspections: number;
  reasons: unknown;
}

/** A task not carried out: open, overdue or cancelled without a new draw. */
export interface MissingTask {
  taskId: string;
  unitId: string;
  unitName: string;
  planTitle: string;
  status: string;
  state: 'open' | 'overdue' | 'cancelled';
  /** Cancelled: the void reason id (sr-draw/v2) or `other`, and the explanation given. */
  reasonId: string | null;
  reason: string | null;
}

/** A result inspected in the quarter and not yet published. */
export interface UnpublishedResult {
  resultId: string;
  unitId: string;
  unitName: string;
  inspectedOn: string;
}

/** A finding due for rectification in the quarter that was not closed on time. */
export interface LateRectification {
  findingId: string;
  unitId: string;
  unitName: string;
  kind: string;
  checklistItemCode: string | null;
  description: string;
  due: string;
  rectifiedOn: string | null;
  state: 'late' | 'overdue' | 'not-due';
}

/** The scorecard of one district for one quarter. */
export interface Scorecard {
  bureauCode: string;
  name: string;
  period: string;
  /** The day the figures are taken on: the quarter's last day, or today while it runs. */
  asOf: string;
  /** Checks that fail, in {@link SCORECARD_CHECKS} order. */
  missing: ScorecardCheck[];
  checklist: {
    ok: boolean;
    /** Whose published version is in force: the district's own, or the city's. */
    source: 'district' | 'city' | null;
    version: number | null;
    publishedOn: string | null;
  };
  rosters: {
    ok: boolean;
    units: number;
    inspectors: number;
    /** Changes counted from this day ({@link rosterWindow}). */
    since: string;
    unitsChangedOn: string | null;
    inspectorsChangedOn: string | null;
  };
  procedure: {
    ok: boolean;
    version: number | null;
    publishedOn: string | null;
    leadDepartment: string | null;
    leadingGroup: string | null;
  };
  plans: {
    ok: boolean;
    total: number;
    onTime: number;
    late: number;
    notApproved: number;
    signedDraws: number;
  };
  coverage: {
    ok: boolean;
    year: number;
    mandatory: number;
    covered: number;
    /** Covered share in percent (one decimal), null without mandatory units. */
    percent: number | null;
    /** The share expected by the end of this quarter (25, 50, 75, 100). */
    pace: number;
  };
  tasks: {
    ok: boolean;
    total: number;
    done: number;
    open: number;
    overdue: number;
    cancelled: number;
    /** Cancelled tasks whose plan was drawn again (a live attempt with tasks). */
    cancelledRedrawn: number;
    /** done / (done + open + cancelled without a new draw), in percent; null without tasks. */
    completion: number | null;
    cancelReasons: { reasonId: string; tasks: number }[];
  };
  publication: {
    ok: boolean;
    state: QuarterStatus['state'];
    dueOn: string;
    publishedOn: string | null;
    inspected: number;
    pending: number;
  };
  rectifications: {
    ok: boolean;
    due: number;
    closedOnTime: number;
    closedLate: number;
    openOverdue: number;
    notDue: number;
    /** closed on time / (closed + overdue), in percent; null when none was due yet. */
    percent: number | null;
  };
  /** Who answers for the figures (policy (九)(十)): the procedure's lead department and leading group, the approvers and signers. */
  responsible: {
    leadDepartment: string | null;
    leadingGroup: string | null;
    approvers: string[];
  };
}

/** The drill-down behind a scorecard: the rows each failing figure is made of. */
export interface ScorecardDetail {
  scorecard: Scorecard;
  plans: ScorecardPlan[];
  uncovered: Drill<UncoveredUnit>;
  tasks: Drill<MissingTask>;
  unpublished: Drill<UnpublishedResult>;
  rectifications: Drill<LateRectification>;
}

const QUARTER = /^(\d{4})-Q([1-4])$/;

/** Checks a period `YYYY-Qn`, naming the field. */
export function assertQuarter(period: string): { year: number; quarter: number } {
  const m = QUARTER.exec(period);
  if (!m) fail('BAD_REQUEST', 'period', 'scorecard.quarterInvalid', { period });
  return { year: Number(m[1]), quarter: Number(m[2]) };
}

/** The first day from which roster changes count for a quarter: the previous quarter's first day. */
export function rosterWindow(period: string): string {
  return quarterDays(previousQuarter(period)).first;
}

/** The periods (year, quarter, months) whose plans concern a quarter. */
function periodsOf(period: string): string[] {
  const { year, quarter } = assertQuarter(period);
  const months = [0, 1, 2].map((i) => `${year}-${String(quarter * 3 - 2 + i).padStart(2, '0')}`);
  return [String(year), period, ...months];
}

/** The first day of a plan period (`2027`, `2027-Q1`, `2027-03`). */
function periodStart(p: string): string {
  if (/^\d{4}$/.test(p)) return `${p}-01-01`;
  if (QUARTER.test(p)) return quarterDays(p).first;
  return `${p}-01`;
}

/** The quarter a plan's task counts in: the plan's own quarter, or for a yearly plan the inspection's. */
function taskQuarter(planPeriod: string, inspectedOn: string | null, scheduledOn: string | null): string {
  if (QUARTER.test(planPeriod)) return planPeriod;
  if (/^\d{4}-\d{2}$/.test(planPeriod)) return quarterOfDay(`${planPeriod}-01`);
  return quarterOfDay(inspectedOn ?? scheduledOn ?? `${planPeriod}-12-31`);
}

function quarterOfDay(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

const pct = (n: number, d: number) => (d ? Math.round((1000 * n) / d) / 10 : null);
const dayOf = (d: Date | string | null | undefined) =>
  d ? todayInChina(typeof d === 'string' ? new Date(d) : d) : null;
const maxDay = (...ds: (string | null)[]) =>
  ds.reduce<string | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null);
const drill = <T>(rows: T[]): Drill<T> => ({ total: rows.length, rows: rows.slice(0, DRILL_LIMIT) });

/**
 * Computes the scorecard of a district for a quarter on `now`, with its drill-down.
 * Throws NOT_FOUND for an unknown bureau and BAD_REQUEST for a bureau that is not a district.
 */
export async function districtScorecard(
  db: DbOrTx,
  bureauCode: string,
  period: string,
  now: Date,
): Promise<ScorecardDetail> {
  const { year, quarter } = assertQuarter(period);
  const [bureau] = await db.select().from(bureaus).where(eq(bureaus.code, bureauCode));
  if (!bureau) fail('NOT_FOUND', 'bureauCode', 'scorecard.bureauNotFound', { bureauCode });
  if (bureau.level !== 'district') fail('BAD_REQUEST', 'bureauCode', 'scorecard.notDistrict', { bureauCode });
  const { first, last } = quarterDays(period);
  const today = todayInChina(now);
  const asOf = today < last ? today : last;
  // Instants: everything up to the end of `asOf` in China (UTC+8).
  const asOfEnd = new Date(Date.parse(`${addDays(asOf, 1)}T00:00:00+08:00`));

  // 一单: the district's own published checklist in force on asOf, else the city's.
  const versions = await db
    .select()
    .from(checklistVersions)
    .where(
      and(
        inArray(checklistVersions.bureauCode, [bureauCode, bureau.parentCode ?? CITY_BUREAU_CODE]),
        isNotNull(checklistVersions.publishedAt),
        lte(checklistVersions.publishedAt, asOfEnd),
      ),
    )
    .orderBy(asc(checklistVersions.version));
  const inForce = (code: string) =>
    versions.filter((v) => v.bureauCode === code && (!v.retiredAt || v.retiredAt > asOfEnd)).at(-1) ?? null;
  const own = inForce(bureauCode);
  const cityList = inForce(bureau.parentCode ?? CITY_BUREAU_CODE);
  const list = own ?? cityList;

  // 两库: active rows, and the latest change up to asOf (audited changes and row timestamps).
  const since = rosterWindow(period);
  const rosterOf = async (table: typeof units | typeof inspectors, entity: string) => {
    const [row] = await db
      .select({
        active: sql<number>`count(*) filter (where ${table.status} = 'active')::int`,
        touched: sql<
          string | null
        >`max(greatest(${table.createdAt}, ${table.updatedAt})) filter (where greatest(${table.createdAt}, ${table.updatedAt}) < ${asOfEnd.toISOString()})`,
      })
      .from(table)
      .where(eq(table.bureauCode, bureauCode));
    const [audited] = await db
      .select({ at: sql<string | null>`max(${auditEvents.at})` })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.bureauCode, bureauCode),
          eq(auditEvents.entity, entity),
          sql`${auditEvents.at} < ${asOfEnd.toISOString()}`,
        ),
      );
    return { active: row!.active, changedOn: maxDay(dayOf(row!.touched), dayOf(audited!.at)) };
  };
  const unitRoster = await rosterOf(units, 'units');
  const inspectorRoster = await rosterOf(inspectors, 'inspectors');
  const rostersOk =
    unitRoster.active > 0 &&
    inspectorRoster.active > 0 &&
    (unitRoster.changedOn ?? '') >= since &&
    (inspectorRoster.changedOn ?? '') >= since;

  // 一制度: the latest version published by asOf.
  const [proc] = await db
    .select()
    .from(procedures)
    .where(
      and(
        eq(procedures.bureauCode, bureauCode),
        isNotNull(procedures.publishedAt),
        lte(procedures.publishedAt, asOfEnd),
      ),
    )
    .orderBy(sql`${procedures.version} desc`)
    .limit(1);
  const procContent = proc ? procedureLeads(proc.content) : null;

  // Plans of the quarter (its own, its months', the year's), each against its deadline.
  const planRows = await db
    .select({ plan: plans, approver: users.displayName })
    .from(plans)
    .leftJoin(users, eq(users.id, plans.approvedBy))
    .where(and(eq(plans.bureauCode, bureauCode), inArray(plans.period, periodsOf(period))))
    .orderBy(asc(plans.period), asc(plans.createdAt));
  const planIds = planRows.map((p) => p.plan.id);
  const drawRows = planIds.length
    ? await db
        .select({
          id: draws.id,
          planId: draws.planId,
          attempt: draws.attempt,
          status: draws.status,
          voidReasonId: draws.voidReasonId,
          voidReason: draws.voidReason,
          signer: users.displayName,
        })
        .from(draws)
        .leftJoin(users, eq(users.id, draws.signedBy))
        .where(inArray(draws.planId, planIds))
    : [];
  const planList: ScorecardPlan[] = planRows.map(({ plan, approver }) => {
    const deadline = addDays(periodStart(plan.period), -1);
    const approved = !['draft', 'submitted'].includes(plan.status) && plan.approvedAt !== null;
    const approvedOn = approved ? dayOf(plan.approvedAt) : null;
    return {
      planId: plan.id,
      title: plan.title,
      period: plan.period,
      status: plan.status,
      deadline,
      approvedOn,
      state: approvedOn === null ? 'not-approved' : approvedOn <= deadline ? 'on-time' : 'late',
      approver: approved ? approver : null,
      signedDraws: drawRows.filter((d) => d.planId === plan.id && d.status === 'signed').length,
    };
  });
  const signedDraws = planList.reduce((n, p) => n + p.signedDraws, 0);

  // Tasks of those plans that count in this quarter.
  const taskRows = planIds.length
    ? await db
        .select({
          id: tasks.id,
          planId: tasks.planId,
          drawId: tasks.drawId,
          unitId: tasks.unitId,
          unitName: units.name,
          status: tasks.status,
          scheduledOn: tasks.scheduledOn,
          inspectedOn: sql<
            string | null
          >`(select min(r.inspected_on) from ${results} r where r.task_id = ${tasks.id})`,
        })
        .from(tasks)
        .innerJoin(units, eq(units.id, tasks.unitId))
        .where(inArray(tasks.planId, planIds))
        .orderBy(asc(tasks.planId), asc(tasks.sequence))
    : [];
  const planById = new Map(planRows.map((p) => [p.plan.id, p.plan]));
  const drawById = new Map(drawRows.map((d) => [d.id, d]));
  const mine = taskRows.filter(
    (t) => taskQuarter(planById.get(t.planId)!.period, t.inspectedOn, t.scheduledOn) === period,
  );
  // A plan is drawn again when it has a live (not voided) attempt that issued tasks.
  const redrawn = new Set(
    taskRows
      .filter((t) => {
        const s = drawById.get(t.drawId)?.status;
        return s !== 'voided' && s !== 'void-requested';
      })
      .map((t) => t.planId),
  );
  const missingTasks: MissingTask[] = [];
  let done = 0;
  let open = 0;
  let overdue = 0;
  let cancelled = 0;
  let cancelledRedrawn = 0;
  const reasons = new Map<string, number>();
  for (const t of mine) {
    const plan = planById.get(t.planId)!;
    if (t.status === 'done') done++;
    else if (t.status === 'cancelled') {
      cancelled++;
      const d = drawById.get(t.drawId);
      const reasonId = d?.voidReasonId ?? 'other';
      reasons.set(reasonId, (reasons.get(reasonId) ?? 0) + 1);
      if (redrawn.has(t.planId)) cancelledRedrawn++;
      else
        missingTasks.push({
          taskId: t.id,
          unitId: t.unitId,
          unitName: t.unitName,
          planTitle: plan.title,
          status: t.status,
          state: 'cancelled',
          reasonId,
          reason: d?.voidReason ?? null,
        });
    } else {
      // Open after the quarter it counts in: overdue.
      const late = today > last;
      if (late) overdue++;
      else open++;
      missingTasks.push({
        taskId: t.id,
        unitId: t.unitId,
        unitName: t.unitName,
        planTitle: plan.title,
        status: t.status,
        state: late ? 'overdue' : 'open',
        reasonId: null,
        reason: null,
      });
    }
  }
  const carriedOutOf = mine.length - cancelledRedrawn;

  // Mandatory coverage: the year's obligations against inspections from 1 January to asOf.
  const obligations = await db
    .select({
      unitId: yearlyObligations.unitId,
      unitName: units.name,
      minPerYear: yearlyObligations.minPerYear,
      reasons: yearlyObligations.reasons,
      inspections: sql<number>`(
        select count(*)::int from ${tasks} t
        where t.unit_id = ${yearlyObligations.unitId} and t.status = 'done'
          and exists (select 1 from ${results} r where r.task_id = t.id and r.supersedes_id is null
            and r.inspected_on between ${`${year}-01-01`} and ${asOf}))`,
    })
    .from(yearlyObligations)
    .innerJoin(units, eq(units.id, yearlyObligations.unitId))
    .where(and(eq(yearlyObligations.bureauCode, bureauCode), eq(yearlyObligations.year, year)))
    .orderBy(asc(yearlyObligations.unitId));
  const uncovered = obligations.filter((o) => o.inspections < o.minPerYear);
  const coverage = pct(obligations.length - uncovered.length, obligations.length);
  const pace = quarter * 25;

  // Quarterly publication of results (R15), on the shared schedule.
  const pub = await quarterStatus(db, bureauCode, period, now);
  // The quarter's current results (corrections supersede) and which are published: one query.
  const current = await quarterResults(db, bureauCode, period);
  const unpublished: UnpublishedResult[] = current.rows
    .filter((r) => !current.published.has(r.result.id))
    .map((r) => ({
      resultId: r.result.id,
      unitId: r.unit.id,
      unitName: r.unit.name,
      inspectedOn: r.result.inspectedOn,
    }));
  const inspected = current.rows.length;

  // Rectifications due in the quarter (findings of current results).
  const dueRows = await db
    .select({
      findingId: findings.id,
      unitId: units.id,
      unitName: units.name,
      kind: findings.kind,
      checklistItemCode: findings.checklistItemCode,
      description: findings.description,
      due: findings.rectificationDue,
      rectifiedOn: sql<string | null>`(
        select min(x.checked_on)::text from ${rectifications} x
        where x.finding_id = ${findings.id} and x.outcome = 'rectified' and x.checked_on <= ${asOf})`,
    })
    .from(findings)
    .innerJoin(results, eq(results.id, findings.resultId))
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .innerJoin(units, eq(units.id, tasks.unitId))
    .where(
      and(
        eq(plans.bureauCode, bureauCode),
        sql`${findings.rectificationDue} between ${first} and ${last}`,
        sql`not exists (select 1 from ${results} s where s.supersedes_id = ${results.id})`,
      ),
    )
    .orderBy(asc(findings.rectificationDue), asc(units.id));
  let closedOnTime = 0;
  const late: LateRectification[] = [];
  for (const r of dueRows) {
    const due = r.due!;
    const rectifiedOn = r.rectifiedOn ? String(r.rectifiedOn).slice(0, 10) : null;
    if (rectifiedOn && rectifiedOn <= due) {
      closedOnTime++;
      continue;
    }
    late.push({
      ...r,
      due,
      rectifiedOn,
      state: rectifiedOn ? 'late' : due < today ? 'overdue' : 'not-due',
    });
  }
  const closedLate = late.filter((r) => r.state === 'late').length;
  const openOverdue = late.filter((r) => r.state === 'overdue').length;
  const notDue = late.filter((r) => r.state === 'not-due').length;

  // Who answers: the procedure's lead department and group; the plans' approvers and draws' signers
  // (谁抽查、谁签字、谁负责), else the bureau's approvers on the roster of accounts.
  let approvers = [
    ...new Set(
      [
        ...planList.map((p) => p.approver),
        ...drawRows.filter((d) => d.status === 'signed').map((d) => d.signer),
      ].filter((x): x is string => !!x),
    ),
  ];
  if (!approvers.length)
    approvers = (
      await db
        .selectDistinct({ name: users.displayName })
        .from(userRoles)
        .innerJoin(users, eq(users.id, userRoles.userId))
        .where(
          and(
            eq(userRoles.bureauCode, bureauCode),
            or(eq(userRoles.role, 'approver'), eq(userRoles.role, 'district-admin')),
            eq(users.status, 'active'),
          ),
        )
        .orderBy(asc(users.displayName))
    ).map((u) => u.name);

  const card: Scorecard = {
    bureauCode,
    name: bureau.name,
    period,
    asOf,
    missing: [],
    checklist: {
      ok: list !== null,
      source: own ? 'district' : cityList ? 'city' : null,
      version: list?.version ?? null,
      publishedOn: dayOf(list?.publishedAt),
    },
    rosters: {
      ok: rostersOk,
      units: unitRoster.active,
      inspectors: inspectorRoster.active,
      since,
      unitsChangedOn: unitRoster.changedOn,
      inspectorsChangedOn: inspectorRoster.changedOn,
    },
    procedure: {
      ok: !!proc,
      version: proc?.version ?? null,
      publishedOn: dayOf(proc?.publishedAt),
      leadDepartment: procContent?.leadDepartment ?? null,
      leadingGroup: procContent?.leadingGroup ?? null,
    },
    plans: {
      ok: planList.length > 0 && planList.every((p) => p.state === 'on-time'),
      total: planList.length,
      onTime: planList.filter((p) => p.state === 'on-time').length,
      late: planList.filter((p) => p.state === 'late').length,
      notApproved: planList.filter((p) => p.state === 'not-approved').length,
      signedDraws,
    },
    coverage: {
      ok: coverage === null || coverage >= pace,
      year,
      mandatory: obligations.length,
      covered: obligations.length - uncovered.length,
      percent: coverage,
      pace,
    },
    tasks: {
      ok: mine.length > 0 && overdue === 0 && missingTasks.every((t) => t.state !== 'cancelled'),
      total: mine.length,
      done,
      open,
      overdue,
      cancelled,
      cancelledRedrawn,
      completion: pct(done, carriedOutOf),
      cancelReasons: [...reasons].map(([reasonId, n]) => ({ reasonId, tasks: n })),
    },
    publication: {
      ok: !['overdue', 'published-late'].includes(pub.state),
      state: pub.state,
      dueOn: pub.dueOn,
      publishedOn: dayOf(pub.publishedAt),
      inspected,
      pending: pub.pending,
    },
    rectifications: {
      ok: closedLate === 0 && openOverdue === 0,
      due: dueRows.length,
      closedOnTime,
      closedLate,
      openOverdue,
      notDue,
      percent: pct(closedOnTime, closedOnTime + closedLate + openOverdue),
    },
    responsible: {
      leadDepartment: procContent?.leadDepartment ?? null,
      leadingGroup: procContent?.leadingGroup ?? null,
      approvers,
    },
  };
  const okOf: Record<ScorecardCheck, boolean> = {
    checklist: card.checklist.ok,
    rosters: card.rosters.ok,
    procedure: card.procedure.ok,
    plan: card.plans.ok,
    draw: signedDraws > 0,
    coverage: card.coverage.ok,
    tasks: card.tasks.ok,
    publication: card.publication.ok,
    rectifications: card.rectifications.ok,
  };
  card.missing = SCORECARD_CHECKS.filter((c) => !okOf[c]);
  return {
    scorecard: card,
    plans: planList,
    uncovered: drill(uncovered),
    tasks: drill(missingTasks),
    unpublished: drill(unpublished),
    rectifications: drill(late),
  };
}

/**
 * The lead department and leading group of a procedure's content, as text. Procedures saved
 * through the API hold the leading group as text; older ones (the demo seed) as
 * `{ leader, members[] }`.
 */
export function procedureLeads(content: unknown): {
  leadDepartment: string | null;
  leadingGroup: string | null;
} {
  const c = (content ?? {}) as { leadDepartment?: unknown; leadingGroup?: unknown };
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  let leadingGroup = text(c.leadingGroup);
  if (!leadingGroup && c.leadingGroup && typeof c.leadingGroup === 'object') {
    const g = c.leadingGroup as { leader?: unknown; members?: unknown };
    const members = Array.isArray(g.members) ? g.members.filter((m) => typeof m === 'string') : [];
    leadingGroup =
      [text(g.leader) && `组长：${text(g.leader)}`, members.length && `成员：${members.join('、')}`]
        .filter(Boolean)
        .join('；') || null;
  }
  return { leadDepartment: text(c.leadDepartment), leadingGroup };
}

/** The districts (codes) a set of bureaus in reach covers, in code order. */
export async function districtsIn(db: DbOrTx, scope: 'all' | string[]): Promise<string[]> {
  const rows = await db
    .select({ code: bureaus.code })
    .from(bureaus)
    .where(
      and(
        eq(bureaus.level, 'district'),
        scope === 'all' ? undefined : scope.length ? inArray(bureaus.code, scope) : sql`false`,
      ),
    )
    .orderBy(asc(bureaus.code));
  return rows.map((r) => r.code);
}

/** The `n` quarters ending with `period`, oldest first. */
export function quartersUpTo(period: string, n: number): string[] {
  assertQuarter(period);
  const out = [period];
  while (out.length < n) out.unshift(previousQuarter(out[0]!));
  return out;
}
