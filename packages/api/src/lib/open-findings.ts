import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { findings, plans, results, tasks, units } from '@spotcheck/db';
import type { DbOrTx } from './db';
import { bureauFilter } from './scope';
import type { Access } from '../trpc';
import { z } from 'zod';
import { rowSchema } from './outputs';

/** A row of {@link findingsAwaiting}. */
export const ZFindingAwaitingSchema = z.object({
  finding: rowSchema(findings),
  unitId: z.string(),
  unitName: z.string(),
  inspectedOn: z.string(),
  bureauCode: z.string(),
});

/**
 * Findings of current results (superseded ones left out) in the caller's reach, with their unit,
 * inspection date and bureau, filtered by `where` (e.g. "no case yet", "a major hazard not yet
 * listed"): what awaits 立案 or 挂牌. The page at `page.offset` of at most `page.limit`, in
 * `orderBy`, and how many await in all.
 */
export async function findingsAwaiting(
  db: DbOrTx,
  access: Access,
  bureauCode: string | undefined,
  where: SQL[],
  orderBy: SQL[],
  page: { limit: number; offset: number },
) {
  const matching = and(
    bureauFilter(access, plans.bureauCode, bureauCode),
    sql`not exists (select 1 from ${results} x where x.supersedes_id = ${results.id})`,
    ...where,
  );
  // Units are never deleted: the count needs no join to them.
  const [rows, [count]] = await Promise.all([
    db
      .select({
        finding: findings,
        unitId: units.id,
        unitName: units.name,
        inspectedOn: results.inspectedOn,
        bureauCode: plans.bureauCode,
      })
      .from(findings)
      .innerJoin(results, eq(results.id, findings.resultId))
      .innerJoin(tasks, eq(tasks.id, results.taskId))
      .innerJoin(plans, eq(plans.id, tasks.planId))
      .innerJoin(units, eq(units.id, tasks.unitId))
      .where(matching)
      .orderBy(...orderBy, asc(findings.id))
      .limit(page.limit)
      .offset(page.offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(findings)
      .innerJoin(results, eq(results.id, findings.resultId))
      .innerJoin(tasks, eq(tasks.id, results.taskId))
      .innerJoin(plans, eq(plans.id, tasks.planId))
      .where(matching),
  ]);
  return { rows, total: count!.n };
}
