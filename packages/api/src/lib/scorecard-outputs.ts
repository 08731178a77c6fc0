/** Output schemas of the R25 scorecard procedures (`stats.scorecard`, `stats.scorecardDetail`). */
import { z } from 'zod';
import { SCORECARD_CHECKS } from './scorecard';

const nullableString = z.string().nullable();
const nullableNumber = z.number().nullable();

/** One district's scorecard for a quarter ({@link import('./scorecard').Scorecard}). */
export const ZScorecardSchema = z.object({
  bureauCode: z.string(),
  name: z.string(),
  period: z.string(),
  asOf: z.string(),
  missing: z.array(z.enum(SCORECARD_CHECKS)),
  checklist: z.object({
    ok: z.boolean(),
    source: z.enum(['district', 'city']).nullable(),
    version: nullableNumber,
    publishedOn: nullableString,
  }),
  rosters: z.object({
    ok: z.boolean(),
    units: z.number(),
    inspectors: z.number(),
    since: z.string(),
    unitsChangedOn: nullableString,
    inspectorsChangedOn: nullableString,
  }),
  procedure: z.object({
    ok: z.boolean(),
    version: nullableNumber,
    publishedOn: nullableString,
    leadDepartment: nullableString,
    leadingGroup: nullableString,
  }),
  plans: z.object({
    ok: z.boolean(),
    total: z.number(),
    onTime: z.number(),
    late: z.number(),
    notApproved: z.number(),
    signedDraws: z.number(),
  }),
  coverage: z.object({
    ok: z.boolean(),
    year: z.number(),
    mandatory: z.number(),
    covered: z.number(),
    percent: nullableNumber,
    pace: z.number(),
  }),
  tasks: z.object({
    ok: z.boolean(),
    total: z.number(),
    done: z.number(),
    open: z.number(),
    overdue: z.number(),
    cancelled: z.number(),
    cancelledRedrawn: z.number(),
    completion: nullableNumber,
    cancelReasons: z.array(z.object({ reasonId: z.string(), tasks: z.number() })),
  }),
  publication: z.object({
    ok: z.boolean(),
    state: z.enum(['open', 'upcoming', 'due-soon', 'published', 'published-late', 'overdue']),
    dueOn: z.string(),
    publishedOn: nullableString,
    inspected: z.number(),
    pending: z.number(),
  }),
  rectifications: z.object({
    ok: z.boolean(),
    due: z.number(),
    closedOnTime: z.number(),
    closedLate: z.number(),
    openOverdue: z.number(),
    notDue: z.number(),
    percent: nullableNumber,
  }),
  responsible: z.object({
    leadDepartment: nullableString,
    leadingGroup: nullableString,
    approvers: z.array(z.string()),
  }),
});

/** A drill-down list: the first rows and how many there are. */
function drill<T extends z.ZodType>(row: T) {
  return z.object({ total: z.number(), rows: z.array(row) });
}

/** A scorecard with the rows behind each figure ({@link import('./scorecard').ScorecardDetail}). */
export const ZScorecardDetailSchema = z.object({
  scorecard: ZScorecardSchema,
  plans: z.array(
    z.object({
      planId: z.string(),
      title: z.string(),
      period: z.string(),
      status: z.string(),
      deadline: z.string(),
      approvedOn: nullableString,
      state: z.enum(['on-time', 'late', 'not-approved']),
      approver: nullableString,
      signedDraws: z.number(),
    }),
  ),
  uncovered: drill(
    z.object({
      unitId: z.string(),
      unitName: z.string(),
      minPerYear: z.number(),
      inspections: z.number(),
      reasons: z.unknown(),
    }),
  ),
  tasks: drill(
    z.object({
      taskId: z.string(),
      unitId: z.string(),
      unitName: z.string(),
      planTitle: z.string(),
      status: z.string(),
      state: z.enum(['open', 'overdue', 'cancelled']),
      reasonId: nullableString,
      reason: nullableString,
    }),
  ),
  unpublished: drill(
    z.object({ resultId: z.string(), unitId: z.string(), unitName: z.string(), inspectedOn: z.string() }),
  ),
  rectifications: drill(
    z.object({
      findingId: z.string(),
      unitId: z.string(),
      unitName: z.string(),
      kind: z.string(),
      checklistItemCode: nullableString,
      description: z.string(),
      due: z.string(),
      rectifiedOn: nullableString,
      state: z.enum(['late', 'overdue', 'not-due']),
    }),
  ),
});
