import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { plans, tasks, units } from '@spotcheck/db';
import { fail, notFound } from '../../lib/errors';
import { bureauFilter } from '../../lib/scope';
import { ZBureauCodeSchema, ZDateSchema, ZIdSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router, type Access } from '../../trpc';
import type { SessionUser } from '../../auth/sessions';
import type { DbOrTx } from '../../lib/db';

/** Whether the user reads a task only as a team member (an inspector without staff roles there). */
function teamOnly(access: Access, user: SessionUser, bureauCode: string): boolean {
  return access.bureau(bureauCode) === 'inspector';
}

/** Loads a task with its plan's bureau; inspectors see only their own tasks. */
export async function loadTask(db: DbOrTx, taskId: string, access: Access, user: SessionUser) {
  const [row] = await db
    .select({ task: tasks, bureauCode: plans.bureauCode, planKind: plans.kind })
    .from(tasks)
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .where(eq(tasks.id, taskId));
  if (!row) notFound('taskId', 'task', taskId);
  if (
    teamOnly(access, user, row.bureauCode) &&
    !(user.inspectorId && row.task.team.includes(user.inspectorId))
  ) {
    fail('FORBIDDEN', 'taskId', 'inspectors see only the tasks of their own team');
  }
  return row;
}

/** Inspection tasks 抽查任务 issued from signed draws. */
export const tasksRouter = router({
  /** Tasks in reach; an inspector sees the tasks of their own team only. */
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
      const staff = ctx.user.roles.some((g) => g.role !== 'inspector');
      const where: (SQL | undefined)[] = [bureauFilter(ctx.access, plans.bureauCode, input.bureauCode)];
      if (!staff) where.push(sql`${ctx.user.inspectorId ?? ''} = any(${tasks.team})`);
      if (input.planId) where.push(eq(tasks.planId, input.planId));
      if (input.status) where.push(eq(tasks.status, input.status));
      return ctx.db
        .select({ task: tasks, unitName: units.name, bureauCode: plans.bureauCode, planTitle: plans.title })
        .from(tasks)
        .innerJoin(plans, eq(plans.id, tasks.planId))
        .innerJoin(units, eq(units.id, tasks.unitId))
        .where(and(...where))
        .orderBy(asc(tasks.planId), asc(tasks.sequence))
        .limit(5000);
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
