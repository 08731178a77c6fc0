import { eq } from 'drizzle-orm';
import { plans, tasks } from '@spotcheck/db';
import type { SessionUser } from '../auth/sessions';
import type { Access } from '../trpc';
import type { DbOrTx } from './db';
import { fail, notFound } from './errors';
import { teamOnlyIn } from './team-scope';

/** Task statuses at which a covert (sealed) task counts as executed: the team is on site or done. */
export const EXECUTED = ['in-progress', 'done'] as const;

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
    fail('FORBIDDEN', 'taskId', 'task.notOwnTeam');
  }
  if (row.task.sealed && !member && !(EXECUTED as readonly string[]).includes(row.task.status))
    fail('FORBIDDEN', 'taskId', 'task.covertSealed');
  return row;
}
