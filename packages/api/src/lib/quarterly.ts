import { and, asc, eq, gte, inArray, lte, min, sql } from 'drizzle-orm';
import {
  findings,
  inspectors,
  plans,
  publications,
  publishedResults,
  results,
  tasks,
  units,
} from '@spotcheck/db';
import { appendAudit } from '../audit/chain';
import type { DbOrTx } from './db';
import { fail } from './errors';
import { publish } from './publish';
import { publicResult, redactInspector, redactUnit } from './redact';
import { todayInChina } from './scope';
import { addDays, nthWorkdayAfter, workCalendar, workdaysBetween, type WorkCalendar } from './work-calendar';

/**
 * Quarterly publication of inspection results (R15). A result belongs to the quarter of its
 * inspection date (`inspectedOn`), not of the day it was entered. A quarter's results are due
 * within {@link DUE_WORKDAYS} working days after it ends (PRC calendar); the scheduled job
 * publishes them on working day {@link PUBLISH_WORKDAY}, reminds the bureau from working day
 * {@link REMIND_WORKDAY}, and anything inspected in the quarter but entered after its publication
 * goes out in a supplementary publication.
 */
export const DUE_WORKDAYS = 20;
export const PUBLISH_WORKDAY = 15;
export const REMIND_WORKDAY = 10;

const PERIOD = /^(\d{4})-Q([1-4])$/;

/** The quarter `YYYY-Qn` of a date `YYYY-MM-DD`. */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** First and last calendar day of a quarter. */
export function quarterDays(period: string): { first: string; last: string } {
  const m = PERIOD.exec(period);
  if (!m) fail('BAD_REQUEST', 'period', 'quarter.invalid', { period });
  const [y, q] = [Number(m[1]), Number(m[2])];
  const first = `${y}-${String(q * 3 - 2).padStart(2, '0')}-01`;
  const next = q === 4 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
  return { first, last: addDays(next, -1) };
}

/** The quarter before `period`. */
export function previousQuarter(period: string): string {
  const [y, q] = [Number(period.slice(0, 4)), Number(period.slice(6))];
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}

/** When a quarter's results are reminded, published and due. */
export interface QuarterSchedule {
  period: string;
  endsOn: string;
  remindOn: string;
  publishOn: string;
  dueOn: string;
  /** Whether the official holiday arrangement of the window's years is known. */
  calendarKnown: boolean;
}

/** The schedule of a quarter on a calendar. */
export function quarterSchedule(period: string, cal: WorkCalendar = workCalendar()): QuarterSchedule {
  const { last } = quarterDays(period);
  const dueOn = nthWorkdayAfter(cal, last, DUE_WORKDAYS);
  return {
    period,
    endsOn: last,
    remindOn: nthWorkdayAfter(cal, last, REMIND_WORKDAY),
    publishOn: nthWorkdayAfter(cal, last, PUBLISH_WORKDAY),
    dueOn,
    calendarKnown: cal.knowsYear(Number(last.slice(0, 4))) && cal.knowsYear(Number(dueOn.slice(0, 4))),
  };
}

/** One inspected unit in a quarterly publication (public, redacted). */
export type QuarterlyItem = Record<string, unknown>;

/**
 * The results a bureau's quarter would publish now: the latest result of each done task
 * inspected in the quarter (corrections supersede), and which of them are already published.
 */
export async function quarterResults(db: DbOrTx, bureauCode: string, period: string) {
  const { first, last } = quarterDays(period);
  const rows = await db
    .select({ result: results, task: tasks, unit: units })
    .from(results)
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .innerJoin(units, eq(units.id, tasks.unitId))
    .where(
      and(
        eq(plans.bureauCode, bureauCode),
        eq(tasks.status, 'done'),
        gte(results.inspectedOn, first),
        lte(results.inspectedOn, last),
        sql`not exists (select 1 from ${results} s where s.supersedes_id = ${results.id})`,
      ),
    )
    .orderBy(asc(results.inspectedOn), asc(results.recordedAt));
  const ids = rows.map((r) => r.result.id);
  const done = ids.length
    ? await db
        .select({ resultId: publishedResults.resultId })
        .from(publishedResults)
        .where(inArray(publishedResults.resultId, ids))
    : [];
  const published = new Set(done.map((d) => d.resultId));
  return { rows, published };
}

/**
 * Public items for result rows, built through the redaction policy (R16): the named results in
 * inspection-date order, then the results whose unit is withheld (the whole inspection withheld,
 * see {@link publicResult}), with no counts and out of date order so their place in the list
 * does not give their date away.
 */
export async function quarterlyItems(
  db: DbOrTx,
  rows: Awaited<ReturnType<typeof quarterResults>>['rows'],
): Promise<QuarterlyItem[]> {
  const ids = rows.map((r) => r.result.id);
  const f = ids.length ? await db.select().from(findings).where(inArray(findings.resultId, ids)) : [];
  const teamIds = [...new Set(rows.flatMap((r) => r.task.team))];
  const people = teamIds.length
    ? await db.select().from(inspectors).where(inArray(inspectors.id, teamIds))
    : [];
  const named: QuarterlyItem[] = [];
  const withheldRows: QuarterlyItem[] = [];
  for (const r of rows) {
    const mine = f.filter((x) => x.resultId === r.result.id);
    const count = (k: string) => mine.filter((x) => x.kind === k).length;
    const { content, unitWithheld } = publicResult(
      {
        unit: redactUnit(r.unit),
        inspectedOn: r.result.inspectedOn,
        outcome: r.result.outcome,
        team: r.task.team.map((id) => {
          const p = people.find((x) => x.id === id);
          return p ? redactInspector(p) : { name: '', certificateNo: '' };
        }),
        summary: r.result.summary,
        findings: mine.map((x) => ({
          kind: x.kind,
          checklistItemCode: x.checklistItemCode,
          description: x.description,
          rectificationDue: x.rectificationDue,
        })),
      },
      r.result.redactions,
    );
    if (unitWithheld) withheldRows.push({ ...content, counts: null, correction: false });
    else
      named.push({
        ...content,
        counts: {
          violation: count('violation'),
          hazard: count('hazard'),
          majorHazard: count('major-hazard'),
        },
        correction: r.result.supersedesId !== null,
      });
  }
  return [...named, ...withheldRows];
}

/** Outcome of {@link publishQuarter}. */
export interface QuarterPublication {
  status: 'published' | 'supplement' | 'unchanged';
  publicationId: string | null;
  items: number;
}

/**
 * Publishes a bureau's quarter: the first time every result inspected in it, afterwards only the
 * results not yet published (a supplementary publication), never the same result twice and
 * nothing when nothing is new. All or nothing; serialised per bureau and quarter; audited.
 */
export async function publishQuarter(
  db: DbOrTx,
  p: { bureauCode: string; period: string; by: string | null; byRole: string | null; now: Date },
): Promise<QuarterPublication> {
  const { last } = quarterDays(p.period);
  if (todayInChina(p.now) <= last) fail('BAD_REQUEST', 'period', 'quarter.notEnded', { period: p.period });
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`quarterly:${p.bureauCode}:${p.period}`}))`);
    const earlier = await tx
      .select({ id: publications.id })
      .from(publications)
      .where(
        and(
          eq(publications.bureauCode, p.bureauCode),
          eq(publications.kind, 'quarterly-results'),
          eq(publications.period, p.period),
        ),
      )
      .orderBy(asc(publications.publishedAt));
    const { rows, published } = await quarterResults(tx, p.bureauCode, p.period);
    const fresh = rows.filter((r) => !published.has(r.result.id));
    if (earlier.length && !fresh.length)
      return { status: 'unchanged', publicationId: earlier.at(-1)!.id, items: 0 } as const;
    const items = await quarterlyItems(tx, fresh);
    const supplement = earlier.length > 0;
    const pub = await publish(tx, {
      bureauCode: p.bureauCode,
      kind: 'quarterly-results',
      refId: `${p.bureauCode}:${p.period}${supplement ? `:s${earlier.length}` : ''}`,
      period: p.period,
      title: supplement
        ? `${p.period} 随机抽查结果（补充公开 ${earlier.length}）`
        : `${p.period} 随机抽查结果`,
      content: {
        period: p.period,
        supplement,
        supplementTo: supplement ? earlier[0]!.id : null,
        inspected: items.length,
        items,
      },
      by: p.by,
      at: p.now,
    });
    if (fresh.length)
      await tx
        .insert(publishedResults)
        .values(
          fresh.map((r) => ({ bureauCode: pub.bureauCode, resultId: r.result.id, publicationId: pub.id })),
        );
    await appendAudit(
      tx,
      {
        actorUserId: p.by,
        actorRole: p.byRole,
        bureauCode: p.bureauCode,
        action: supplement ? 'publication.quarterly-results.supplement' : 'publication.quarterly-results',
        entity: 'publications',
        entityId: pub.id,
        after: {
          period: p.period,
          inspected: items.length,
          digest: pub.digest,
          resultIds: fresh.map((r) => r.result.id),
        },
      },
      p.now,
    );
    return { status: supplement ? 'supplement' : 'published', publicationId: pub.id, items: items.length };
  });
}

/** Where a bureau stands with one quarter's publication. */
export interface QuarterStatus extends QuarterSchedule {
  bureauCode: string;
  publishedAt: Date | null;
  /** Results inspected in the quarter and not yet published. */
  pending: number;
  state: 'open' | 'upcoming' | 'due-soon' | 'published' | 'published-late' | 'overdue';
  /** Working days left until the deadline (negative once past). */
  workdaysLeft: number;
}

/** The publication status of a bureau's quarter on `today`. */
export async function quarterStatus(
  db: DbOrTx,
  bureauCode: string,
  period: string,
  now: Date,
  cal: WorkCalendar = workCalendar(),
): Promise<QuarterStatus> {
  const s = quarterSchedule(period, cal);
  const today = todayInChina(now);
  const [first] = await db
    .select({ at: publications.publishedAt })
    .from(publications)
    .where(
      and(
        eq(publications.bureauCode, bureauCode),
        eq(publications.kind, 'quarterly-results'),
        eq(publications.period, period),
      ),
    )
    .orderBy(asc(publications.publishedAt))
    .limit(1);
  const { rows, published } = await quarterResults(db, bureauCode, period);
  const pending = rows.filter((r) => !published.has(r.result.id)).length;
  const publishedAt = first?.at ?? null;
  return {
    ...s,
    bureauCode,
    publishedAt,
    pending,
    state: quarterState(s, publishedAt, today),
    workdaysLeft: workdaysBetween(cal, today, s.dueOn),
  };
}

/** Where a quarter on its schedule stands on `today`, given when it was first published (if ever). */
export function quarterState(
  s: QuarterSchedule,
  publishedAt: Date | null,
  today: string,
): QuarterStatus['state'] {
  if (publishedAt) return todayInChina(publishedAt) > s.dueOn ? 'published-late' : 'published';
  if (today <= s.endsOn) return 'open';
  if (today > s.dueOn) return 'overdue';
  return today >= s.remindOn ? 'due-soon' : 'upcoming';
}

/**
 * When each of a bureau's quarters was first published (its first quarterly-results
 * publication), in one statement; a quarter never published is absent.
 */
export async function firstQuarterPublications(
  db: DbOrTx,
  bureauCode: string,
  periods: string[],
): Promise<Map<string, Date>> {
  if (!periods.length) return new Map();
  const rows = await db
    .select({ period: publications.period, at: min(publications.publishedAt) })
    .from(publications)
    .where(
      and(
        eq(publications.bureauCode, bureauCode),
        eq(publications.kind, 'quarterly-results'),
        inArray(publications.period, periods),
      ),
    )
    .groupBy(publications.period);
  return new Map(rows.flatMap((r) => (r.period && r.at ? [[r.period, r.at] as const] : [])));
}
