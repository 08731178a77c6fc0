import { and, asc, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { PLAN_STATUSES, planSources, type SourceSpecV2 } from '@spotcheck/core';
import { checkPlannedSources } from '../../lib/draw-v2';
import { wholeSeconds } from '../../lib/key-registry';
import { draws, plans } from '@spotcheck/db';
import { fail } from '../../lib/errors';
import { bureauFilter } from '../../lib/scope';
import { drawStep, loadPlan, transitionPlan } from '../../lib/workflow';
import { ZBureauCodeSchema, ZIdSchema, ZPeriodSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { approvePlan } from './approve';
import { previewPlan } from './preview';
import { ZPlanCreateSchema, ZPlanUpdateSchema } from './schemas';

const reader = roleProcedure(ROLE_GROUPS.staff);
const planner = roleProcedure(ROLE_GROUPS.planners);

/** Checks that a plan's checklist version exists and is in reach (published-ness is checked at approval). */
async function checkChecklist(db: Parameters<typeof loadPlan>[0], versionId: string, bureauCode: string) {
  const v = await db.query.checklistVersions.findFirst({ where: (c, { eq }) => eq(c.id, versionId) });
  if (!v) fail('BAD_REQUEST', 'checklistVersionId', `no checklist version ${versionId}`);
  if (v.bureauCode !== bureauCode && v.bureauCode !== '120000')
    fail('BAD_REQUEST', 'checklistVersionId', 'belongs to another district');
}

/** Inspection plans 抽查计划: draft → submitted → approved (commitment) → … (see `draws`). */
export const plansRouter = router({
  /** Plans in reach. */
  list: reader
    .input(
      z
        .object({
          bureauCode: ZBureauCodeSchema.optional(),
          period: ZPeriodSchema.optional(),
          status: z.enum(PLAN_STATUSES).optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }) => {
      const where: (SQL | undefined)[] = [bureauFilter(ctx.access, plans.bureauCode, input.bureauCode)];
      if (input.period) where.push(eq(plans.period, input.period));
      if (input.status) where.push(eq(plans.status, input.status));
      return ctx.db
        .select()
        .from(plans)
        .where(and(...where))
        .orderBy(desc(plans.createdAt));
    }),

  /** One plan with its draw attempts (without frames). */
  get: reader.input(z.object({ planId: ZIdSchema })).query(async ({ ctx, input }) => {
    const plan = await loadPlan(ctx.db, input.planId, ctx.access);
    const attempts = await ctx.db
      .select({
        id: draws.id,
        attempt: draws.attempt,
        status: draws.status,
        commitmentDigest: draws.commitmentDigest,
        resultDigest: draws.resultDigest,
        committedAt: draws.committedAt,
        drawnAt: draws.drawnAt,
        signedAt: draws.signedAt,
        voidReason: draws.voidReason,
        voidReasonId: draws.voidReasonId,
        algorithm: draws.algorithm,
      })
      .from(draws)
      .where(eq(draws.planId, plan.id))
      .orderBy(asc(draws.attempt));
    return { ...plan, attempts };
  }),

  /**
   * Proposes the sources of a draw planned at `plannedDrawAt` (sr-draw/v2 §2, §9.1): the first
   * round of the server's drand beacon at or after the planned time and at least 60 s after a
   * commitment made now, so nobody picks a round whose value exists. Lottery draws may be added by
   * hand (game, issue, draw date after the planned time).
   */
  proposeSources: planner.input(z.object({ plannedDrawAt: z.coerce.date() })).query(({ ctx, input }) => {
    const beacon = ctx.beacon;
    if (!beacon)
      fail(
        'PRECONDITION_FAILED',
        'beacon',
        'no drand beacon is configured (SPOTCHECK_DRAND_URL, or the demo beacon)',
      );
    const now = ctx.now();
    if (input.plannedDrawAt.getTime() < now.getTime())
      fail('BAD_REQUEST', 'plannedDrawAt', 'the planned draw time is in the past');
    const planned = drawStep('plannedDrawAt', () =>
      planSources({
        chain: beacon.chain,
        info: beacon.demo ? beacon.info : undefined,
        plannedAt: wholeSeconds(input.plannedDrawAt),
        committedAt: wholeSeconds(now),
      }),
    );
    return { sources: [planned.source], roundTime: planned.roundTime, demo: beacon.demo };
  }),

  /** Drafts a plan. */
  create: planner.input(ZPlanCreateSchema).mutation(async ({ ctx, input }) => {
    ctx.access.bureau(input.bureauCode);
    checkPlannedSources(input.sources as SourceSpecV2[], ctx.now(), ctx.production);
    if (input.team.unitsOnlyReason && input.kind !== 'general')
      fail('BAD_REQUEST', 'team.unitsOnlyReason', 'only general inspections may draw units only (R8)');
    await checkChecklist(ctx.db, input.checklistVersionId, input.bureauCode);
    return ctx.db.transaction(async (tx) => {
      const now = ctx.now();
      const [row] = await tx
        .insert(plans)
        .values({
          ...input,
          unitsOnlyReason: input.team.unitsOnlyReason ?? null,
          createdBy: ctx.user.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await ctx.audit(tx, {
        bureauCode: input.bureauCode,
        action: 'plan.create',
        entity: 'plans',
        entityId: row!.id,
        after: row,
      });
      return row!;
    });
  }),

  /** Changes a draft plan. */
  update: planner.input(ZPlanUpdateSchema).mutation(async ({ ctx, input }) => {
    const plan = await loadPlan(ctx.db, input.planId, ctx.access);
    if (input.patch.sources)
      checkPlannedSources(input.patch.sources as SourceSpecV2[], ctx.now(), ctx.production);
    if (input.patch.checklistVersionId)
      await checkChecklist(ctx.db, input.patch.checklistVersionId, plan.bureauCode);
    return ctx.db.transaction(async (tx) => {
      const patch = {
        ...input.patch,
        ...(input.patch.team ? { unitsOnlyReason: input.patch.team.unitsOnlyReason ?? null } : {}),
      };
      const after = await transitionPlan(tx, plan.id, ['draft'], 'draft', ctx.now(), patch);
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'plan.update',
        entity: 'plans',
        entityId: plan.id,
        before: plan,
        after,
      });
      return after;
    });
  }),

  /** Submits a draft for approval. */
  submit: planner.input(z.object({ planId: ZIdSchema })).mutation(async ({ ctx, input }) => {
    const plan = await loadPlan(ctx.db, input.planId, ctx.access);
    if (!(plan.sources as unknown[]).length)
      fail('BAD_REQUEST', 'sources', 'name at least one randomness source before submitting');
    // Sources named while drafting may have come into existence meanwhile (or be v1 sources).
    if ((plan.sources as { kind: string }[]).some((s) => s.kind !== 'drand' && s.kind !== 'lottery'))
      fail('BAD_REQUEST', 'sources', 'name sr-draw/v2 sources: a drand round, and optionally lottery draws');
    checkPlannedSources(plan.sources as SourceSpecV2[], ctx.now(), ctx.production);
    return ctx.db.transaction(async (tx) => {
      const now = ctx.now();
      const after = await transitionPlan(tx, plan.id, ['draft'], 'submitted', now, { submittedAt: now });
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'plan.submit',
        entity: 'plans',
        entityId: plan.id,
        before: { status: 'draft' },
        after: { status: 'submitted' },
      });
      return after;
    });
  }),

  /** Sends a submitted plan back to its drafters, with a reason (approver). */
  returnToDraft: roleProcedure(['approver'])
    .input(z.object({ planId: ZIdSchema, reason: z.string().trim().min(2).max(1000) }))
    .mutation(async ({ ctx, input }) => {
      const plan = await loadPlan(ctx.db, input.planId, ctx.access);
      return ctx.db.transaction(async (tx) => {
        const after = await transitionPlan(tx, plan.id, ['submitted'], 'draft', ctx.now(), {
          submittedAt: null,
        });
        await ctx.audit(tx, {
          bureauCode: plan.bureauCode,
          action: 'plan.return-to-draft',
          entity: 'plans',
          entityId: plan.id,
          before: { status: 'submitted' },
          after: { status: 'draft', reason: input.reason },
        });
        return after;
      });
    }),

  approve: approvePlan,

  preview: previewPlan,
});
