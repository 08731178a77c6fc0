import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { experts, inspectors, plans, tasks, units } from '@spotcheck/db';
import { fail, notFound } from '../../lib/errors';
import { bureauFilter } from '../../lib/scope';
import { teamOnlyIn, teamVisibility } from '../../lib/team-scope';
import { ZBureauCodeSchema, ZDateSchema, ZIdSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router, type Access } from '../../trpc';
import type { SessionUser } from '../../auth/sessions';
import type { DbOrTx } from '../../lib/db';

/** Task statuses at which a covert (sealed) task counts as executed: the team is on site or done. */
const EXECUTED = ['in-progress', 'done'] as const;

/**
 * Loads a task with its plan's bureau; inspectors see only their own tasks, and a covert task
 * (R10) is sealed to everyone but its team until the team starts it.
 */
export async function loadTask(db: DbOrTx, taskId: string, access: Access, user: SessionUser) {
  const [row] = await db
    .select({ task: tasks, bureauCode: plans.bureauCode, planKind: plans.kind })
    .from(tasks)
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .where(eq(tasks.id, taskId));
  if (!row) notFound('taskId', 'task', taskId);
  const member = !!user.inspectorId && row.task.team.includes(user.inspectorId);
  access.bureau(row.bureauCode);
  if (teamOnlyIn(user, row.bureauCode) && !member) {
    fail('FORBIDDEN', 'taskId', 'inspectors see only the tasks of their own team');
  }
  if (row.task.sealed && !member && !(EXECUTED as readonly string[]).includes(row.task.status))
    fail('FORBIDDEN', 'taskId', 'a covert inspection is sealed to all but its team until it starts (R10)');
  return row;
}

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

/** Inspection tasks 抽查任务 issued from signed draws. */
export const tasksRouter = router({
  /**
   * Tasks in reach; an inspector sees the tasks of their own team only; covert tasks stay
   * sealed to all but the team until started. Each row carries `teamMembers`
   * (`[{ id, name, certificateNo }]`) and `expertMembers`, so inspectors see who is on their team.
   */
  list: roleProcedure(ROLE_GROUPS.all)
    .input(
      z
        .object({
          bureauCode: ZBureauCodeSchema.optional(),
          planId: ZIdSchema.optional(),
          status: z.enum(['issued', 'in-progress', 'done', 'cancelled']).optional(),
        })
        .default({}),
    )
    .query(async ({ ctx, input }) => {
      const mine = sql`${ctx.user.inspectorId ?? ''} = any(${tasks.team})`;
      const where: (SQL | undefined)[] = [
        bureauFilter(ctx.access, plans.bureauCode, input.bureauCode),
        teamVisibility(ctx.user, plans.bureauCode, tasks.team),
      ];
      where.push(or(eq(tasks.sealed, false), inArray(tasks.status, [...EXECUTED]), mine));
      if (input.planId) where.push(eq(tasks.planId, input.planId));
      if (input.status) where.push(eq(tasks.status, input.status));
      const rows = await ctx.db
        .select({ task: tasks, unitName: units.name, bureauCode: plans.bureauCode, planTitle: plans.title })
        .from(tasks)
        .innerJoin(plans, eq(plans.id, tasks.planId))
        .innerJoin(units, eq(units.id, tasks.unitId))
        .where(and(...where))
        .orderBy(asc(tasks.planId), asc(tasks.sequence))
        .limit(5000);
      const membersOf = await teamMembers(
        ctx.db,
        rows.map((r) => r.task.team),
      );
      const expertsOf = await expertMembers(
        ctx.db,
        rows.map((r) => r.task.experts),
      );
      return rows.map((r) => ({
        ...r,
        teamMembers: membersOf(r.task.team),
        expertMembers: expertsOf(r.task.experts),
      }));
    }),

  /**
   * One task, with the same visibility as `list`: the task, its unit (name, address, industry),
   * plan title and kind, the bureau, `teamMembers` (`[{ id, name, certificateNo }]`) and
   * `expertMembers` (`[{ id, name, title, employer }]`, R5).
   */
  get: roleProcedure(ROLE_GROUPS.all)
    .input(z.object({ id: ZIdSchema }))
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
        })
        .from(tasks)
        .innerJoin(plans, eq(plans.id, tasks.planId))
        .innerJoin(units, eq(units.id, tasks.unitId))
        .where(eq(tasks.id, task.id));
      const membersOf = await teamMembers(ctx.db, [task.team]);
      const expertsOf = await expertMembers(ctx.db, [task.experts]);
      return {
        task,
        bureauCode,
        ...extra!,
        teamMembers: membersOf(task.team),
        expertMembers: expertsOf(task.experts),
      };
    }),

  /** Sets the inspection date of a task (planners). */
  schedule: roleProcedure(ROLE_GROUPS.planners)
    .input(z.object({ taskId: ZIdSchema, scheduledOn: ZDateSchema }))
    .mutation(async ({ ctx, input }) => {
      const { task, bureauCode } = await loadTask(ctx.db, input.taskId, ctx.access, ctx.user);
      if (task.status === 'done' || task.status === 'cancelled')
        fail('CONFLICT', 'taskId', `the task is ${task.status}`);
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
    .mutation(async ({ ctx, input }) => {
      const { task, bureauCode } = await loadTask(ctx.db, input.taskId, ctx.access, ctx.user);
      if (!ctx.user.inspectorId || !task.team.includes(ctx.user.inspectorId))
        fail('FORBIDDEN', 'taskId', 'only a member of the team starts the inspection');
      return ctx.db.transaction(async (tx) => {
        const [after] = await tx
          .update(tasks)
          .set({ status: 'in-progress' })
          .where(and(eq(tasks.id, task.id), eq(tasks.status, 'issued')))
          .returning();
        if (!after) fail('CONFLICT', 'taskId', `the task is ${task.status}`);
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
