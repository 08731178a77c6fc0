import { and, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { PlanStatus } from '@spotcheck/core';
import { DrawInputError } from '@spotcheck/core';
import { draws, plans, publications } from '@spotcheck/db';
import type { DbOrTx } from './db';
import { fail, notFound } from './errors';

/** A plan row. */
export type PlanRow = typeof plans.$inferSelect;
/** A draw row. */
export type DrawRow = typeof draws.$inferSelect;
/** Draw statuses. */
export type DrawStatus = DrawRow['status'];

/**
 * A draw without its rows (frame, excluded, inspector and expert rows, avoidance reasons,
 * result): for a city plan those are ~10^8 bytes of JSON, read only where they are used.
 */
export type DrawHeader = Omit<
  DrawRow,
  'frame' | 'inspectorRows' | 'excluded' | 'expertRows' | 'avoidanceReasons' | 'result'
>;
const {
  frame: _frame,
  inspectorRows: _inspectorRows,
  excluded: _excluded,
  expertRows: _expertRows,
  avoidanceReasons: _avoidanceReasons,
  result: _result,
  ...headerColumns
} = getTableColumns(draws);
/** The columns of a {@link DrawHeader}. */
export const drawHeaderColumns = headerColumns;

/**
 * Moves a plan between workflow states with a conditional UPDATE … WHERE status IN (…), so two
 * concurrent requests cannot both pass: the loser gets a CONFLICT naming the current state.
 */
export async function transitionPlan(
  tx: DbOrTx,
  planId: string,
  from: PlanStatus[],
  to: PlanStatus,
  now: Date,
  set: Partial<PlanRow> = {},
): Promise<PlanRow> {
  const [row] = await tx
    .update(plans)
    .set({ ...set, status: to, updatedAt: now })
    .where(and(eq(plans.id, planId), inArray(plans.status, from)))
    .returning();
  if (row) return row;
  const current = await tx.query.plans.findFirst({ where: (p, { eq }) => eq(p.id, planId) });
  if (!current) notFound('planId', 'plan', planId);
  return fail('CONFLICT', 'planId', 'plan.wrongStatus', {
    status: current.status,
    expected: from.join(' or '),
  });
}

/** Same as {@link transitionPlan} for a draw attempt. */
export async function transitionDraw(
  tx: DbOrTx,
  drawId: string,
  from: DrawStatus[],
  to: DrawStatus,
  set: Partial<DrawRow> = {},
): Promise<DrawRow> {
  const [row] = await tx
    .update(draws)
    .set({ ...set, status: to })
    .where(and(eq(draws.id, drawId), inArray(draws.status, from)))
    .returning();
  return row ?? drawConflict(tx, drawId, from);
}

/** {@link transitionDraw} returning the draw's header only (its rows are not read back). */
export async function transitionDrawHeader(
  tx: DbOrTx,
  drawId: string,
  from: DrawStatus[],
  to: DrawStatus,
  set: Partial<DrawRow> = {},
): Promise<DrawHeader> {
  const [row] = await tx
    .update(draws)
    .set({ ...set, status: to })
    .where(and(eq(draws.id, drawId), inArray(draws.status, from)))
    .returning(drawHeaderColumns);
  return row ?? drawConflict(tx, drawId, from);
}

/** The refusal of a draw transition that matched no row: not found, or in another state. */
async function drawConflict(tx: DbOrTx, drawId: string, from: DrawStatus[]): Promise<never> {
  const [current] = await tx
    .select({ attempt: draws.attempt, status: draws.status })
    .from(draws)
    .where(eq(draws.id, drawId));
  if (!current) notFound('drawId', 'draw', drawId);
  return fail('CONFLICT', 'drawId', 'draw.wrongStatus', {
    attempt: current.attempt,
    status: current.status,
    expected: from.join(' or '),
  });
}

/** Runs sr-draw/v1 library code, turning its input errors into 4xx errors naming the path. */
export function drawStep<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DrawInputError)
      fail('PRECONDITION_FAILED', field, 'draw.inputRefused', { detail: err.message });
    throw err;
  }
}

/** Loads a plan and checks the caller reaches its bureau. */
export async function loadPlan(
  db: DbOrTx,
  planId: string,
  access: { bureau(code: string): unknown },
): Promise<PlanRow> {
  const plan = await db.query.plans.findFirst({ where: (p, { eq }) => eq(p.id, planId) });
  if (!plan) notFound('planId', 'plan', planId);
  access.bureau(plan.bureauCode);
  return plan;
}

/** Loads a draw with its plan and checks the caller reaches the plan's bureau. */
export async function loadDraw(
  db: DbOrTx,
  drawId: string,
  access: { bureau(code: string): unknown },
): Promise<{ draw: DrawRow; plan: PlanRow }> {
  const draw = await db.query.draws.findFirst({ where: (d, { eq }) => eq(d.id, drawId) });
  if (!draw) notFound('drawId', 'draw', drawId);
  const plan = await loadPlan(db, draw.planId, access);
  return { draw, plan };
}

/** {@link loadDraw} without the draw's rows ({@link DrawHeader}). */
export async function loadDrawHeader(
  db: DbOrTx,
  drawId: string,
  access: { bureau(code: string): unknown },
): Promise<{ draw: DrawHeader; plan: PlanRow }> {
  const [draw] = await db.select(drawHeaderColumns).from(draws).where(eq(draws.id, drawId));
  if (!draw) notFound('drawId', 'draw', drawId);
  const plan = await loadPlan(db, draw.planId, access);
  return { draw, plan };
}

/**
 * Whether a covert (sealed, R10) plan's draw is still sealed: until it is executed (its draw
 * published once every task started), nobody reads its frame, teams or result here — the same
 * rule `tasks.get` applies to its tasks.
 */
export async function sealedNow(
  db: DbOrTx,
  plan: Pick<PlanRow, 'sealed'>,
  draw: Pick<DrawRow, 'id'>,
): Promise<boolean> {
  if (!plan.sealed) return false;
  const [pub] = await db
    .select({ id: publications.id })
    .from(publications)
    .where(and(eq(publications.kind, 'draw'), eq(publications.refId, draw.id)))
    .limit(1);
  return !pub;
}
