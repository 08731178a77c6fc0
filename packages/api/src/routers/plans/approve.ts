import { and, desc, eq, gte, inArray, isNull, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  buildCommitment,
  buildFrame,
  buildInspectorRows,
  commitmentDigestHex,
  coverageLedger,
  parseRatio,
  teamForKind,
  type FrameStratumInput,
  type FrameUnitInput,
  type SourceSpec,
} from '@spotcheck/core';
import { conflicts, draws, inspectors, plans, tasks, units } from '@spotcheck/db';
import { parsePeriod, type Classification } from '@spotcheck/rules';
import { digestOf } from '../../lib/canonical';
import type { DbOrTx } from '../../lib/db';
import { fail } from '../../lib/errors';
import { publish } from '../../lib/publish';
import { activeRegistry } from '../../lib/rule-packs';
import { drawStep, loadPlan, transitionPlan, type PlanRow } from '../../lib/workflow';
import { ZIdSchema } from '../../lib/zod';
import { CITY_BUREAU, roleProcedure } from '../../trpc';
import type { TPlanCreate } from './schemas';

/** Stratum of the R11 units still due this year, drawn quarter by quarter (coverage ledger). */
export const MANDATORY_DUE_STRATUM = 'mandatory-due';

type UnitRow = typeof units.$inferSelect;

/** The facts the rule packs read, from a roster row. */
export function unitFactsOf(u: UnitRow) {
  return {
    unitId: u.id,
    bureau: u.bureauCode,
    street: u.streetCode,
    industry: u.industry,
    nature: u.nature,
    scale: u.scale,
    employees: u.employees,
    riskGrade: u.riskGrade,
    creditGrade: u.creditGrade,
    lastFatalAccidentOn: u.lastFatalAccidentOn,
    majorHazard: u.majorHazard,
    majorHazardSource: u.majorHazardSource,
    trialProduction: u.trialProduction,
    resuming: u.resuming,
    blacklisted: u.blacklisted,
    jointPunishment: u.jointPunishment,
    keyUnit: u.keyUnit,
    crowdedPlace: u.crowdedPlace,
    dustExplosion: u.dustExplosion,
    confinedSpace: u.confinedSpace,
    lastInspectedOn: u.lastInspectedOn,
  };
}

/** Share of a year a period covers: 1 (year), 4 (quarter) or 12 (month) parts. */
function partsPerYear(period: string): 1 | 4 | 12 {
  return /-Q\d$/.test(period) ? 4 : /-\d{2}$/.test(period) ? 12 : 1;
}

/** Quarter (1–4) a period falls in; a year counts as Q1 (it covers the whole year). */
function quarterOf(period: string): number {
  const q = /-Q(\d)$/.exec(period);
  if (q) return Number(q[1]);
  const m = /-(\d{2})$/.exec(period);
  return m ? Math.ceil(Number(m[1]) / 3) : 1;
}

/** Everything that is frozen at approval, computed from the database. */
export async function buildPlanFrame(tx: DbOrTx, plan: PlanRow, now: Date, attempt: number) {
  const draft = { scope: plan.scope, strata: plan.strata, team: plan.team, sources: plan.sources } as Pick<
    TPlanCreate,
    'scope' | 'strata' | 'team' | 'sources'
  >;
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
  // Rule packs in force for the bureau.
  const { registry } = await activeRegistry(tx);
  const pack = registry.forBureau(plan.bureauCode);
  if (!pack) fail('PRECONDITION_FAILED', 'rulePacks', 'no published rule pack applies to this bureau');
  const packRef =
    pack.chain.length === 1
      ? { id: pack.id, version: pack.version, digest: pack.chain[0]!.digest }
      : {
          id: pack.id,
          version: pack.version,
          digest: digestOf(pack.chain.map((c) => ({ id: c.id, version: c.version, digest: c.digest }))),
        };
  const period = parsePeriod(plan.period);
  if (typeof period === 'string') fail('BAD_REQUEST', 'period', period);

  // Target roster in scope.
  const where: SQL[] = [eq(units.status, 'active')];
  if (plan.bureauCode !== CITY_BUREAU) where.push(eq(units.bureauCode, plan.bureauCode));
  if (draft.scope.industries?.length) where.push(inArray(units.industry, draft.scope.industries));
  if (draft.scope.riskGrades?.length) where.push(inArray(units.riskGrade, draft.scope.riskGrades));
  if (draft.scope.streetCodes?.length) where.push(inArray(units.streetCode, draft.scope.streetCodes));
  const roster = await tx
    .select()
    .from(units)
    .where(and(...where));
  if (!roster.length)
    fail('PRECONDITION_FAILED', 'scope', 'no active unit of the roster is in the plan scope');
  const classified = await registry
    .classifier(pack.id)
    .classifyMany(roster.map(unitFactsOf), period, { onWarning: () => {} });
  const classOf = (i: number): Classification => classified.results[i]!;

  // R11: yearly plans take mandatory units with certainty; shorter periods spread the units
  // still due this year over the remaining quarters (coverage ledger).
  const parts = partsPerYear(plan.period);
  const mandatoryIds = roster.filter((_, i) => classOf(i).mandatory).map((u) => u.id);
  let dueSet = new Set<string>();
  let dueStratum: FrameStratumInput | null = null;
  if (parts > 1 && mandatoryIds.length) {
    const year = plan.period.slice(0, 4);
    const done = await tx
      .select({ unitId: tasks.unitId })
      .from(tasks)
      .innerJoin(plans, eq(plans.id, tasks.planId))
      .where(
        and(
          eq(tasks.status, 'done'),
          gte(tasks.executedAt, new Date(`${year}-01-01T00:00:00+08:00`)),
          lt(tasks.executedAt, new Date(`${Number(year) + 1}-01-01T00:00:00+08:00`)),
        ),
      );
    const ledger = coverageLedger({
      required: mandatoryIds,
      inspected: done.map((d) => d.unitId),
      quarter: quarterOf(plan.period),
      stratumId: MANDATORY_DUE_STRATUM,
    });
    dueSet = new Set(ledger.eligible);
    dueStratum = { id: MANDATORY_DUE_STRATUM, method: 'srs', quota: ledger.quota };
  }
  const frameUnits: FrameUnitInput[] = [];
  const ratioOfStratum = new Map<string, string>();
  roster.forEach((u, i) => {
    const c = classOf(i);
    if (parts > 1 && c.mandatory) {
      if (!dueSet.has(u.id)) return; // already inspected this year, or at its ceiling
      frameUnits.push({
        unitId: u.id,
        stratumId: MANDATORY_DUE_STRATUM,
        weight: c.weight ?? 1,
        specialty: c.specialty ?? '',
      });
      return;
    }
    if (!ratioOfStratum.has(c.stratum)) ratioOfStratum.set(c.stratum, c.ratio);
    frameUnits.push({
      unitId: u.id,
      stratumId: c.stratum,
      weight: c.weight ?? 1,
      mandatory: c.mandatory,
      specialty: c.specialty ?? '',
    });
  });
  // Strata: as drafted; strata the packs produce but the plan does not name take the pack's
  // yearly ratio, scaled exactly to the period.
  const strata: FrameStratumInput[] = draft.strata.map((s) => ({ ...s }));
  for (const [id, ratio] of ratioOfStratum) {
    if (strata.some((s) => s.id === id)) continue;
    const r = drawStep('rulePacks', () => parseRatio(ratio, `stratum ${id} ratio`));
    strata.push({ id, method: 'srs', ratio: `${r.num}/${r.den * BigInt(parts)}` });
  }
  if (dueStratum && !strata.some((s) => s.id === MANDATORY_DUE_STRATUM)) strata.push(dueStratum);
  const frame = drawStep('strata', () => buildFrame({ units: frameUnits, strata }));

  // Inspector roster, with every avoidance reason.
  const roster2 = await tx
    .select()
    .from(inspectors)
    .where(plan.bureauCode === CITY_BUREAU ? undefined : eq(inspectors.bureauCode, plan.bureauCode));
  const frameIds = new Set(frame.rows.map((r) => r[0]));
  const declared = await tx.select().from(conflicts).where(isNull(conflicts.revokedAt));
  const known = new Set(roster2.map((i) => i.id));
  // Every done task of the plan's bureau (all bureaus for the city), newest first; filtering by
  // frame membership here rather than in SQL keeps the query size independent of the frame.
  const lastTasks = await tx
    .select({ unitId: tasks.unitId, team: tasks.team, at: tasks.executedAt })
    .from(tasks)
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .where(
      and(
        eq(tasks.status, 'done'),
        plan.bureauCode === CITY_BUREAU ? undefined : eq(plans.bureauCode, plan.bureauCode),
      ),
    )
    .orderBy(desc(tasks.executedAt));
  const lastTeam = new Map<string, string[]>();
  for (const t of lastTasks)
    if (frameIds.has(t.unitId) && !lastTeam.has(t.unitId))
      lastTeam.set(
        t.unitId,
        t.team.filter((m) => known.has(m)),
      );
  const built = drawStep('inspectors', () =>
    buildInspectorRows({
      inspectors: roster2.map((i) => ({
        id: i.id,
        capacity: i.capacityPerQuarter * (parts === 1 ? 4 : 1),
        specialties: i.specialties,
        status: i.status,
      })),
      conflicts: declared
        .filter((c) => known.has(c.inspectorId))
        .map((c) => ({ inspectorId: c.inspectorId, unitId: c.unitId, reason: c.reason })),
      lastTeams: [...lastTeam].map(([unitId, inspectorIds]) => ({ unitId, inspectorIds })),
      ownJurisdiction: draft.team.ownJurisdiction
        ? {
            inspectorBureau: Object.fromEntries(roster2.map((i) => [i.id, i.bureauCode])),
            unitBureau: Object.fromEntries(
              roster.filter((u) => frameIds.has(u.id)).map((u) => [u.id, u.bureauCode]),
            ),
          }
        : undefined,
      unitIds: frameIds,
    }),
  );
  const kind = drawStep('team', () =>
    teamForKind({
      kind: plan.kind,
      size: draft.team.size,
      specialist: draft.team.specialist,
      unitsOnly: draft.team.unitsOnlyReason ? { reason: draft.team.unitsOnlyReason } : undefined,
      keyMode: plan.kind === 'key' ? draft.team.keyMode : undefined,
    }),
  );
  const commitment = drawStep('frame', () =>
    buildCommitment(
      {
        plan: { id: plan.id, bureau: plan.bureauCode, period: plan.period, attempt, ...kind.plan },
        rulePack: packRef,
        checklist: { id: checklist.id, version: String(checklist.version), digest: checklist.digest! },
        strata: frame.strata,
        team: kind.team,
        sources: draft.sources as SourceSpec[],
        committedAt: now.toISOString(),
      },
      frame.rows,
      built.rows,
    ),
  );
  const reasons: Record<string, Record<string, unknown>> = {};
  for (const [ins, perUnit] of built.reasons) reasons[ins] = Object.fromEntries(perUnit);
  return {
    commitment,
    commitmentDigest: commitmentDigestHex(commitment),
    frame: frame.rows,
    inspectorRows: built.rows,
    reasons,
    sealed: kind.plan.sealed === true,
    rulePacks: pack.chain.map((c) => ({ id: c.id, version: c.version, digest: c.digest })),
    fastPath: classified.fastPath,
  };
}

/**
 * `plans.approve` (approver): freezes the frame (target roster × active rule packs), the
 * inspector rows with every avoidance, the published checklist version, the rule packs and the
 * randomness sources into an sr-draw/v1 commitment, which is stored as a new draw attempt and
 * published (sealed covert plans: published when executed).
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
      const plan = await transitionPlan(tx, locked!.id, ['submitted'], 'approved', now, {
        approvedAt: now,
        approvedBy: ctx.user.id,
        rulePacks: frozen.rulePacks,
        sealed: frozen.sealed,
      });
      if (!frozen.sealed) {
        await publish(tx, {
          bureauCode: plan.bureauCode,
          kind: 'commitment',
          refId: draw!.id,
          period: plan.period,
          title: `${plan.title}（抽取承诺 第${draw!.attempt}次）`,
          content: {
            commitment: frozen.commitment,
            commitmentDigest: frozen.commitmentDigest,
            frame: frozen.frame,
            inspectors: frozen.inspectorRows,
          },
          by: ctx.user.id,
          at: now,
        });
      }
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
        },
      });
      return { plan, draw: { ...draw!, commitment: frozen.commitment } };
    });
  });
