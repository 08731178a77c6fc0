/**
 * What a rule pack does before and after it is published (R14, B4): validation of uploaded
 * files, its own cases, why a unit is classified as it is, which units change between two
 * versions, and a simulated year against the bureau's inspector capacity. Read-only.
 */
import { and, eq } from 'drizzle-orm';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { VERSION_STATUSES } from '@spotcheck/core';
import { inspectors, units } from '@spotcheck/db';
import {
  compareRatios,
  compilePacks,
  diffClassifications,
  parsePeriod,
  periodOfYear,
  runPackCases,
  simulateYear,
  uncoveredRules,
  type Classification,
  type Classifier,
  type PackSource,
} from '@spotcheck/rules';
import { fail, notFound } from '../../lib/errors';
import type { DbOrTx } from '../../lib/db';
import { ZUsccSchema } from '../../lib/roster-schemas';
import {
  activeRegistry,
  publishedPackRows,
  registryWith,
  rulesRuntime,
  sourceOf,
  type RulePackRow,
} from '../../lib/rule-packs';
import { bureauFilter, todayInChina } from '../../lib/scope';
import { ZBureauCodeSchema, ZIdSchema } from '../../lib/zod';
import { simulatePipelineYear } from './pipeline';
import { ruleLabelsOf } from './workflow';
import { CITY_BUREAU, ROLE_GROUPS, roleProcedure } from '../../trpc';
import { unitFactsOf } from '../../lib/plans/frame';
import {
  ZCaseRunSchema,
  ZExplanationSchema,
  ZPackDiffSchema,
  ZPackIssueOrNullsSchema,
  ZPackSimulationSchema,
} from '../../lib/rule-pack-outputs';

/** Rows listed by `rulePacks.diff` (the counts cover every unit). */
export const DIFF_ROW_LIMIT = 200;

/** A period as rule packs read it: `2027`, `2027-Q2` or `2027-01-01/2027-07-01`. */
const ZPackPeriodSchema = z.string().trim().min(4).max(30);

function periodOf(text: string) {
  const p = parsePeriod(text);
  if (typeof p === 'string') fail('BAD_REQUEST', 'period', 'period.invalid', { detail: p });
  return p;
}

async function versionRow(db: DbOrTx, id: string, field: string): Promise<RulePackRow> {
  const row = await db.query.rulePackVersions.findFirst({ where: (r, { eq }) => eq(r.id, id) });
  if (!row) notFound(field, 'rule pack version', id);
  return row;
}

async function classifyRoster(classifier: Classifier, roster: (typeof units.$inferSelect)[], period: string) {
  const res = await classifier.classifyMany(roster.map(unitFactsOf), periodOf(period), {
    onWarning: () => {},
  });
  return res.results;
}

const staff = roleProcedure(ROLE_GROUPS.staff);

/**
 * `rulePacks.validate` (admins): checks a pack's files as `upload` would, against the published
 * packs, without storing anything. `issues` lists errors and warnings with the file, the JSON
 * path inside it and a suggestion (`did you mean "riskGrade"?`).
 */
export const validatePack = roleProcedure(ROLE_GROUPS.admins)
  .input(
    z.object({
      files: z
        .record(z.string().min(1).max(200), z.unknown())
        .refine((f) => 'pack.json' in f, 'must contain pack.json'),
    }),
  )
  .output(
    z.object({
      ok: z.boolean(),
      issues: z.array(ZPackIssueOrNullsSchema),
      pack: z
        .object({
          id: z.string(),
          version: z.string(),
          bureau: z.string().nullable(),
          extends: z.string().nullable(),
          rules: z.number(),
          cases: z.number(),
        })
        .nullable(),
    }),
  )
  .query(async ({ ctx, input }) => {
    let packId: string | null = null;
    try {
      const m = input.files['pack.json'];
      const manifest = (typeof m === 'string' ? JSON.parse(m) : m) as { id?: unknown } | null;
      if (manifest && typeof manifest.id === 'string') packId = manifest.id;
    } catch {
      // compilePacks reports the syntax error with the file name.
    }
    const others = (await publishedPackRows(ctx.db)).filter((r) => r.packId !== packId);
    const upload: PackSource = { origin: 'upload', files: input.files };
    const result = compilePacks([...others.map(sourceOf), upload], await rulesRuntime());
    const compiled = packId ? result.compiled.get(packId) : undefined;
    return {
      ok: result.ok,
      issues: result.issues.map((i) => ({
        severity: i.severity,
        file: i.file,
        path: i.path,
        code: i.code,
        params: i.params,
        message: i.message,
        hint: i.hint ?? null,
        suggestion: i.suggestion ?? null,
      })),
      pack: compiled
        ? {
            id: compiled.id,
            version: compiled.version,
            bureau: compiled.manifest.bureau ?? null,
            extends: compiled.manifest.extends ?? null,
            rules: compiled.rules.length,
            cases: compiled.cases.length,
          }
        : null,
    };
  });

/**
 * `rulePacks.runCases` (staff): runs a version's own cases (facts in → expected classification)
 * composed with the published packs it extends, and names the rules no passing case exercises.
 */
export const runCases = staff
  .input(z.object({ id: ZIdSchema }))
  .output(
    ZCaseRunSchema.extend({
      id: z.string(),
      packId: z.string(),
      version: z.string(),
      status: z.enum(VERSION_STATUSES),
    }),
  )
  .query(async ({ ctx, input }) => {
    const row = await versionRow(ctx.db, input.id, 'id');
    const { registry, compiled } = await registryWith(ctx.db, row);
    const results = await runPackCases(registry.classifier(row.packId), compiled);
    return {
      id: row.id,
      packId: row.packId,
      version: row.version,
      status: row.status,
      passed: results.filter((r) => r.passed).length,
      failed: results.filter((r) => !r.passed).length,
      results: results.map((r) => ({
        file: r.file,
        name: r.name,
        passed: r.passed,
        mismatches: r.mismatches,
        diffs: r.diffs,
      })),
      uncoveredRules: uncoveredRules(compiled, results),
      ruleLabels: ruleLabelsOf(registry, compiled),
    };
  });

/**
 * `rulePacks.explain` (staff of the unit's bureau): why a unit gets its classification for a
 * period — every rule in order, fired or not, with each condition and the unit's fact value.
 * `packId` names a pack version id (any status) or a published pack id (`tianjin/binhai`);
 * by default the pack in force for the unit's bureau.
 */
export const explainUnit = staff
  .input(
    z.object({
      unitId: ZUsccSchema,
      packId: z.string().trim().min(1).max(200).optional(),
      period: ZPackPeriodSchema,
    }),
  )
  .output(ZExplanationSchema)
  .query(async ({ ctx, input }) => {
    const unit = await ctx.db.query.units.findFirst({ where: (u, { eq }) => eq(u.id, input.unitId) });
    if (!unit) notFound('unitId', 'unit', input.unitId);
    ctx.access.bureau(unit.bureauCode);
    const period = periodOf(input.period);
    let classifier: Classifier;
    if (input.packId && z.uuid().safeParse(input.packId).success) {
      const row = await versionRow(ctx.db, input.packId, 'packId');
      classifier = (await registryWith(ctx.db, row)).registry.classifier(row.packId);
    } else {
      // The versions in force at the period's start, as a plan of that period would use.
      const { registry } = await activeRegistry(ctx.db, period.start);
      const pack = input.packId ? registry.get(input.packId) : registry.forBureau(unit.bureauCode);
      if (!pack && input.packId)
        fail('NOT_FOUND', 'packId', 'rulePack.noPublished', { packId: input.packId });
      if (!pack) fail('NOT_FOUND', 'packId', 'rulePack.noneApplies');
      classifier = registry.classifier(pack.id);
    }
    return classifier.explain(unitFactsOf(unit), period);
  });

type Brief = Pick<Classification, 'stratum' | 'mandatory' | 'ratio' | 'minPerYear' | 'maxPerYear'>;
const brief = (c: Classification): Brief => ({
  stratum: c.stratum,
  mandatory: c.mandatory,
  ratio: c.ratio,
  minPerYear: c.minPerYear,
  maxPerYear: c.maxPerYear,
});

/**
 * `rulePacks.diff` (staff): classifies the active units of a bureau (default: every bureau in
 * reach) under two pack versions and reports the units whose stratum, mandatory flag or ratio
 * (or yearly floor/cap) change: counts per change, stratum transitions, and the first
 * {@link DIFF_ROW_LIMIT} changed units. `period` defaults to the current year.
 */
export const diffPacks = staff
  .input(
    z.object({
      fromId: ZIdSchema,
      toId: ZIdSchema,
      bureauCode: ZBureauCodeSchema.optional(),
      period: ZPackPeriodSchema.optional(),
    }),
  )
  .output(ZPackDiffSchema)
  .query(async ({ ctx, input }) => {
    const from = await versionRow(ctx.db, input.fromId, 'fromId');
    const to = await versionRow(ctx.db, input.toId, 'toId');
    // A district pack classifies its own bureau's units only: the diff is limited to them.
    const packBureau = [from, to].find((r) => r.bureauCode !== CITY_BUREAU)?.bureauCode;
    if (packBureau && input.bureauCode && input.bureauCode !== packBureau)
      fail('BAD_REQUEST', 'bureauCode', 'rulePack.diffOtherBureau', {
        packId: to.packId,
        packBureau,
        bureauCode: input.bureauCode,
      });
    const where = and(
      eq(units.status, 'active'),
      bureauFilter(ctx.access, units.bureauCode, packBureau ?? input.bureauCode),
    );
    const period = input.period ?? todayInChina(ctx.now()).slice(0, 4);
    periodOf(period);
    const roster = await ctx.db.select().from(units).where(where).orderBy(units.id);
    const a = await classifyRoster(
      (await registryWith(ctx.db, from)).registry.classifier(from.packId),
      roster,
      period,
    );
    const b = await classifyRoster(
      (await registryWith(ctx.db, to)).registry.classifier(to.packId),
      roster,
      period,
    );
    const summary = diffClassifications(
      roster.map((u) => u.id),
      a,
      b,
    );
    let ratioChanged = 0;
    const changed: { unitId: string; name: string; bureauCode: string; from: Brief; to: Brief }[] = [];
    let rowCount = 0;
    roster.forEach((u, i) => {
      const x = a[i]!;
      const y = b[i]!;
      const ratioDiffers = compareRatios(x.ratio, y.ratio) !== 0;
      if (ratioDiffers) ratioChanged++;
      if (
        x.stratum === y.stratum &&
        x.mandatory === y.mandatory &&
        !ratioDiffers &&
        x.minPerYear === y.minPerYear &&
        x.maxPerYear === y.maxPerYear
      )
        return;
      rowCount++;
      if (changed.length < DIFF_ROW_LIMIT)
        changed.push({ unitId: u.id, name: u.name, bureauCode: u.bureauCode, from: brief(x), to: brief(y) });
    });
    const ref = (r: RulePackRow) => ({ id: r.id, packId: r.packId, version: r.version, status: r.status });
    return {
      from: ref(from),
      to: ref(to),
      period,
      bureauCode: packBureau ?? input.bureauCode ?? null,
      units: summary.units,
      changedUnits: rowCount,
      stratumChanged: summary.stratumChanged,
      becameMandatory: summary.becameMandatory,
      noLongerMandatory: summary.noLongerMandatory,
      ratioChanged,
      quotaChanged: summary.quotaChanged,
      transitions: summary.transitions,
      rows: changed,
    };
  });

/**
 * `rulePacks.simulate` (staff of the version's bureau; the city pack: city staff): a year of
 * the bureau's active units under the version — per quarter and stratum, floor inspections
 * (minPerYear) and sampled ones against the inspector capacity (Σ active inspectors'
 * `capacityPerQuarter` ÷ `teamSize`), floor visits missed, and mandatory coverage by Q4 (B4).
 */
export const simulatePack = staff
  .input(
    z.object({
      id: ZIdSchema,
      year: z.number().int().min(2000).max(2100),
      teamSize: z.number().int().min(2).max(10).default(2),
      /** Seed of the simulated randomness (hex); the same seed gives the same year. */
      seed: z
        .string()
        .regex(/^[0-9a-f]{8,64}$/, 'must be 8–64 lowercase hex digits')
        .optional(),
    }),
  )
  .output(ZPackSimulationSchema)
  .query(async ({ ctx, input }) => {
    const row = await versionRow(ctx.db, input.id, 'id');
    ctx.access.bureau(row.bureauCode);
    const { registry } = await registryWith(ctx.db, row);
    const inBureau = row.bureauCode === CITY_BUREAU ? undefined : eq(units.bureauCode, row.bureauCode);
    const roster = await ctx.db
      .select()
      .from(units)
      .where(and(eq(units.status, 'active'), inBureau));
    const classified = await registry
      .classifier(row.packId)
      .classifyMany(roster.map(unitFactsOf), periodOfYear(input.year), { onWarning: () => {} });
    const staffRows = await ctx.db
      .select({ capacity: inspectors.capacityPerQuarter })
      .from(inspectors)
      .where(
        and(
          eq(inspectors.status, 'active'),
          row.bureauCode === CITY_BUREAU ? undefined : eq(inspectors.bureauCode, row.bureauCode),
        ),
      );
    const slots = staffRows.reduce((n, r) => n + r.capacity, 0);
    const perQuarter = Math.floor(slots / input.teamSize);
    const report = simulateYear(classified.results, { perQuarter });
    // The same year through the real plan → draw pipeline, on a copy that is rolled back. A
    // bureau the pipeline cannot plan for (no active unit) still gets the capacity model, with why.
    let pipeline: Awaited<ReturnType<typeof simulatePipelineYear>> | null = null;
    let pipelineProblem: string | null = null;
    try {
      pipeline = await simulatePipelineYear(ctx.db, {
        bureauCode: row.bureauCode,
        year: input.year,
        registry,
        teamSize: input.teamSize,
        actorUserId: ctx.user.id,
        ...(input.seed ? { seed: input.seed } : {}),
      });
    } catch (e) {
      if (!(e instanceof TRPCError) || e.code !== 'PRECONDITION_FAILED') throw e;
      pipelineProblem = e.message;
    }
    return {
      pipeline,
      pipelineProblem,
      id: row.id,
      packId: row.packId,
      version: row.version,
      bureauCode: row.bureauCode,
      year: input.year,
      inspectors: staffRows.length,
      inspectorSlotsPerQuarter: slots,
      teamSize: input.teamSize,
      capacityPerQuarter: perQuarter,
      ...report,
    };
  });
