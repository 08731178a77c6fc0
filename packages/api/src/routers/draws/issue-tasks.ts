import { and, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../lib/db';
import { CITY_BUREAU } from '../../trpc';
import { z } from 'zod';
import { assignExperts, SR_DRAW_V2, type DrawResult } from '@spotcheck/core';
import { checklistItems, checklistVersions, tasks, units } from '@spotcheck/db';
import { bundleOf } from '../../lib/bundle';
import { fail } from '../../lib/errors';
import { loadDraw, transitionPlan } from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { roleProcedure } from '../../trpc';

/**
 * `draws.issueTasks` (draw-operator): one task per selected unit, in sequence order, with the
 * drawn team, the expert where the unit's rules require one (v2: in the result; v1: recomputed), and
 * the effective checklist: the city layer and the district layer (published versions), items
 * filtered by the unit's industry and risk grade and the plan's kind where the item says so.
 */
export const issueTasks = roleProcedure(['draw-operator'])
  .input(z.object({ drawId: ZIdSchema }))
  .output(z.object({ drawId: z.string(), tasks: z.number() }))
  .mutation(async ({ ctx, input }) => {
    const { draw, plan } = await loadDraw(ctx.db, input.drawId, ctx.access);
    if (draw.status !== 'signed')
      fail('CONFLICT', 'drawId', 'draw.notSignedForTasks', { attempt: draw.attempt, status: draw.status });
    const result = draw.result as DrawResult;
    const now = ctx.now();
    return ctx.db.transaction(async (tx) => {
      await transitionPlan(tx, plan.id, ['signed'], 'tasks-issued', now);
      const items = await effectiveChecklist(tx, plan.bureauCode, plan.checklistVersionId);
      const unitIds = result.selected.map((s) => s.unit);
      const unitOf = new Map<string, { industry: string; riskGrade: string }>();
      for (let i = 0; i < unitIds.length; i += 5000) {
        const rows = await tx
          .select({ id: units.id, industry: units.industry, riskGrade: units.riskGrade })
          .from(units)
          .where(inArray(units.id, unitIds.slice(i, i + 5000)));
        for (const r of rows) unitOf.set(r.id, r);
      }
      const codesFor = (unitId: string) => {
        const u = unitOf.get(unitId);
        return items
          .filter(
            (it) =>
              (!it.industries.length || it.industries.includes(u?.industry ?? '')) &&
              (!it.riskGrades.length || it.riskGrades.includes(u?.riskGrade ?? '')) &&
              (!it.inspectionKinds.length || it.inspectionKinds.includes(plan.kind)),
          )
          .map((it) => it.code)
          .sort();
      };
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
        bureauCode: plan.bureauCode,
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

/**
 * The effective checklist of a plan (R1): the city's layer plus the bureau's own, published
 * versions only. The plan names one version: a district version brings the city version it was
 * built on (else the city's current published one); a city version brings the bureau's current
 * published district layer. A district item with the same code as a city item replaces it.
 */
export async function effectiveChecklist(tx: DbOrTx, bureauCode: string, versionId: string | null) {
  const published = async (id: string | null) => {
    if (!id) return null;
    const [v] = await tx.select().from(checklistVersions).where(eq(checklistVersions.id, id));
    return v && v.status === 'published' ? v : null;
  };
  const latest = async (bureau: string) => {
    const [v] = await tx
      .select()
      .from(checklistVersions)
      .where(and(eq(checklistVersions.bureauCode, bureau), eq(checklistVersions.status, 'published')))
      .orderBy(desc(checklistVersions.version))
      .limit(1);
    return v ?? null;
  };
  const named = await published(versionId);
  let city: Awaited<ReturnType<typeof latest>>;
  let own: Awaited<ReturnType<typeof latest>> = null;
  if (named && named.bureauCode === CITY_BUREAU) {
    city = named;
    if (bureauCode !== CITY_BUREAU) own = await latest(bureauCode);
  } else if (named) {
    own = named;
    city = (await published(named.baseVersionId)) ?? (await latest(CITY_BUREAU));
  } else {
    city = await latest(CITY_BUREAU);
  }
  const layer = async (v: { id: string } | null) =>
    v ? tx.select().from(checklistItems).where(eq(checklistItems.versionId, v.id)) : [];
  const byCode = new Map<string, Awaited<ReturnType<typeof layer>>[number]>();
  for (const it of await layer(city)) byCode.set(it.code, it);
  for (const it of await layer(own)) byCode.set(it.code, it);
  return [...byCode.values()];
}
