import { capacityReport, checkFeasibilityV2 } from '@spotcheck/core';
import { z } from 'zod';
import { frameRowsV2, personRowsV2 } from '../draw-v2';
import { fail } from '../errors';
import { ROLE_GROUPS, roleProcedure } from '../../trpc';
import { assemblePlanFrame, partsPerYear, unitNames, type StratumSource } from './frame';
import { ZPlanCreateSchema } from './schemas';

/** Input of `plans.preview`: the parts of a draft plan that shape its frame. */
export const ZPlanPreviewSchema = ZPlanCreateSchema.pick({
  bureauCode: true,
  period: true,
  kind: true,
  scope: true,
  strata: true,
  team: true,
});

const ZCountSchema = z.number().int().nonnegative();
const ZPoolSchema = z.object({
  specialty: z.string().nullable(),
  inspectors: ZCountSchema,
  capacity: ZCountSchema,
  demand: ZCountSchema,
  shortfall: ZCountSchema,
});

/** Output of `plans.preview` (what the wizard's preview step shows). */
export const ZPlanPreviewOutputSchema = z.object({
  bureauCode: z.string(),
  period: z.string(),
  kind: z.enum(['general', 'key', 'covert']),
  mode: z.enum(['double-random', 'units-only', 'random-inspectors', 'random-order']),
  team: z.object({ assign: z.boolean(), size: ZCountSchema, specialist: z.boolean() }),
  rulePacks: z.array(z.object({ id: z.string(), version: z.string(), digest: z.string() })),
  fastPath: z.boolean(),
  roster: ZCountSchema,
  frameSize: ZCountSchema,
  strata: z.array(
    z.object({
      id: z.string(),
      method: z.enum(['srs', 'pareto']),
      quota: ZCountSchema,
      planned: ZCountSchema,
      ratio: z.string().nullable(),
      source: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('plan') }),
        z.object({
          kind: z.literal('rule-ratios'),
          packs: z.array(z.string()),
          periodIndex: z.number(),
          periods: z.number(),
          expected: z.number(),
          carried: z.number(),
        }),
        z.object({ kind: z.literal('coverage-ledger') }),
        z.object({ kind: z.literal('obligations') }),
      ]),
      units: ZCountSchema,
      mandatory: ZCountSchema,
      rules: z.array(z.string()),
    }),
  ),
  ratioClasses: z.array(
    z.object({
      stratum: z.string(),
      pack: z.string(),
      ratio: z.string(),
      periodInclusion: z.string(),
      units: ZCountSchema,
      expected: z.number(),
    }),
  ),
  ruleLabels: z.record(z.string(), z.string()),
  mandatory: z.object({
    units: ZCountSchema,
    inFrame: ZCountSchema,
    byRule: z.array(z.object({ rule: z.string(), units: ZCountSchema })),
  }),
  coverageLedger: z
    .object({
      required: ZCountSchema,
      inspected: ZCountSchema,
      due: ZCountSchema,
      forced: ZCountSchema,
      quartersLeft: ZCountSchema,
      quota: ZCountSchema,
    })
    .nullable(),
  ceilingExcluded: ZCountSchema,
  sampledExcluded: ZCountSchema,
  zeroRatio: ZCountSchema,
  newObligations: ZCountSchema,
  inspectors: z.object({
    active: ZCountSchema,
    omitted: z.array(z.object({ id: z.string(), status: z.string() })),
    capacity: ZCountSchema,
    periodsPerYear: z.union([z.literal(1), z.literal(4), z.literal(12)]),
    fullyBooked: z.array(z.object({ id: z.string(), capacity: ZCountSchema, booked: ZCountSchema })),
  }),
  capacity: z.object({
    units: ZCountSchema,
    places: ZCountSchema,
    pools: z.array(ZPoolSchema),
    ok: z.boolean(),
  }),
  feasibility: z.object({
    ok: z.boolean(),
    problemCount: ZCountSchema,
    shortPools: z.array(ZPoolSchema),
    problems: z.array(
      z.object({
        unitId: z.string(),
        unitName: z.string(),
        eligible: ZCountSchema,
        eligibleSpecialists: ZCountSchema.nullable(),
        reasons: z.array(z.string()),
      }),
    ),
  }),
});

/** Most feasibility problems listed in a preview (`problemCount` counts them all). */
export const PREVIEW_PROBLEM_LIMIT = 200;

/**
 * `plans.preview` (planners): what approval would freeze for this draft, computed by the same
 * {@link assemblePlanFrame} and written nowhere — the strata with quotas and where each quota
 * comes from (the plan, a rule pack's yearly ratio scaled to the period, or the coverage
 * ledger), the frame size, mandatory counts (by rule), the coverage ledger of a quarterly plan,
 * the inspector roster, and the sr-draw/v1 §1 feasibility check with every failing unit and why
 * (fewer than `team.size` eligible inspectors, no eligible specialist).
 */
export const previewPlan = roleProcedure(ROLE_GROUPS.planners)
  .input(ZPlanPreviewSchema)
  .output(ZPlanPreviewOutputSchema)
  .query(async ({ ctx, input }) => {
    ctx.access.bureau(input.bureauCode);
    if (input.team.unitsOnlyReason && input.kind !== 'general')
      fail('BAD_REQUEST', 'team.unitsOnlyReason', 'plan.unitsOnlyGeneral');
    const built = await assemblePlanFrame(ctx.db, input);
    const { frame, roster, classifications } = built;
    const indexOf = new Map(roster.map((u, i) => [u.id, i]));
    const perStratum = new Map<string, { units: number; mandatory: number; rules: Set<string> }>();
    for (const [unitId, stratumId, , mandatory] of frame.rows) {
      let s = perStratum.get(stratumId);
      if (!s) perStratum.set(stratumId, (s = { units: 0, mandatory: 0, rules: new Set() }));
      s.units++;
      if (mandatory) s.mandatory++;
      for (const r of classifications[indexOf.get(unitId)!]!.fired) s.rules.add(r);
    }
    const drafted = new Map(input.strata.map((s) => [s.id, s]));
    const byReason = new Map<string, number>();
    for (const c of classifications)
      if (c.mandatory) for (const r of c.reasons) byReason.set(r.rule, (byReason.get(r.rule) ?? 0) + 1);
    // sr-draw/v2 feasibility on the rows approval would commit (every plan assigns teams, §9.6).
    const v2Frame = frameRowsV2(frame.rows, new Set(built.experts.units));
    const v2Inspectors = personRowsV2(
      built.inspectors.rows.map(([id, capacity, specialties]) => ({ id, capacity, specialties })),
      built.inspectors.reasons,
    );
    const v2Experts = personRowsV2(
      built.experts.pool.map((e) => ({ ...e, capacity: 1 })),
      new Map(),
    );
    const v2Team = { assign: true, size: Math.max(2, input.team.size), specialist: input.team.specialist };
    const v2 = checkFeasibilityV2({ team: v2Team, strata: frame.strata }, v2Frame, v2Inspectors, v2Experts);
    const byUnit = new Map<
      string,
      { eligible: number; eligibleSpecialists: number | null; reasons: string[] }
    >();
    for (const pr of v2.problems) {
      const key = pr.unitId ?? '';
      let u = byUnit.get(key);
      if (!u)
        byUnit.set(
          key,
          (u = { eligible: pr.rule === 'inspectors' ? pr.have : 0, eligibleSpecialists: null, reasons: [] }),
        );
      if (pr.rule === 'inspectors') u.eligible = pr.have;
      if (pr.rule === 'specialists') u.eligibleSpecialists = pr.have;
      u.reasons.push(pr.unitId ? pr.message.replace(/^unit \S+: /, '') : pr.message);
    }
    const capacity = capacityReport(frame.rows, frame.strata, built.inspectors.rows, v2Team);
    const report = {
      ok: v2.ok,
      problems: [...byUnit].map(([unitId, u]) => ({ unitId, ...u })),
    };
    const names = await unitNames(ctx.db, [...byUnit.keys()]);
    const nameOf = (id: string) => names.get(id) ?? '';
    return {
      bureauCode: input.bureauCode,
      period: input.period,
      kind: input.kind,
      mode: built.kind.plan.mode,
      team: built.kind.team,
      rulePacks: built.pack.chain,
      fastPath: built.fastPath,
      /** Active units in scope, and how many of them the frame holds. */
      roster: roster.length,
      frameSize: frame.rows.length,
      /**
       * Per stratum, in the draw's own terms (sr-draw §6): `quota` = random picks among the
       * stratum's non-mandatory rows, `mandatory` = rows taken with certainty, `planned` =
       * mandatory + min(quota, non-mandatory rows) — the number the draw's `selected` will show.
       */
      strata: frame.strata.map((s) => {
        const stats = perStratum.get(s.id) ?? { units: 0, mandatory: 0, rules: new Set<string>() };
        const source = built.sources.get(s.id) as StratumSource;
        const d = drafted.get(s.id);
        return {
          id: s.id,
          method: s.method,
          quota: s.quota,
          planned: stats.mandatory + Math.min(s.quota, stats.units - stats.mandatory),
          ratio: d ? (d.ratio ?? null) : null,
          source,
          units: stats.units,
          mandatory: stats.mandatory,
          /** Rules that fired for the stratum's units (at most 20). */
          rules: [...stats.rules].sort().slice(0, 20),
        };
      }),
      /** The ratio stratum by rule stratum and yearly ratio: where its quota comes from (R13). */
      ratioClasses: built.ratioClasses,
      /** Rule descriptions by rule id, to name fired rules. */
      ruleLabels: built.ruleLabels,
      mandatory: {
        /** Units the packs make mandatory this year (in scope). */
        units: built.mandatoryUnits,
        /** Frame rows drawn with certainty (yearly plans; quarterly plans draw the ledger stratum). */
        inFrame: frame.rows.filter((r) => r[3] === 1).length,
        byRule: [...byReason]
          .map(([rule, units]) => ({ rule, units }))
          .sort((a, b) => b.units - a.units || a.rule.localeCompare(b.rule)),
      },
      coverageLedger: built.ledger,
      /** Units left out of the frame: already inspected as often as their yearly ceiling allows (R13). */
      ceilingExcluded: built.ceilingExcluded,
      /** Units left out of the ratio stratum: drawn this year already. */
      sampledExcluded: built.sampledExcluded,
      /** Units at a 0% ratio (never drawn at random). */
      zeroRatio: built.zeroRatio,
      /** Obligations approval would fix or raise for the plan year (R11–R12). */
      newObligations: built.obligations.length,
      inspectors: {
        active: built.inspectors.rows.length,
        omitted: built.inspectors.omitted,
        /** Capacity for the period (quarterly capacity scaled, less other plans' tasks). */
        capacity: built.inspectors.rows.reduce((n, r) => n + r[1], 0),
        periodsPerYear: partsPerYear(input.period),
        fullyBooked: built.fullyBooked,
      },
      /** Team places the draw will need, per officer pool, against their capacity for the period. */
      capacity,
      feasibility: {
        /** Every unit can be staffed and no officer pool is short for the period. */
        ok: report.ok && capacity.ok,
        problemCount: report.problems.length,
        /** Pools short of team places (whole roster or one specialty), with the shortfall. */
        shortPools: capacity.pools.filter((p) => p.shortfall > 0),
        problems: report.problems.slice(0, PREVIEW_PROBLEM_LIMIT).map((p) => ({
          unitId: p.unitId,
          unitName: nameOf(p.unitId),
          eligible: p.eligible,
          eligibleSpecialists: p.eligibleSpecialists,
          reasons: p.reasons,
        })),
      },
    };
  });
