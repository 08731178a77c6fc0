import { and, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { bureaus, unitCounts } from '@spotcheck/db';
import { districtScorecard, districtsIn, quartersUpTo } from '../../lib/scorecard';
import { scorecardWorkbook } from '../../lib/scorecard-xlsx';
import { bureauFilter } from '../../lib/scope';
import { ZBureauCodeSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router, type Access } from '../../trpc';
import type { DbOrTx } from '../../lib/db';
import { CITY_BUREAU_CODE } from '@spotcheck/core';
import { ZScorecardDetailSchema, ZScorecardSchema } from '../../lib/scorecard-outputs';

/** Per-bureau counts of what 一单两库一制度 and the workflow require (R20, R25). */
export interface BureauStats {
  bureauCode: string;
  name: string;
  units: number;
  inspectors: number;
  publishedChecklists: number;
  publishedProcedures: number;
  plans: number;
  signedDraws: number;
  tasks: number;
  tasksDone: number;
}

async function bureauStats(db: DbOrTx, year: string, where?: SQL): Promise<BureauStats[]> {
  // Units from the trigger-kept counts (a sum over a few hundred rows, not a count of 10^6
  // units); a bureau's tasks of the year counted in one pass for both figures.
  const res = await db.execute(sql`
    select ${bureaus.code} as "bureauCode", ${bureaus.name} as name,
      coalesce((select sum(uc.units) from unit_counts uc where uc.bureau_code = ${bureaus.code} and uc.status = 'active'), 0)::int as units,
      (select count(*)::int from inspectors i where i.bureau_code = ${bureaus.code} and i.status = 'active') as inspectors,
      (select count(*)::int from checklist_versions c where c.bureau_code = ${bureaus.code} and c.status = 'published') as "publishedChecklists",
      (select count(*)::int from procedures p where p.bureau_code = ${bureaus.code} and p.status = 'published') as "publishedProcedures",
      (select count(*)::int from plans p where p.bureau_code = ${bureaus.code} and p.period like ${year + '%'}) as plans,
      (select count(*)::int from draws d join plans p on p.id = d.plan_id where p.bureau_code = ${bureaus.code} and p.period like ${year + '%'} and d.status = 'signed') as "signedDraws",
      tc.tasks, tc."tasksDone"
    from ${bureaus}
    cross join lateral (
      select count(*) filter (where t.status <> 'cancelled')::int as tasks,
        count(*) filter (where t.status = 'done')::int as "tasksDone"
      from tasks t join plans p on p.id = t.plan_id
      where p.bureau_code = ${bureaus.code} and p.period like ${year + '%'}) tc
    ${where ? sql`where ${where}` : sql``}
    order by ${bureaus.code}`);
  return (res as { rows: BureauStats[] }).rows ?? (res as BureauStats[]);
}

/**
 * Active units per value of a column the trigger-kept counts have (industry, risk grade), largest
 * first: a sum over a few hundred rows instead of a count of a city's 10^6 units.
 */
async function countBy(db: DbOrTx, column: PgColumn, where: SQL | undefined) {
  const n = sql<number>`sum(${unitCounts.units})::int`;
  const rows = await db
    .select({ key: sql<string>`${column}`, units: n })
    .from(unitCounts)
    .where(and(eq(unitCounts.status, 'active'), where))
    .groupBy(column)
    .having(sql`sum(${unitCounts.units}) > 0`)
    .orderBy(sql`sum(${unitCounts.units}) desc`, column);
  return rows.map((r) => ({ key: String(r.key), units: r.units }));
}

/** A count of active units per value of a roster column. */
const ZCountsSchema = z.array(z.object({ key: z.string(), units: z.number() }));

/** A quarter `YYYY-Qn`. */
const ZQuarterSchema = z.string().regex(/^\d{4}-Q[1-4]$/, 'expected a quarter YYYY-Qn');

/** The districts a scorecard call covers: one named (checked) or every district in reach. */
async function districtsFor(ctx: { db: DbOrTx; access: Access }, bureauCode?: string) {
  if (bureauCode) {
    ctx.access.bureau(bureauCode);
    return [bureauCode];
  }
  return districtsIn(ctx.db, ctx.access.scope);
}

/** City dashboards across districts (R23) and the district scorecard (R25). */
export const statsRouter = router({
  /**
   * The target roster in figures, for charts: active units of one bureau (or every bureau in
   * reach) by risk grade, credit grade and industry (`[{ key, units }]`, largest first), plus
   * the flags the rule packs weigh (major hazard, blacklist, joint punishment, key unit).
   */
  roster: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ bureauCode: ZBureauCodeSchema.optional() }).default({}))
    .output(
      z.object({
        bureauCode: z.string().nullable(),
        units: z.number(),
        majorHazard: z.number(),
        blacklisted: z.number(),
        jointPunishment: z.number(),
        keyUnit: z.number(),
        riskGrade: ZCountsSchema,
        creditGrade: ZCountsSchema,
        industry: ZCountsSchema,
      }),
    )
    .query(async ({ ctx, input }) => {
      const counted = bureauFilter(ctx.access, unitCounts.bureauCode, input.bureauCode);
      // All from the kept counts: a handful of rows per bureau, never a scan of the units.
      const [riskGrade, industry, byCredit] = await Promise.all([
        countBy(ctx.db, unitCounts.riskGrade, counted),
        countBy(ctx.db, unitCounts.industry, counted),
        ctx.db
          .select({
            key: unitCounts.creditGrade,
            units: sql<number>`sum(${unitCounts.units})::int`,
            majorHazard: sql<number>`sum(${unitCounts.majorHazard})::int`,
            blacklisted: sql<number>`sum(${unitCounts.blacklisted})::int`,
            jointPunishment: sql<number>`sum(${unitCounts.jointPunishment})::int`,
            keyUnit: sql<number>`sum(${unitCounts.keyUnit})::int`,
          })
          .from(unitCounts)
          .where(and(eq(unitCounts.status, 'active'), counted))
          .groupBy(unitCounts.creditGrade)
          .having(sql`sum(${unitCounts.units}) > 0`),
      ]);
      const sum = (k: 'units' | 'majorHazard' | 'blacklisted' | 'jointPunishment' | 'keyUnit') =>
        byCredit.reduce((n, r) => n + r[k], 0);
      const creditGrade = byCredit
        .map((r) => ({ key: String(r.key), units: r.units }))
        .sort((a, b) => b.units - a.units || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return {
        bureauCode: input.bureauCode ?? null,
        units: sum('units'),
        majorHazard: sum('majorHazard'),
        blacklisted: sum('blacklisted'),
        jointPunishment: sum('jointPunishment'),
        keyUnit: sum('keyUnit'),
        riskGrade,
        creditGrade,
        industry,
      };
    }),

  /** Counts per bureau in reach: the city sees every district, a district itself. */
  overview: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ year: z.string().regex(/^\d{4}$/), bureauCode: ZBureauCodeSchema.optional() }))
    .output(
      z.array(
        z.object({
          bureauCode: z.string(),
          name: z.string(),
          units: z.number(),
          inspectors: z.number(),
          publishedChecklists: z.number(),
          publishedProcedures: z.number(),
          plans: z.number(),
          signedDraws: z.number(),
          tasks: z.number(),
          tasksDone: z.number(),
        }),
      ),
    )
    .query(async ({ ctx, input }) => {
      // Only the bureaus asked for and in reach are counted (a district's workbench counts itself).
      const all = await bureauStats(
        ctx.db,
        input.year,
        bureauFilter(ctx.access, bureaus.code, input.bureauCode),
      );
      return all.filter((b) =>
        input.bureauCode ? b.bureauCode === input.bureauCode : ctx.access.reaches(b.bureauCode),
      );
    }),

  /** Which district lacks a list, roster, procedure, plan or draw this year (city and auditors). */
  assessment: roleProcedure(['city-admin', 'auditor'])
    .input(z.object({ year: z.string().regex(/^\d{4}$/) }))
    .query(async ({ ctx, input }) => {
      ctx.access.bureau(CITY_BUREAU_CODE);
      const all = await bureauStats(ctx.db, input.year);
      return all
        .filter((b) => b.bureauCode !== CITY_BUREAU_CODE)
        .map((b) => ({
          ...b,
          missing: [
            b.publishedChecklists ? null : 'checklist',
            b.units ? null : 'target-roster',
            b.inspectors ? null : 'inspector-roster',
            b.publishedProcedures ? null : 'procedure',
            b.plans ? null : 'plan',
            b.signedDraws ? null : 'draw',
          ].filter((x): x is string => x !== null),
          completion: b.tasks ? Math.round((1000 * b.tasksDone) / b.tasks) / 10 : 0,
        }));
    }),

  /**
   * R25: the scorecard of each district in reach for a quarter (the city sees every district, a
   * district itself): checklist in force, rosters current, procedure, plans approved on time,
   * draws, mandatory coverage, tasks done and cancelled with reasons, results published and
   * rectifications closed on time, and who answers for them. Figures are taken on the quarter's
   * last day, or today while it runs.
   */
  scorecard: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ period: ZQuarterSchema, bureauCode: ZBureauCodeSchema.optional() }))
    .output(z.array(ZScorecardSchema))
    .query(async ({ ctx, input }) => {
      const out = [];
      for (const code of await districtsFor(ctx, input.bureauCode))
        out.push((await districtScorecard(ctx.db, code, input.period, ctx.now())).scorecard);
      return out;
    }),

  /** R25: one district's scorecard with the rows behind each figure (what is missing). */
  scorecardDetail: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ period: ZQuarterSchema, bureauCode: ZBureauCodeSchema }))
    .output(ZScorecardDetailSchema)
    .query(({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      return districtScorecard(ctx.db, input.bureauCode, input.period, ctx.now());
    }),

  /** R25: a district's headline figures over the `quarters` quarters ending with `period`, for charts. */
  scorecardTrend: roleProcedure(ROLE_GROUPS.staff)
    .input(
      z.object({
        period: ZQuarterSchema,
        bureauCode: ZBureauCodeSchema,
        quarters: z.number().int().min(1).max(12).default(4),
      }),
    )
    .output(
      z.object({
        bureauCode: z.string(),
        points: z.array(
          z.object({
            period: z.string(),
            coverage: z.number().nullable(),
            completion: z.number().nullable(),
            rectifications: z.number().nullable(),
            done: z.number(),
            cancelled: z.number(),
            missing: z.number(),
          }),
        ),
      }),
    )
    .query(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      const points = [];
      for (const period of quartersUpTo(input.period, input.quarters)) {
        const s = (await districtScorecard(ctx.db, input.bureauCode, period, ctx.now())).scorecard;
        points.push({
          period,
          coverage: s.coverage.percent,
          completion: s.tasks.completion,
          rectifications: s.rectifications.percent,
          done: s.tasks.done,
          cancelled: s.tasks.cancelled,
          missing: s.missing.length,
        });
      }
      return { bureauCode: input.bureauCode, points };
    }),

  /** R25: the quarter's scorecards of the districts in reach as an XLSX workbook (base64). */
  scorecardExport: roleProcedure(ROLE_GROUPS.staff)
    .input(
      z.object({
        period: ZQuarterSchema,
        bureauCode: ZBureauCodeSchema.optional(),
        lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
      }),
    )
    .output(z.object({ filename: z.string(), mime: z.string(), base64: z.string() }))
    .query(async ({ ctx, input }) => {
      const details = [];
      for (const code of await districtsFor(ctx, input.bureauCode))
        details.push(await districtScorecard(ctx.db, code, input.period, ctx.now()));
      const data = await scorecardWorkbook(details, input.lang);
      return {
        filename: `scorecard-${input.period}${input.bureauCode ? `-${input.bureauCode}` : ''}.xlsx`,
        mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        base64: data.toString('base64'),
      };
    }),
});
