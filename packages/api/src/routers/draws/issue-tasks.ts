import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { executeRows, type DbOrTx } from '../../lib/db';
import { CITY_BUREAU } from '../../trpc';
import { z } from 'zod';
import {
  assignExperts,
  INDUSTRY_IDS,
  RISK_GRADES,
  SR_DRAW_V2,
  teamsAfterReplacements,
  type DrawResult,
  type DrawResultV2,
} from '@spotcheck/core';
import { checklistItems, checklistVersions, draws, tasks, units } from '@spotcheck/db';
import { bundleOf } from '../../lib/bundle';
import { fail } from '../../lib/errors';
import { replacementRecordsOf } from '../../lib/replacements';
import { loadDrawHeader, transitionPlan, type DrawHeader, type PlanRow } from '../../lib/workflow';
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
    // The header only: a city draw's rows are ~10^8 bytes of JSON (issue 16), read in SQL below.
    const { draw, plan } = await loadDrawHeader(ctx.db, input.drawId, ctx.access);
    if (draw.status !== 'signed')
      fail('CONFLICT', 'drawId', 'draw.notSignedForTasks', { attempt: draw.attempt, status: draw.status });
    const now = ctx.now();
    return ctx.db.transaction(async (tx) => {
      // The lock `draws.replaceMember` takes: a replacement recorded meanwhile is either read
      // below or made after, on the tasks written here, never lost between the two. (The tasks'
      // key to the draw waits for it too, at the insert; this does not rely on that key.)
      const [held] = await tx
        .select({ status: draws.status })
        .from(draws)
        .where(eq(draws.id, draw.id))
        .for('update');
      // Read again under the lock: a void requested meanwhile leaves the plan signed.
      if (held?.status !== 'signed')
        fail('CONFLICT', 'drawId', 'draw.notSignedForTasks', { attempt: draw.attempt, status: held!.status });
      await transitionPlan(tx, plan.id, ['signed'], 'tasks-issued', now);
      const items = await effectiveChecklist(tx, plan.bureauCode, plan.checklistVersionId);
      const codesFor = (industry: string, riskGrade: string) =>
        items
          .filter(
            (it) =>
              (!it.industries.length || it.industries.includes(industry)) &&
              (!it.riskGrades.length || it.riskGrades.includes(riskGrade)) &&
              (!it.inspectionKinds.length || it.inspectionKinds.includes(plan.kind)),
          )
          .map((it) => it.code)
          .sort();
      const issued =
        draw.algorithm === SR_DRAW_V2
          ? await insertTasksInSql(tx, { draw, plan, now, codesFor })
          : await insertTasksV1(tx, { drawId: draw.id, plan, now, codesFor });
      await ctx.audit(tx, {
        bureauCode: plan.bureauCode,
        action: 'draw.issue-tasks',
        entity: 'draws',
        entityId: draw.id,
        after: { tasks: issued },
      });
      return { drawId: draw.id, tasks: issued };
    });
  });

interface TaskSource {
  plan: PlanRow;
  now: Date;
  /** The effective checklist's item codes for a unit of this industry and risk grade. */
  codesFor: (industry: string, riskGrade: string) => string[];
}

/**
 * sr-draw/v2: every selected unit's task written in one INSERT … SELECT from the stored result
 * (team and expert as drawn), the unit's industry and risk grade read from the roster, its
 * checklist from the codes of its (industry, risk grade), computed here for every pair there is.
 * Replacements recorded since the sign-off (§9.6) are then applied to the teams.
 */
async function insertTasksInSql(
  tx: DbOrTx,
  { draw, plan, now, codesFor }: TaskSource & { draw: DrawHeader },
): Promise<number> {
  const selected = sql`jsonb_array_elements((SELECT ${draws.result} -> 'selected' FROM ${draws} WHERE ${draws.id} = ${draw.id}))`;
  // Every pair, not the pairs read first: a unit regraded between two statements must still
  // find its codes. '' is a unit missing from the roster (no industry, no grade), as before; a
  // value outside the lists (none is written) falls back to it, never to no checklist at all.
  const industries = ['', ...INDUSTRY_IDS];
  const grades = ['', ...RISK_GRADES];
  const codes = Object.fromEntries(
    industries.map((i) => [i, Object.fromEntries(grades.map((g) => [g, codesFor(i, g)]))]),
  );
  const codesJson = JSON.stringify(codes);
  const codesOf = (industry: SQL, grade: SQL) => sql`${codesJson}::jsonb -> ${industry} -> ${grade}`;
  const rows = await executeRows<{ n: number }>(
    tx,
    sql`WITH written AS (
      INSERT INTO ${tasks} (bureau_code, draw_id, plan_id, unit_id, sequence, reason, team, experts,
        checklist_item_codes, sealed, created_at)
      SELECT ${plan.bureauCode}, ${draw.id}, ${plan.id}, s ->> 'unit', (s ->> 'sequence')::int, s ->> 'reason',
        ARRAY(SELECT m FROM jsonb_array_elements_text(s -> 'team') WITH ORDINALITY AS t(m, o) ORDER BY o),
        CASE WHEN s ->> 'expert' IS NULL THEN '{}'::text[] ELSE ARRAY[s ->> 'expert'] END,
        ARRAY(SELECT c FROM jsonb_array_elements_text(coalesce(
            ${codesOf(sql`coalesce(u.industry, '')`, sql`coalesce(u.risk_grade, '')`)},
            ${codesOf(sql`''`, sql`''`)})) WITH ORDINALITY AS k(c, o) ORDER BY o),
        ${plan.sealed}, ${now}
      FROM ${selected} AS s
      -- By id alone (a city plan's units are any district's); the roster's key is national.
      LEFT JOIN LATERAL (SELECT ${units.industry} AS industry, ${units.riskGrade} AS risk_grade
        FROM ${units} WHERE ${units.id} = s ->> 'unit' ORDER BY ${units.bureauCode} LIMIT 1) AS u ON true
      RETURNING 1)
    SELECT count(*)::int AS n FROM written`,
  );
  await applyReplacements(tx, draw.id);
  return Number(rows[0]!.n);
}

/**
 * Replacements recorded between the sign-off and the issue (`draws.replaceMember` takes a signed
 * draw): the teams the tasks are issued with are the drawn teams after them, as the published
 * records say, never the drawn team of an officer taken off.
 */
async function applyReplacements(tx: DbOrTx, drawId: string): Promise<void> {
  const records = await replacementRecordsOf(tx, drawId);
  if (!records.length) return;
  const drawn = await tx
    .select({ unit: tasks.unitId, team: tasks.team, sequence: tasks.sequence, reason: tasks.reason })
    .from(tasks)
    .where(and(eq(tasks.drawId, drawId), inArray(tasks.unitId, [...new Set(records.map((r) => r.unit))])));
  const teams = teamsAfterReplacements(
    { result: { selected: drawn as DrawResultV2['selected'], strata: [], overloads: [] } },
    records,
  );
  for (const [unit, team] of teams)
    await tx
      .update(tasks)
      .set({ team })
      .where(and(eq(tasks.drawId, drawId), eq(tasks.unitId, unit)));
}

/** sr-draw/v1 (a district's size): the experts recomputed from the whole bundle, as the spec says. */
async function insertTasksV1(
  tx: DbOrTx,
  { drawId, plan, now, codesFor }: TaskSource & { drawId: string },
): Promise<number> {
  const [draw] = await tx.select().from(draws).where(eq(draws.id, drawId));
  const result = draw!.result as DrawResult;
  const unitIds = result.selected.map((s) => s.unit);
  const unitOf = new Map<string, { industry: string; riskGrade: string }>();
  for (let i = 0; i < unitIds.length; i += 5000) {
    const rows = await tx
      .select({ id: units.id, industry: units.industry, riskGrade: units.riskGrade })
      .from(units)
      .where(inArray(units.id, unitIds.slice(i, i + 5000)));
    for (const r of rows) unitOf.set(r.id, r);
  }
  // R5: experts for units whose rules require one, recomputable from the bundle.
  const expertOf = assignExperts(bundleOf(draw!));
  const rows = result.selected.map((s) => {
    const u = unitOf.get(s.unit);
    return {
      bureauCode: plan.bureauCode,
      drawId,
      planId: plan.id,
      unitId: s.unit,
      sequence: s.sequence,
      reason: s.reason,
      team: [...s.team],
      experts: expertOf.has(s.unit) ? [expertOf.get(s.unit)!] : [],
      checklistItemCodes: codesFor(u?.industry ?? '', u?.riskGrade ?? ''),
      sealed: plan.sealed,
      createdAt: now,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(tasks).values(rows.slice(i, i + 1000));
  return rows.length;
}

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
