import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  buildCommitment,
  commitmentDigestHex,
  expertPlan,
  type CanonicalValue,
  type PlanRef,
  type SourceSpec,
} from '@spotcheck/core';
import { draws, plans, yearlyObligations } from '@spotcheck/db';
import type { DbOrTx } from '../../lib/db';
import { fail } from '../../lib/errors';
import { publish } from '../../lib/publish';
import { drawStep, loadPlan, transitionPlan, type PlanRow } from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { CITY_BUREAU, roleProcedure } from '../../trpc';
import { assemblePlanFrame } from './frame';
import type { TPlanCreate } from './schemas';

export { MANDATORY_DUE_STRATUM, unitFactsOf } from './frame';

/** Everything that is frozen at approval, computed from the database ({@link assemblePlanFrame}). */
export async function buildPlanFrame(tx: DbOrTx, plan: PlanRow, now: Date, attempt: number) {
  // R2: the checklist version must be published.
  if (!plan.checklistVersionId)
    fail('PRECONDITION_FAILED', 'checklistVersionId', 'the plan names no checklist version');
  const checklist = await tx.query.checklistVersions.findFirst({
    where: (c, { eq }) => eq(c.id, plan.checklistVersionId!),
  });
  if (!checklist || checklist.status !== 'published' || !checklist.digest) {
    fail(
      'PRECONDITION_FAILED',
      'checklistVersionId',
      `checklist version ${checklist?.version ?? '?'} is ${checklist?.status ?? 'missing'}: only a published version may be used (R2)`,
    );
  }
  if (checklist.bureauCode !== plan.bureauCode && checklist.bureauCode !== CITY_BUREAU) {
    fail('PRECONDITION_FAILED', 'checklistVersionId', 'the checklist belongs to another district');
  }
  const draft = plan as PlanRow & Pick<TPlanCreate, 'scope' | 'strata' | 'team'>;
  const built = await assemblePlanFrame(tx, draft);
  const { frame, kind } = built;
  const planBlock: PlanRef = {
    id: plan.id,
    bureau: plan.bureauCode,
    period: plan.period,
    attempt,
    ...kind.plan,
  };
  // R5: the expert pool and the units needing one are fixed before the randomness too, so the
  // experts' assignment is recomputable from the bundle (packages/core assignExperts).
  if (built.experts.units.length) {
    planBlock.experts = expertPlan(built.experts.pool, built.experts.units) as unknown as CanonicalValue;
  }
  const commitment = drawStep('frame', () =>
    buildCommitment(
      {
        plan: planBlock,
        rulePack: built.packRef,
        checklist: { id: checklist.id, version: String(checklist.version), digest: checklist.digest! },
        strata: frame.strata,
        team: kind.team,
        sources: plan.sources as SourceSpec[],
        committedAt: now.toISOString(),
      },
      frame.rows,
      built.inspectors.rows,
    ),
  );
  const reasons: Record<string, Record<string, unknown>> = {};
  for (const [ins, perUnit] of built.inspectors.reasons) reasons[ins] = Object.fromEntries(perUnit);
  return {
    commitment,
    commitmentDigest: commitmentDigestHex(commitment),
    frame: frame.rows,
    inspectorRows: built.inspectors.rows,
    reasons,
    sealed: kind.plan.sealed === true,
    rulePacks: built.pack.chain,
    fastPath: built.fastPath,
    obligations: built.obligations,
  };
}

/**
 * Fixes the plan year's obligations (R11–R12) at approval: units the packs make mandatory get a
 * stored obligation; a stored one is only ever raised (a higher yearly minimum), never lowered or
 * removed, so later facts can add obligations but not take them away.
 */
export async function fixObligations(
  tx: DbOrTx,
  plan: PlanRow,
  changes: Awaited<ReturnType<typeof buildPlanFrame>>['obligations'],
  now: Date,
): Promise<number> {
  const year = Number(plan.period.slice(0, 4));
  for (let i = 0; i < changes.length; i += 1000) {
    await tx
      .insert(yearlyObligations)
      .values(
        changes.slice(i, i + 1000).map((c) => ({
          unitId: c.unitId,
          year,
          bureauCode: c.bureauCode,
          minPerYear: c.minPerYear,
          reasons: c.reasons,
          fixedByPlanId: plan.id,
          fixedAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: [yearlyObligations.unitId, yearlyObligations.year],
        set: {
          minPerYear: sql`greatest(${yearlyObligations.minPerYear}, excluded.min_per_year)`,
          reasons: sql`excluded.reasons`,
          raisedAt: now,
        },
        setWhere: sql`${yearlyObligations.minPerYear} < excluded.min_per_year`,
      });
  }
  return changes.length;
}

/**
 * `plans.approve` (approver): freezes the frame (target roster × active rule packs), the
 * inspector rows with every avoidance, the published checklist version, the rule packs and the
 * randomness sources into an sr-draw/v1 commitment, which is stored as a new draw attempt and
 * published (sealed covert plans: only its digest, sources and time until executed).
 */
export const approvePlan = roleProcedure(['approver'])
  .input(z.object({ planId: ZIdSchema }))
  .mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    await loadPlan(ctx.db, input.planId, ctx.access);
    return ctx.db.transaction(async (tx) => {
      const [locked] = await tx.select().from(plans).where(eq(plans.id, input.planId)).for('update');
      if (locked!.status !== 'submitted')
        fail('CONFLICT', 'planId', `the plan is ${locked!.status}; approval needs a submitted plan`);
      const [prev] = await tx
        .select({ attempt: draws.attempt })
        .from(draws)
        .where(eq(draws.planId, locked!.id))
        .orderBy(desc(draws.attempt))
        .limit(1);
      const frozen = await buildPlanFrame(tx, locked!, now, (prev?.attempt ?? 0) + 1);
      const [draw] = await tx
        .insert(draws)
        .values({
          planId: locked!.id,
          attempt: (prev?.attempt ?? 0) + 1,
          status: 'committed',
          commitment: frozen.commitment,
          commitmentDigest: frozen.commitmentDigest,
          frame: frozen.frame,
          inspectorRows: frozen.inspectorRows,
          avoidanceReasons: frozen.reasons,
          committedAt: now,
          committedBy: ctx.user.id,
        })
        .returning({ id: draws.id, attempt: draws.attempt, commitmentDigest: draws.commitmentDigest });
      const obligations = await fixObligations(tx, locked!, frozen.obligations, now);
      const plan = await transitionPlan(tx, locked!.id, ['submitted'], 'approved', now, {
        approvedAt: now,
        approvedBy: ctx.user.id,
        rulePacks: frozen.rulePacks,
        sealed: frozen.sealed,
      });
      // The commitment is public before any randomness exists (B1). A covert plan (R10) publishes
      // only its digest, sources and time now — enough to prove later that the bundle revealed on
      // execution was fixed before the draw — and nothing about its frame or teams.
      const c = frozen.commitment;
      await publish(tx, {
        bureauCode: plan.bureauCode,
        kind: 'commitment',
        refId: draw!.id,
        period: plan.period,
        title: `${plan.title}（抽取承诺 第${draw!.attempt}次${frozen.sealed ? '，暗查暗访仅公布摘要' : ''}）`,
        content: frozen.sealed
          ? {
              sealed: true,
              commitmentDigest: frozen.commitmentDigest,
              commitment: {
                algorithm: c.algorithm,
                plan: { id: c.plan.id, bureau: c.plan.bureau, period: c.plan.period, kind: c.plan.kind },
                sources: c.sources,
                committedAt: c.committedAt,
              },
            }
          : {
              commitment: c,
              commitmentDigest: frozen.commitmentDigest,
              frame: frozen.frame,
              inspectors: frozen.inspectorRows,
            },
        by: ctx.user.id,
        at: now,
      });
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'plan.approve',
        entity: 'plans',
        entityId: plan.id,
        before: { status: 'submitted' },
        after: {
          status: 'approved',
          drawId: draw!.id,
          attempt: draw!.attempt,
          commitmentDigest: draw!.commitmentDigest,
          frameCount: frozen.frame.length,
          inspectors: frozen.inspectorRows.length,
          rulePacks: frozen.rulePacks,
          obligationsFixed: obligations,
        },
      });
      return { plan, draw: { ...draw!, commitment: frozen.commitment } };
    });
  });
