import { and, asc, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  LOTTERY_GAME_IDS,
  nextLotteryDraw,
  PLAN_STATUSES,
  planSources,
  sourceTime,
  type CommitmentV2,
  type ProposedLotteryDraw,
  type SourceSpecV2,
  CITY_BUREAU_CODE,
} from '@spotcheck/core';
import { checkLaterThanVoided, checkPlannedSources, SOURCE_HORIZON_SECONDS } from '../../lib/draw-v2';
import type { DbOrTx } from '../../lib/db';
import { wholeSeconds } from '../../lib/key-registry';
import { draws, plans } from '@spotcheck/db';
import { fail } from '../../lib/errors';
import { bureauFilter } from '../../lib/scope';
import { drawStep, loadPlan, transitionPlan } from '../../lib/workflow';
import { ZBureauCodeSchema, ZIdSchema, ZPeriodSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { approvePlan } from '../../lib/plans/approve';
import { previewPlan } from '../../lib/plans/preview';
import { ZPlanCreateSchema, ZPlanUpdateSchema } from '../../lib/plans/schemas';
import { json, rowSchema } from '../../lib/outputs';

const reader = roleProcedure(ROLE_GROUPS.staff);
const planner = roleProcedure(ROLE_GROUPS.planners);

/** Checks that a plan's checklist version exists and is in reach (published-ness is checked at approval). */
async function checkChecklist(db: Parameters<typeof loadPlan>[0], versionId: string, bureauCode: string) {
  const v = await db.query.checklistVersions.findFirst({ where: (c, { eq }) => eq(c.id, versionId) });
  if (!v) fail('BAD_REQUEST', 'checklistVersionId', 'checklist.versionNotFound', { versionId });
  if (v.bureauCode !== bureauCode && v.bureauCode !== CITY_BUREAU_CODE)
    fail('BAD_REQUEST', 'checklistVersionId', 'checklist.otherDistrict');
}

/** The sources of a plan's last voided sr-draw/v2 attempt (null when none was voided). */
async function lastVoidedSources(
  db: DbOrTx,
  planId: string,
): Promise<{ attempt: number; sources: SourceSpecV2[] } | null> {
  const [last] = await db
    .select({
      attempt: draws.attempt,
      status: draws.status,
      algorithm: draws.algorithm,
      commitment: draws.commitment,
    })
    .from(draws)
    .where(eq(draws.planId, planId))
    .orderBy(desc(draws.attempt))
    .limit(1);
  if (!last || last.status !== 'voided' || last.algorithm !== 'sr-draw/v2') return null;
  return { attempt: last.attempt, sources: (last.commitment as CommitmentV2).sources };
}

const ZPlanRowSchema = rowSchema(plans);
const drawCols = rowSchema(draws).shape;

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
    .output(z.array(ZPlanRowSchema))
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
  get: reader
    .input(z.object({ planId: ZIdSchema }))
    .output(
      ZPlanRowSchema.extend({
        attempts: z.array(
          z.object({
            id: z.string(),
            attempt: z.number(),
            status: drawCols.status,
            commitmentDigest: z.string(),
            resultDigest: drawCols.resultDigest,
            committedAt: z.date(),
            drawnAt: drawCols.drawnAt,
            signedAt: drawCols.signedAt,
            voidReason: drawCols.voidReason,
            voidReasonId: drawCols.voidReasonId,
            algorithm: drawCols.algorithm,
            sources: json<SourceSpecV2[]>(),
          }),
        ),
      }),
    )
    .query(async ({ ctx, input }) => {
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
          commitment: draws.commitment,
        })
        .from(draws)
        .where(eq(draws.planId, plan.id))
        .orderBy(asc(draws.attempt));
      // Each attempt with the sources its commitment named (public since its commitment was published).
      return {
        ...plan,
        attempts: attempts.map(({ commitment, ...a }) => ({
          ...a,
          sources: ((commitment as { sources?: unknown[] }).sources ?? []) as SourceSpecV2[],
        })),
      };
    }),

  /**
   * Proposes the sources of a draw planned at `plannedDrawAt` (sr-draw/v2 §2, §9.1): the first
   * round of the server's drand beacon at or after the planned time and at least 60 s after a
   * commitment made now, so nobody picks a round whose value exists; and, for each game asked
   * for, the next lottery draw of a later date than today (UTC+8) at or after the planned time,
   * with its issue number counted from the operator's regular schedule (to check against the
   * operator's announcement). With `planId` of a plan whose attempt was voided, every proposal is
   * later than every source of the voided attempt.
   */
  proposeSources: planner
    .input(
      z.object({
        plannedDrawAt: z.coerce.date(),
        games: z.array(z.enum(LOTTERY_GAME_IDS)).max(LOTTERY_GAME_IDS.length).optional(),
        planId: ZIdSchema.optional(),
      }),
    )
    .output(
      z.object({
        sources: json<SourceSpecV2[]>(),
        roundTime: z.string(),
        demo: z.boolean(),
        lotteries: json<ProposedLotteryDraw[]>(),
        previous: z.object({ attempt: z.number(), sources: json<SourceSpecV2[]>() }).nullable(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const beacon = ctx.beacon;
      if (!beacon) fail('PRECONDITION_FAILED', 'beacon', 'plan.noBeacon');
      const now = ctx.now();
      if (input.plannedDrawAt.getTime() < now.getTime())
        fail('BAD_REQUEST', 'plannedDrawAt', 'plan.drawTimeInPast');
      let notBefore = input.plannedDrawAt.getTime() / 1000;
      let voided: Awaited<ReturnType<typeof lastVoidedSources>> = null;
      if (input.planId) {
        const plan = await loadPlan(ctx.db, input.planId, ctx.access);
        voided = await lastVoidedSources(ctx.db, plan.id);
        if (voided && voided.sources.length)
          notBefore = Math.max(notBefore, Math.max(...voided.sources.map(sourceTime)) + 1);
      }
      const planned = drawStep('plannedDrawAt', () =>
        planSources({
          chain: beacon.chain,
          info: beacon.demo ? beacon.info : undefined,
          plannedAt: wholeSeconds(new Date(Math.ceil(notBefore) * 1000)),
          committedAt: wholeSeconds(now),
        }),
      );
      const nowS = now.getTime() / 1000;
      const lotteries = (input.games ?? []).map((game) => {
        const next = nextLotteryDraw(game, nowS, notBefore, nowS + SOURCE_HORIZON_SECONDS);
        if (!next) fail('PRECONDITION_FAILED', 'games', 'plan.gameNoDraw', { game });
        return next;
      });
      return {
        sources: [planned.source],
        roundTime: planned.roundTime,
        demo: beacon.demo,
        lotteries,
        previous: voided,
      };
    }),

  /** Drafts a plan. */
  create: planner
    .input(ZPlanCreateSchema)
    .output(ZPlanRowSchema)
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      checkPlannedSources(input.sources, ctx.now(), ctx.production);
      if (input.team.unitsOnlyReason && input.kind !== 'general')
        fail('BAD_REQUEST', 'team.unitsOnlyReason', 'plan.unitsOnlyGeneral');
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
  update: planner
    .input(ZPlanUpdateSchema)
    .output(ZPlanRowSchema)
    .mutation(async ({ ctx, input }) => {
      const plan = await loadPlan(ctx.db, input.planId, ctx.access);
      if (input.patch.sources) {
        checkPlannedSources(input.patch.sources, ctx.now(), ctx.production);
        // After a void: the same or earlier sources are refused now, with the reason.
        checkLaterThanVoided(input.patch.sources, await lastVoidedSources(ctx.db, plan.id));
      }
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
  submit: planner
    .input(z.object({ planId: ZIdSchema }))
    .output(ZPlanRowSchema)
    .mutation(async ({ ctx, input }) => {
      const plan = await loadPlan(ctx.db, input.planId, ctx.access);
      if (!plan.sources.length) fail('BAD_REQUEST', 'sources', 'plan.noSources');
      // Sources named while drafting may have come into existence meanwhile (or be v1 sources).
      if ((plan.sources as { kind: string }[]).some((s) => s.kind !== 'drand' && s.kind !== 'lottery'))
        fail('BAD_REQUEST', 'sources', 'plan.sourcesNotV2');
      checkPlannedSources(plan.sources, ctx.now(), ctx.production);
      // (The voided attempt's sources are refused when edited, and again at approval with the commitment.)
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
    .output(ZPlanRowSchema)
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
