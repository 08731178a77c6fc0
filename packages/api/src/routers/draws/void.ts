import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { tasks, users } from '@spotcheck/db';
import { fail } from '../../lib/errors';
import { publish } from '../../lib/publish';
import { loadDraw, transitionDraw, transitionPlan, type DrawRow } from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { roleProcedure } from '../../trpc';

/** Roles that may ask for a draw to be voided. */
export const VOID_REQUESTERS = ['draw-operator', 'approver', 'district-admin', 'city-admin'] as const;
/** Roles that may approve a void (never the requester in person). */
export const VOID_APPROVERS = ['approver', 'district-admin', 'city-admin'] as const;

/** The status a draw returns to when a void request is rejected. */
function statusBeforeVoid(d: DrawRow): DrawRow['status'] {
  return d.signedAt ? 'signed' : d.resultDigest ? 'drawn' : 'committed';
}

/** `draws.requestVoid`: asks for an attempt to be voided (B2), with a reason. */
export const requestVoid = roleProcedure(VOID_REQUESTERS)
  .input(
    z.object({
      drawId: ZIdSchema,
      reason: z.string().trim().min(10, 'state the reason in at least 10 characters').max(2000),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const { draw, plan } = await loadDraw(ctx.db, input.drawId, ctx.access);
    const now = ctx.now();
    return ctx.db.transaction(async (tx) => {
      const after = await transitionDraw(tx, draw.id, ['committed', 'drawn', 'signed'], 'void-requested', {
        voidReason: input.reason,
        voidRequestedAt: now,
        voidRequestedBy: ctx.user.id,
      });
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.request-void',
        entity: 'draws',
        entityId: draw.id,
        before: { status: draw.status },
        after: { status: after.status, reason: input.reason },
      });
      return { drawId: draw.id, status: after.status };
    });
  });

/**
 * `draws.approveVoid`: a different user voids the attempt. Its tasks are cancelled, the void is
 * published, and the plan returns to `submitted`: a new draw needs a new commitment (a new
 * attempt) and new randomness.
 */
export const approveVoid = roleProcedure(VOID_APPROVERS)
  .input(z.object({ drawId: ZIdSchema }))
  .mutation(async ({ ctx, input }) => {
    const { draw, plan } = await loadDraw(ctx.db, input.drawId, ctx.access);
    if (draw.status === 'void-requested' && draw.voidRequestedBy === ctx.user.id) {
      fail(
        'FORBIDDEN',
        'drawId',
        'a void must be approved by someone other than the person who requested it',
      );
    }
    const now = ctx.now();
    return ctx.db.transaction(async (tx) => {
      const voided = await transitionDraw(tx, draw.id, ['void-requested'], 'voided', {
        voidApprovedAt: now,
        voidApprovedBy: ctx.user.id,
      });
      if (voided.voidRequestedBy === ctx.user.id)
        fail(
          'FORBIDDEN',
          'drawId',
          'a void must be approved by someone other than the person who requested it',
        );
      const cancelled = await tx
        .update(tasks)
        .set({ status: 'cancelled' })
        .where(and(eq(tasks.drawId, draw.id), ne(tasks.status, 'done')))
        .returning({ id: tasks.id });
      const p = await transitionPlan(
        tx,
        plan.id,
        ['approved', 'randomness-entered', 'drawn', 'signed', 'tasks-issued'],
        'submitted',
        now,
      );
      const names = await tx.select({ id: users.id, name: users.displayName }).from(users);
      const nameOf = (id: string | null) => names.find((n) => n.id === id)?.name ?? '';
      await publish(tx, {
        bureauCode: p.bureauCode,
        kind: 'void',
        refId: draw.id,
        period: p.period,
        title: `${p.title}（第${draw.attempt}次抽取作废）`,
        content: {
          plan: p.id,
          attempt: voided.attempt,
          commitmentDigest: voided.commitmentDigest,
          resultDigest: voided.resultDigest,
          reason: voided.voidReason,
          requestedBy: nameOf(voided.voidRequestedBy),
          requestedAt: voided.voidRequestedAt?.toISOString() ?? null,
          approvedBy: nameOf(voided.voidApprovedBy),
          approvedAt: now.toISOString(),
        },
        by: ctx.user.id,
        at: now,
      });
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.approve-void',
        entity: 'draws',
        entityId: draw.id,
        before: { status: 'void-requested' },
        after: {
          status: 'voided',
          reason: voided.voidReason,
          requestedBy: voided.voidRequestedBy,
          approvedBy: ctx.user.id,
          cancelledTasks: cancelled.length,
        },
      });
      return {
        drawId: draw.id,
        status: voided.status,
        planStatus: p.status,
        cancelledTasks: cancelled.length,
      };
    });
  });

/** `draws.rejectVoid`: declines a void request; the attempt continues where it was. */
export const rejectVoid = roleProcedure(VOID_APPROVERS)
  .input(z.object({ drawId: ZIdSchema, reason: z.string().trim().min(2).max(2000) }))
  .mutation(async ({ ctx, input }) => {
    const { draw, plan } = await loadDraw(ctx.db, input.drawId, ctx.access);
    if (draw.status !== 'void-requested')
      fail('CONFLICT', 'drawId', `draw attempt ${draw.attempt} is ${draw.status}`);
    return ctx.db.transaction(async (tx) => {
      const after = await transitionDraw(tx, draw.id, ['void-requested'], statusBeforeVoid(draw), {
        voidReason: null,
        voidRequestedAt: null,
        voidRequestedBy: null,
      });
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.reject-void',
        entity: 'draws',
        entityId: draw.id,
        before: { status: 'void-requested', reason: draw.voidReason },
        after: { status: after.status, rejection: input.reason },
      });
      return { drawId: draw.id, status: after.status };
    });
  });
