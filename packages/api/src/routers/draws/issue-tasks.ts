import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { assignExperts, SR_DRAW_V2, type DrawResult } from '@spotcheck/core';
import { checklistItems, tasks, units } from '@spotcheck/db';
import { bundleOf } from '../../lib/bundle';
import { fail } from '../../lib/errors';
import { loadDraw, transitionPlan } from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { roleProcedure } from '../../trpc';

/**
 * `draws.issueTasks` (draw-operator): one task per selected unit, in sequence order, with the
 * drawn team, the expert where the unit's rules require one (v2: in the result; v1: recomputed), and
 * the checklist items that apply to the unit's industry and the plan's kind.
 */
export const issueTasks = roleProcedure(['draw-operator'])
  .input(z.object({ drawId: ZIdSchema }))
  .mutation(async ({ ctx, input }) => {
    const { draw, plan } = await loadDraw(ctx.db, input.drawId, ctx.access);
    if (draw.status !== 'signed')
      fail(
        'CONFLICT',
        'drawId',
        `draw attempt ${draw.attempt} is ${draw.status}: tasks are issued from a signed draw`,
      );
    const result = draw.result as DrawResult;
    const now = ctx.now();
    return ctx.db.transaction(async (tx) => {
      await transitionPlan(tx, plan.id, ['signed'], 'tasks-issued', now);
      const items = plan.checklistVersionId
        ? await tx.select().from(checklistItems).where(eq(checklistItems.versionId, plan.checklistVersionId))
        : [];
      const unitIds = result.selected.map((s) => s.unit);
      const industryOf = new Map<string, string>();
      for (let i = 0; i < unitIds.length; i += 5000) {
        const rows = await tx
          .select({ id: units.id, industry: units.industry })
          .from(units)
          .where(inArray(units.id, unitIds.slice(i, i + 5000)));
        for (const r of rows) industryOf.set(r.id, r.industry);
      }
      const codesFor = (unitId: string) =>
        items
          .filter(
            (it) =>
              (!it.industries.length || it.industries.includes(industryOf.get(unitId) ?? '')) &&
              (!it.inspectionKinds.length || it.inspectionKinds.includes(plan.kind)),
          )
          .map((it) => it.code)
          .sort();
      // R5: experts for units whose rules require one, recomputable from the bundle.
      const expertOf =
        draw.algorithm === SR_DRAW_V2
          ? new Map(
              (result.selected as { unit: string; expert?: string | null }[]).flatMap((s) =>
                s.expert ? [[s.unit, s.expert] as const] : [],
              ),
            )
          : assignExperts(bundleOf(draw));
      const rows = result.selected.map((s) => ({
        drawId: draw.id,
        planId: plan.id,
        unitId: s.unit,
        sequence: s.sequence,
        reason: s.reason,
        team: [...s.team],
        experts: expertOf.has(s.unit) ? [expertOf.get(s.unit)!] : [],
        checklistItemCodes: codesFor(s.unit),
        sealed: plan.sealed,
        createdAt: now,
      }));
      for (let i = 0; i < rows.length; i += 1000) await tx.insert(tasks).values(rows.slice(i, i + 1000));
      const issued = await tx
        .select({ id: tasks.id })
        .from(tasks)
        .where(and(eq(tasks.drawId, draw.id)));
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.issue-tasks',
        entity: 'draws',
        entityId: draw.id,
        after: { tasks: issued.length },
      });
      return { drawId: draw.id, tasks: issued.length };
    });
  });
