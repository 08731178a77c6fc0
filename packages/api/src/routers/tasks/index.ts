import { and, asc, between, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  checklistItems,
  checklistVersions,
  experts,
  inspectors,
  plans,
  results,
  tasks,
  units,
} from '@spotcheck/db';
import { fail } from '../../lib/errors';
import { EXECUTED, loadTask } from '../../lib/tasks';
import { bureauFilter } from '../../lib/scope';
import { teamVisibility } from '../../lib/team-scope';
import { ZBureauCodeSchema, ZDateSchema, ZIdSchema } from '../../lib/zod';
import { CITY_BUREAU, ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import type { DbOrTx } from '../../lib/db';
import { rowSchema } from '../../lib/outputs';
import { pageFields, pageOf } from '../../lib/paging';

/** A task's status. */
const ZTaskStatusSchema = z.enum(['issued', 'in-progress', 'done', 'cancelled']);
/** Name and certificate number of every team member of the given tasks, by inspector id. */
async function teamMembers(db: DbOrTx, teams: readonly (readonly string[])[]) {
  const ids = [...new Set(teams.flat())];
  const rows = ids.length
    ? await db
        .select({ id: inspectors.id, name: inspectors.name, certificateNo: inspectors.certificateNo })
        .from(inspectors)
        .where(inArray(inspectors.id, ids))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (team: readonly string[]) => team.map((id) => byId.get(id) ?? { id, name: '', certificateNo: '' });
}

/** Resolves expert ids (R5) to their name, title and employer, for task rows. */
async function expertMembers(db: DbOrTx, lists: readonly (readonly string[])[]) {
  const ids = [...new Set(lists.flat())];
  const rows = ids.length
    ? await db
        .select({ id: experts.id, name: experts.name, title: experts.title, employer: experts.employer })
        .from(experts)
        .where(inArray(experts.id, ids))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (list: readonly string[]) =>
    list.map((id) => byId.get(id) ?? { id, name: '', title: '', employer: '' });
}

/**
 * Code and title of each task's checklist items, so notices and forms show "TJ-GEN-005
 * 安全生产责任制" rather than the bare code. A task's codes come from the effective (layered)
 * checklist at issue time (`effectiveChecklist`): the plan's version and the city version it
 * builds on, or the newest published list of the bureau and of the city. Titles are looked up in
 * that order.
 */
async function itemTitles(
  db: DbOrTx,
  rows: readonly { bureauCode: string; versionId: string | null; codes: readonly string[] }[],
) {
  const versions = [...new Set(rows.map((r) => r.versionId).filter((v): v is string => !!v))];
  const baseOf = new Map(
    (versions.length
      ? await db
          .select({ id: checklistVersions.id, baseVersionId: checklistVersions.baseVersionId })
          .from(checklistVersions)
          .where(inArray(checklistVersions.id, versions))
      : []
    ).map((v) => [v.id, v.baseVersionId]),
  );
  const layered = [...new Set([...versions, ...[...baseOf.values()].filter((v): v is string => !!v)])];
  const items = layered.length
    ? await db
        .select({ versionId: checklistItems.versionId, code: checklistItems.code, item: checklistItems.item })
        .from(checklistItems)
        .where(inArray(checklistItems.versionId, layered))
    : [];
  const byKey = new Map(items.map((i) => [`${i.versionId}|${i.code}`, i.item]));
  const fromVersions = (versionId: string | null, code: string) =>
    versionId
      ? (byKey.get(`${versionId}|${code}`) ?? byKey.get(`${baseOf.get(versionId)}|${code}`))
      : undefined;
  // Codes neither layer names: the newest published title in the bureau's list, then the city's.
  const missing = [
    ...new Set(rows.flatMap((r) => r.codes.filter((c) => fromVersions(r.versionId, c) === undefined))),
  ];
  const bureaus = [...new Set([...rows.map((r) => r.bureauCode), CITY_BUREAU])];
  const published = missing.length
    ? await db
        .select({
          bureauCode: checklistVersions.bureauCode,
          code: checklistItems.code,
          item: checklistItems.item,
        })
        .from(checklistItems)
        .innerJoin(checklistVersions, eq(checklistVersions.id, checklistItems.versionId))
        .where(
          and(
            inArray(checklistItems.code, missing),
            inArray(checklistVersions.bureauCode, bureaus),
            eq(checklistVersions.status, 'published'),
          ),
        )
        .orderBy(desc(checklistVersions.version))
    : [];
  const newest = new Map<string, string>();
  for (const p of published) {
    const key = `${p.bureauCode}|${p.code}`;
    if (!newest.has(key)) newest.set(key, p.item);
  }
  return (bureauCode: string, versionId: string | null, codes: readonly string[]) =>
    codes.map((code) => ({
      code,
      item:
        fromVersions(versionId, code) ??
        newest.get(`${bureauCode}|${code}`) ??
        newest.get(`${CITY_BUREAU}|${code}`) ??
        '',
    }));
}

/** The inspection date of each task's newest result (a correction dates the inspection anew). */
async function inspectionDates(db: DbOrTx, taskIds: readonly string[]) {
  const rows = taskIds.length
    ? await db
        .selectDistinctOn([results.taskId], { taskId: results.taskId, inspectedOn: results.inspectedOn })
        .from(results)
        .where(inArray(results.taskId, [...taskIds]))
        .orderBy(results.taskId, sql`${results.recordedAt} desc`)
    : [];
  const byTask = new Map(rows.map((r) => [r.taskId, r.inspectedOn]));
  return (taskId: string) => byTask.get(taskId) ?? null;
}

const unitCols = rowSchema(units).shape;
const planCols = rowSchema(plans).shape;
/** What `tasks.list` and `tasks.get` add to a task: its people, checklist items and inspection date. */
const ZTaskExtrasSchema = z.object({
  teamMembers: z.array(z.object({ id: z.string(), name: z.string(), certificateNo: z.string() })),
  expertMembers: z.array(
    z.object({ id: z.string(), name: z.string(), title: z.string(), employer: z.string() }),
  ),
  checklistItems: z.array(z.object({ code: z.string(), item: z.string() })),
  inspectedOn: z.string().nullable(),
});

/** The largest draw sequence a task can have (PostgreSQL `integer`). */
const INT4_MAX = 2_147_483_647;

/** Inspection tasks 抽查任务 issued from signed draws. */
export const tasksRouter = router({
  /**
   * Tasks in reach, a page at a time; an inspector sees the tasks of their own team only; covert
   * tasks stay sealed to all but the team until started. `rows` is the page (at `offset`, at most
   * `limit`, in `order`); `total` counts every matching task (a city plan issues
   * 10^5 of them, so no list is cut short without saying so). `mine` keeps the tasks of the
   * caller's own team; `status` is one status or several. Each row carries `teamMembers`
   * (`[{ id, name, certificateNo }]`) and `expertMembers`, so inspectors see who is on their team,
   * `checklistItems` (`[{ code, item }]`), the unit's address and `inspectedOn` (the date of the
   * task's newest result, null before one): enough to print a plan's notices a page at a time.
   */
  list: roleProcedure(ROLE_GROUPS.all)
    .input(
      z
        .object({
          bureauCode: ZBureauCodeSchema.optional(),
          planId: ZIdSchema.optional(),
          status: z.union([ZTaskStatusSchema, z.array(ZTaskStatusSchema).min(1)]).optional(),
          mine: z.boolean().optional(),
          /** `plan`: plan and draw order (the default); `day`: by inspection or scheduled day, undated last. */
          order: z.enum(['plan', 'day']).default('plan'),
          /**
           * Keyset paging in plan order: the tasks after this one (its plan, sequence and id, as
           * the last row of the page before gives them); `offset` is then ignored. A reader of
           * every task takes the same time a page, where a deep offset reads every row before it.
           */
          after: z.object({ planId: ZIdSchema, sequence: z.number().int(), id: ZIdSchema }).optional(),
          /**
           * The tasks of `planId` whose draw sequence is in `from`…`to` (both included): a batch of
           * a plan's notices that stays the same batch whatever is cancelled meanwhile (an offset
           * batch would skip or repeat a notice). The answer then gives `lastSequence`.
           */
          sequences: z
            .object({
              from: z.number().int().min(1).max(INT4_MAX),
              to: z.number().int().min(1).max(INT4_MAX),
            })
            .refine((r) => r.from <= r.to, { path: ['to'], message: '`to` must not be before `from`' })
            .optional(),
          ...pageFields(),
        })
        .refine((x) => !x.after || x.order === 'plan', {
          path: ['after'],
          message: 'keyset paging follows the plan order: leave out `order` or set it to "plan"',
        })
        .refine((x) => !x.sequences || x.planId, {
          path: ['sequences'],
          message: 'draw sequences number the tasks of one plan: give `planId` too',
        })
        .default({ order: 'plan', limit: 100, offset: 0 }),
    )
    .output(
      pageOf(
        ZTaskExtrasSchema.extend({
          task: rowSchema(tasks),
          unitName: unitCols.name,
          unitAddress: unitCols.address,
          bureauCode: z.string(),
          planTitle: z.string(),
        }),
      ).extend({
        /** With `sequences`: the highest draw sequence of every matching task, whatever the range (null: none). */
        lastSequence: z.number().nullable().optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const mine = sql`${ctx.user.inspectorId ?? ''} = any(${tasks.team})`;
      const where: (SQL | undefined)[] = [
        bureauFilter(ctx.access, plans.bureauCode, input.bureauCode),
        teamVisibility(ctx.user, plans.bureauCode, tasks.team),
      ];
      where.push(or(eq(tasks.sealed, false), inArray(tasks.status, [...EXECUTED]), mine));
      if (input.mine) where.push(ctx.user.inspectorId ? mine : sql`false`);
      if (input.planId) where.push(eq(tasks.planId, input.planId));
      if (input.status)
        where.push(inArray(tasks.status, Array.isArray(input.status) ? input.status : [input.status]));
      const matching = and(...where);
      const inRange = input.sequences
        ? and(matching, between(tasks.sequence, input.sequences.from, input.sequences.to))
        : matching;
      const [rows, [count], last] = await Promise.all([
        ctx.db
          .select({
            task: tasks,
            unitName: units.name,
            unitAddress: units.address,
            bureauCode: plans.bureauCode,
            planTitle: plans.title,
            checklistVersionId: plans.checklistVersionId,
          })
          .from(tasks)
          .innerJoin(plans, eq(plans.id, tasks.planId))
          .innerJoin(units, eq(units.id, tasks.unitId))
          .where(
            input.after
              ? and(
                  inRange,
                  sql`(${tasks.planId}, ${tasks.sequence}, ${tasks.id}) > (${input.after.planId}::uuid, ${input.after.sequence}::int, ${input.after.id}::uuid)`,
                )
              : inRange,
          )
          .orderBy(
            ...(input.order === 'day'
              ? // The day shown: the newest result's inspection day, else the scheduled one (as
                // dates, whatever the session's DateStyle). Computed for every task in reach
                // before the page is cut: ~0.5 s a page at 10^5 tasks, against 70 ms in plan order.
                [
                  sql`coalesce((SELECT r.inspected_on::date FROM ${results} r WHERE r.task_id = ${tasks.id}
                    ORDER BY r.recorded_at DESC LIMIT 1), ${tasks.scheduledOn}) ASC NULLS LAST`,
                ]
              : []),
            asc(tasks.planId),
            asc(tasks.sequence),
            asc(tasks.id),
          )
          .limit(input.limit)
          .offset(input.after ? 0 : input.offset),
        // Units are never deleted, so the count needs no join to them.
        ctx.db
          .select({ n: sql<number>`count(*)::int` })
          .from(tasks)
          .innerJoin(plans, eq(plans.id, tasks.planId))
          .where(inRange),
        input.sequences
          ? ctx.db
              .select({ n: sql<number | null>`max(${tasks.sequence})` })
              .from(tasks)
              .innerJoin(plans, eq(plans.id, tasks.planId))
              .where(matching)
          : null,
      ]);
      const membersOf = await teamMembers(
        ctx.db,
        rows.map((r) => r.task.team),
      );
      const expertsOf = await expertMembers(
        ctx.db,
        rows.map((r) => r.task.experts),
      );
      const titlesOf = await itemTitles(
        ctx.db,
        rows.map((r) => ({
          bureauCode: r.bureauCode,
          versionId: r.checklistVersionId,
          codes: r.task.checklistItemCodes,
        })),
      );
      const inspectedOn = await inspectionDates(
        ctx.db,
        rows.map((r) => r.task.id),
      );
      return {
        rows: rows.map(({ checklistVersionId, ...r }) => ({
          ...r,
          teamMembers: membersOf(r.task.team),
          expertMembers: expertsOf(r.task.experts),
          checklistItems: titlesOf(r.bureauCode, checklistVersionId, r.task.checklistItemCodes),
          inspectedOn: inspectedOn(r.task.id),
        })),
        total: count!.n,
        ...(last ? { lastSequence: last[0]?.n ?? null } : {}),
      };
    }),

  /**
   * One task, with the same visibility as `list`: the task, its unit (name, address, industry),
   * plan title and kind, the bureau, `teamMembers` (`[{ id, name, certificateNo }]`),
   * `expertMembers` (`[{ id, name, title, employer }]`, R5), `checklistItems` (`[{ code, item }]`)
   * and `inspectedOn` (the newest result's inspection date, or null).
   */
  get: roleProcedure(ROLE_GROUPS.all)
    .input(z.object({ id: ZIdSchema }))
    .output(
      ZTaskExtrasSchema.extend({
        task: rowSchema(tasks),
        bureauCode: z.string(),
        planTitle: z.string(),
        planKind: planCols.kind,
        planPeriod: z.string(),
        unitName: unitCols.name,
        unitAddress: unitCols.address,
        unitIndustry: unitCols.industry,
      }),
    )
    .query(async ({ ctx, input }) => {
      const { task, bureauCode } = await loadTask(ctx.db, input.id, ctx.access, ctx.user);
      const [extra] = await ctx.db
        .select({
          planTitle: plans.title,
          planKind: plans.kind,
          planPeriod: plans.period,
          unitName: units.name,
          unitAddress: units.address,
          unitIndustry: units.industry,
          checklistVersionId: plans.checklistVersionId,
        })
        .from(tasks)
        .innerJoin(plans, eq(plans.id, tasks.planId))
        .innerJoin(units, eq(units.id, tasks.unitId))
        .where(eq(tasks.id, task.id));
      const membersOf = await teamMembers(ctx.db, [task.team]);
      const expertsOf = await expertMembers(ctx.db, [task.experts]);
      const { checklistVersionId, ...rest } = extra!;
      const titlesOf = await itemTitles(ctx.db, [
        { bureauCode, versionId: checklistVersionId, codes: task.checklistItemCodes },
      ]);
      return {
        task,
        bureauCode,
        ...rest,
        teamMembers: membersOf(task.team),
        expertMembers: expertsOf(task.experts),
        checklistItems: titlesOf(bureauCode, checklistVersionId, task.checklistItemCodes),
        inspectedOn: (await inspectionDates(ctx.db, [task.id]))(task.id),
      };
    }),

  /** Sets the inspection date of a task (planners). */
  schedule: roleProcedure(ROLE_GROUPS.planners)
    .input(z.object({ taskId: ZIdSchema, scheduledOn: ZDateSchema }))
    .output(rowSchema(tasks))
    .mutation(async ({ ctx, input }) => {
      const { task, bureauCode } = await loadTask(ctx.db, input.taskId, ctx.access, ctx.user);
      if (task.status === 'done' || task.status === 'cancelled')
        fail('CONFLICT', 'taskId', 'task.wrongStatus', { status: task.status });
      return ctx.db.transaction(async (tx) => {
        const [after] = await tx
          .update(tasks)
          .set({ scheduledOn: input.scheduledOn })
          .where(eq(tasks.id, task.id))
          .returning();
        await ctx.audit(tx, {
          bureauCode,
          action: 'task.schedule',
          entity: 'tasks',
          entityId: task.id,
          before: { scheduledOn: task.scheduledOn },
          after: { scheduledOn: input.scheduledOn },
        });
        return after!;
      });
    }),

  /** A team member starts the inspection. */
  start: roleProcedure(['inspector'])
    .input(z.object({ taskId: ZIdSchema }))
    .output(rowSchema(tasks))
    .mutation(async ({ ctx, input }) => {
      const { task, bureauCode } = await loadTask(ctx.db, input.taskId, ctx.access, ctx.user);
      if (!ctx.user.inspectorId || !task.team.includes(ctx.user.inspectorId))
        fail('FORBIDDEN', 'taskId', 'task.onlyTeamStarts');
      return ctx.db.transaction(async (tx) => {
        const [after] = await tx
          .update(tasks)
          .set({ status: 'in-progress' })
          .where(and(eq(tasks.id, task.id), eq(tasks.status, 'issued')))
          .returning();
        if (!after) fail('CONFLICT', 'taskId', 'task.wrongStatus', { status: task.status });
        await ctx.audit(tx, {
          bureauCode,
          action: 'task.start',
          entity: 'tasks',
          entityId: task.id,
          before: { status: task.status },
          after: { status: 'in-progress' },
        });
        return after;
      });
    }),
});
