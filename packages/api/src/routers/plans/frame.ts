/**
 * The frame of a plan: target roster in scope × the rule packs in force → strata, quotas and
 * frame rows; inspector roster × every avoidance → inspector rows. One function,
 * {@link assemblePlanFrame}, serves both `plans.preview` (nothing written) and `plans.approve`
 * (frozen into the commitment), so what a planner previews is what approval commits.
 */
import { and, desc, eq, gte, inArray, isNull, lt, type SQL } from 'drizzle-orm';
import {
  buildFrame,
  buildInspectorRows,
  coverageLedger,
  parseRatio,
  teamForKind,
  type FrameStratumInput,
  type FrameUnitInput,
  type KindSettings,
} from '@spotcheck/core';
import { conflicts, experts, inspectors, plans, tasks, units } from '@spotcheck/db';
import { parsePeriod, type Classification } from '@spotcheck/rules';
import { digestOf } from '../../lib/canonical';
import type { DbOrTx } from '../../lib/db';
import { fail } from '../../lib/errors';
import { activeRegistry } from '../../lib/rule-packs';
import { drawStep } from '../../lib/workflow';
import { CITY_BUREAU } from '../../trpc';
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
export function partsPerYear(period: string): 1 | 4 | 12 {
  return /-Q\d$/.test(period) ? 4 : /-\d{2}$/.test(period) ? 12 : 1;
}

/** Quarter (1–4) a period falls in; a year counts as Q1 (it covers the whole year). */
export function quarterOf(period: string): number {
  const q = /-Q(\d)$/.exec(period);
  if (q) return Number(q[1]);
  const m = /-(\d{2})$/.exec(period);
  return m ? Math.ceil(Number(m[1]) / 3) : 1;
}

/** What a frame is built from: a plan row, or a draft being previewed. */
export type FrameDraft = Pick<TPlanCreate, 'bureauCode' | 'period' | 'kind' | 'scope' | 'strata' | 'team'>;

/** Where a stratum's quota comes from. */
export type StratumSource =
  | { kind: 'plan' }
  | { kind: 'rule-pack'; pack: string; yearlyRatio: string; periodRatio: string }
  | { kind: 'coverage-ledger' };

/** The coverage ledger of a quarterly (or monthly) plan (R11). */
export interface LedgerSummary {
  /** Mandatory units of the frame's scope this year. */
  required: number;
  /** Of those, inspected (task done) this year. */
  inspected: number;
  /** Still due: required units not yet inspected as often as their rules ask. */
  due: number;
  /** Of those, forced into this period: they need an inspection in every quarter left (R12). */
  forced: number;
  quartersLeft: number;
  /** Drawn this period: `ceil(due / quartersLeft)`. */
  quota: number;
}

/** Everything the frame is made of, before it is frozen into a commitment. */
export interface AssembledFrame {
  pack: { id: string; version: string; chain: { id: string; version: string; digest: string }[] };
  /** The rule-pack reference the commitment names (chain digest for a composed pack). */
  packRef: { id: string; version: string; digest: string };
  roster: UnitRow[];
  classifications: readonly Classification[];
  fastPath: boolean;
  /** Units the packs make mandatory this year (R11–R12), in scope. */
  mandatoryUnits: number;
  /** Units left out because they were already inspected as often as their yearly ceiling allows. */
  ceilingExcluded: number;
  /** In-scope active units left out of the frame, with the sr-draw/v2 excluded reason. */
  leftOut: ReadonlyMap<string, 'ceiling-reached' | 'not-due'>;
  ledger: LedgerSummary | null;
  frame: ReturnType<typeof buildFrame>;
  /** Source of each stratum's quota, by stratum id. */
  sources: Map<string, StratumSource>;
  inspectors: ReturnType<typeof buildInspectorRows>;
  kind: KindSettings;
  /** R5: the expert library the plan may draw on, and the frame units whose rules require an expert. */
  experts: { pool: { id: string; specialties: string[] }[]; units: string[] };
}

/**
 * Builds the frame of a plan from the database without writing anything: the active rule
 * packs of the bureau classify the target roster in scope; yearly plans take mandatory units
 * with certainty, shorter periods spread the units still due over the remaining quarters
 * (coverage ledger); strata the plan does not name take the pack's ratio scaled to the period;
 * inspector rows carry every avoidance (declared conflicts, last team, own jurisdiction).
 */
export async function assemblePlanFrame(tx: DbOrTx, draft: FrameDraft): Promise<AssembledFrame> {
  // Rule packs in force for the bureau.
  const { registry } = await activeRegistry(tx);
  const pack = registry.forBureau(draft.bureauCode);
  if (!pack) fail('PRECONDITION_FAILED', 'rulePacks', 'no published rule pack applies to this bureau');
  const chain = pack.chain.map((c) => ({ id: c.id, version: c.version, digest: c.digest }));
  const packRef =
    chain.length === 1 ? chain[0]! : { id: pack.id, version: pack.version, digest: digestOf(chain) };
  const period = parsePeriod(draft.period);
  if (typeof period === 'string') fail('BAD_REQUEST', 'period', period);

  // Target roster in scope.
  const where: SQL[] = [eq(units.status, 'active')];
  if (draft.bureauCode !== CITY_BUREAU) where.push(eq(units.bureauCode, draft.bureauCode));
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
  const indexOf = new Map(roster.map((u, i) => [u.id, i]));

  // R11: yearly plans take mandatory units with certainty; shorter periods spread the units
  // still due this year over the remaining quarters (coverage ledger).
  const parts = partsPerYear(draft.period);
  // Inspections done this year per unit: the coverage ledger (R11) and the yearly ceilings
  // (maxPerYear, e.g. good credit at most once a year, R13) both read them.
  const year = draft.period.slice(0, 4);
  const doneRows = await tx
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
  const doneThisYear = new Map<string, number>();
  for (const d of doneRows) doneThisYear.set(d.unitId, (doneThisYear.get(d.unitId) ?? 0) + 1);
  const atCeiling = (i: number) => {
    const max = classOf(i).maxPerYear;
    return max !== null && (doneThisYear.get(roster[i]!.id) ?? 0) >= max;
  };
  const mandatoryIds = roster.filter((_, i) => classOf(i).mandatory).map((u) => u.id);
  let dueSet = new Set<string>();
  let forcedSet = new Set<string>();
  let dueStratum: FrameStratumInput | null = null;
  let ledger: LedgerSummary | null = null;
  if (parts > 1 && mandatoryIds.length) {
    const plan = coverageLedger({
      required: mandatoryIds,
      inspected: [],
      inspectionsThisYear: Object.fromEntries(doneThisYear),
      // R12: units whose rules ask for several inspections a year are forced in when due.
      minPerYear: Object.fromEntries(
        roster.flatMap((u, i) => (classOf(i).mandatory ? [[u.id, classOf(i).minPerYear]] : [])),
      ),
      quarter: quarterOf(draft.period),
      stratumId: MANDATORY_DUE_STRATUM,
    });
    dueSet = new Set(plan.eligible);
    forcedSet = new Set(plan.forced);
    dueStratum = { id: MANDATORY_DUE_STRATUM, method: 'srs', quota: plan.quota };
    ledger = {
      required: mandatoryIds.length,
      inspected: mandatoryIds.length - plan.due.length,
      due: plan.due.length,
      forced: plan.forced.length,
      quartersLeft: plan.quartersLeft,
      quota: plan.quota,
    };
  }
  let ceilingExcluded = 0;
  /** Why an in-scope active unit stays out of the frame (sr-draw/v2 excluded reasons). */
  const leftOut = new Map<string, 'ceiling-reached' | 'not-due'>();
  const frameUnits: FrameUnitInput[] = [];
  const ratioOfStratum = new Map<string, string>();
  roster.forEach((u, i) => {
    const c = classOf(i);
    if (atCeiling(i)) {
      ceilingExcluded++; // already inspected as often as its rules allow this year
      leftOut.set(u.id, 'ceiling-reached');
      return;
    }
    if (parts > 1 && c.mandatory) {
      if (!dueSet.has(u.id)) {
        leftOut.set(u.id, 'not-due'); // inspected as often as required this year
        return;
      }
      frameUnits.push({
        unitId: u.id,
        stratumId: MANDATORY_DUE_STRATUM,
        weight: c.weight ?? 1,
        mandatory: forcedSet.has(u.id),
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
  const sources = new Map<string, StratumSource>(strata.map((s) => [s.id, { kind: 'plan' }]));
  for (const [id, ratio] of ratioOfStratum) {
    if (strata.some((s) => s.id === id)) continue;
    const r = drawStep('rulePacks', () => parseRatio(ratio, `stratum ${id} ratio`));
    const periodRatio = `${r.num}/${r.den * BigInt(parts)}`;
    strata.push({ id, method: 'srs', ratio: periodRatio });
    sources.set(id, { kind: 'rule-pack', pack: pack.id, yearlyRatio: ratio, periodRatio });
  }
  if (dueStratum && !strata.some((s) => s.id === MANDATORY_DUE_STRATUM)) {
    strata.push(dueStratum);
    sources.set(MANDATORY_DUE_STRATUM, { kind: 'coverage-ledger' });
  }
  const frame = drawStep('strata', () => buildFrame({ units: frameUnits, strata }));

  // Inspector roster, with every avoidance reason.
  const inspectorRoster = await tx
    .select()
    .from(inspectors)
    .where(draft.bureauCode === CITY_BUREAU ? undefined : eq(inspectors.bureauCode, draft.bureauCode));
  const frameIds = new Set(frame.rows.map((r) => r[0]));
  const declared = await tx.select().from(conflicts).where(isNull(conflicts.revokedAt));
  const known = new Set(inspectorRoster.map((i) => i.id));
  // Every done task of the plan's bureau (all bureaus for the city), newest first; filtering by
  // frame membership here rather than in SQL keeps the query size independent of the frame.
  const lastTasks = await tx
    .select({ unitId: tasks.unitId, team: tasks.team, at: tasks.executedAt })
    .from(tasks)
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .where(
      and(
        eq(tasks.status, 'done'),
        draft.bureauCode === CITY_BUREAU ? undefined : eq(plans.bureauCode, draft.bureauCode),
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
      inspectors: inspectorRoster.map((i) => ({
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
            inspectorBureau: Object.fromEntries(inspectorRoster.map((i) => [i.id, i.bureauCode])),
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
      kind: draft.kind,
      size: draft.team.size,
      specialist: draft.team.specialist,
      unitsOnly: draft.team.unitsOnlyReason ? { reason: draft.team.unitsOnlyReason } : undefined,
      keyMode: draft.kind === 'key' ? draft.team.keyMode : undefined,
    }),
  );
  // R5: experts join the teams of units whose rules require one (the pool is the bureau's own
  // experts plus the city-wide ones). A plan needing experts with none in the library is refused.
  const expertUnits = frameUnits.filter((f) => classOf(indexOf.get(f.unitId)!).expert).map((f) => f.unitId);
  const pool = (
    await tx
      .select({ id: experts.id, specialties: experts.specialties, bureauCode: experts.bureauCode })
      .from(experts)
      .where(eq(experts.status, 'active'))
  ).filter(
    (e) => draft.bureauCode === CITY_BUREAU || e.bureauCode === null || e.bureauCode === draft.bureauCode,
  );
  if (expertUnits.length && !pool.length) {
    fail(
      'PRECONDITION_FAILED',
      'experts',
      `${expertUnits.length} units in scope require an expert, but the expert library has no active expert for bureau ${draft.bureauCode}`,
    );
  }
  return {
    experts: { pool: pool.map((e) => ({ id: e.id, specialties: e.specialties })), units: expertUnits },
    pack: { id: pack.id, version: pack.version, chain },
    packRef,
    roster,
    classifications: classified.results,
    fastPath: classified.fastPath,
    mandatoryUnits: mandatoryIds.length,
    ceilingExcluded,
    leftOut,
    ledger,
    frame,
    sources,
    inspectors: built,
    kind,
  };
}
