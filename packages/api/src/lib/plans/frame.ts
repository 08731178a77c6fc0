/**
 * The frame of a plan: target roster in scope × the rule packs in force → strata, quotas and
 * frame rows; inspector roster × every avoidance → inspector rows. One function,
 * {@link assemblePlanFrame}, serves both `plans.preview` (nothing written) and `plans.approve`
 * (frozen into the commitment), so what a planner previews is what approval commits.
 */
import {
  and,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  isNull,
  like,
  lt,
  ne,
  not,
  sql,
  type SQL,
} from 'drizzle-orm';
import {
  buildFrame,
  buildInspectorRows,
  coverageLedger,
  inclusionWeight,
  INCLUSION_SCALE,
  parseRatio,
  periodInclusion,
  quotaFromWeights,
  teamForKind,
  type FrameStratumInput,
  type FrameUnitInput,
  type KindSettings,
} from '@spotcheck/core';
import {
  bureaus,
  conflicts,
  draws,
  experts,
  inspectors,
  plans,
  tasks,
  units,
  yearlyObligations,
} from '@spotcheck/db';
import {
  BASE_FACTS,
  compareRatios,
  parsePeriod,
  unitFactsFromRecord,
  type Classification,
  type MandatoryReason,
  type PackRegistry,
  type UnitFacts,
} from '@spotcheck/rules';
import { digestOf } from '../canonical';
import { executeRows, type DbOrTx } from '../db';
import { fail } from '../errors';
import { activeRegistry } from '../rule-packs';
import { drawStep } from '../workflow';
import { CITY_BUREAU } from '../../trpc';
import type { TPlanCreate } from './schemas';

/** Stratum of the R11 units still due this year, drawn quarter by quarter (coverage ledger). */
export const MANDATORY_DUE_STRATUM = 'mandatory-due';
/** Stratum of a yearly plan's mandatory units (R11–R12), all taken with certainty. */
export const MANDATORY_STRATUM = 'mandatory';
/**
 * The pareto stratum of every other unit (R13): weights are each unit's own inclusion
 * probability for the period, from its rule ratio, so mixed ratios never share one rate.
 */
export const RATIO_STRATUM = 'ratio-sample';

/** Units of one rule stratum at one yearly ratio, in the ratio stratum of a plan. */
export interface RatioClass {
  /** The rule stratum (classification), e.g. good-credit. */
  stratum: string;
  /** The pack that classified them (a city-level plan uses each district's own). */
  pack: string;
  /** Yearly ratio, as the deciding rule writes it. */
  ratio: string;
  /** Probability of being drawn this period, exact: ratio / (periods − (index − 1)·ratio). */
  periodInclusion: string;
  units: number;
  /** Expected selections this period: units × periodInclusion. */
  expected: number;
}

/** An obligation the approval fixes or raises (never lowers) for the plan year. */
export interface ObligationChange {
  unitId: string;
  bureauCode: string;
  minPerYear: number;
  /** True when a stored obligation is raised rather than first fixed. */
  raised: boolean;
  reasons: MandatoryReason[];
}

type UnitRow = typeof units.$inferSelect;

/** Columns of `units` a frame never reads (unless a base fact is declared on one of them). */
const NOT_READ = [
  'name',
  'address',
  'legalRepresentative',
  'verifiedAt',
  'status',
  'createdAt',
  'updatedAt',
] as const;
/** A roster row as a frame reads it: the base facts' columns. */
export type RosterUnit = Omit<UnitRow, (typeof NOT_READ)[number]>;
/** What a frame keeps of each unit in scope once classified. */
export type RosterEntry = Pick<UnitRow, 'id' | 'bureauCode'>;
const factColumns = new Set(Object.entries(BASE_FACTS).map(([name, f]) => f.column ?? name));
/**
 * What the frame selects: every column but the name, free text, status (the scope selects active
 * units) and timestamps no rule reads (a city has 10^6 units: parsing three timestamps and two
 * texts per row was a third of reading the roster).
 */
const rosterColumns = Object.fromEntries(
  Object.entries(getTableColumns(units)).filter(
    ([key]) => !(NOT_READ as readonly string[]).includes(key) || factColumns.has(key),
  ),
) as Omit<ReturnType<typeof getTableColumns<typeof units>>, (typeof NOT_READ)[number]>;
/**
 * The roster's NOT NULL boolean columns the frame reads, packed into one integer `flags` (bit `i`
 * = column `i`): ten booleans parsed from text per unit were a quarter of reading a city's 10^6
 * rows (issue 16).
 */
const flagColumns = Object.entries(rosterColumns).filter(
  ([, column]) => column.dataType === 'boolean' && column.notNull,
);
if (flagColumns.length > 31) throw new Error('the roster has more boolean facts than one integer holds');
const flagBit = new Map(flagColumns.map(([key], i) => [key, i] as const));
/**
 * {@link rosterColumns} as a raw select list, each column under its ORM name (the drivers give
 * integers as numbers and dates as `YYYY-MM-DD` strings, as the ORM does), the booleans as `flags`.
 */
const rosterSelectList = sql.join(
  [
    ...Object.entries(rosterColumns)
      .filter(([key]) => !flagBit.has(key))
      .map(([key, column]) => sql`${column} AS ${sql.identifier(key)}`),
    ...(flagColumns.length
      ? [
          sql`(${sql.join(
            flagColumns.map(([, column], i) => sql`(${column}::int << ${sql.raw(String(i))})`),
            sql` | `,
          )}) AS "flags"`,
        ]
      : []),
  ],
  sql`, `,
);
/** A row of {@link rosterSelectList}: the booleans packed into `flags`. */
interface PackedRosterRow {
  id: string;
  bureauCode: string;
  flags: number;
  [column: string]: unknown;
}
/** Each base fact's roster column, or its bit in `flags`, in registry order. */
const packedFacts = Object.entries(BASE_FACTS).map(([name, f]) => {
  const column = f.column ?? name;
  return { name, column, bit: flagBit.get(column) ?? -1 };
});
/** The facts the rule packs read, from a row of {@link rosterSelectList}. */
function packedFactsOf(row: PackedRosterRow): UnitFacts {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < packedFacts.length; i++) {
    const { name, column, bit } = packedFacts[i]!;
    out[name] = bit < 0 ? row[column] : ((row.flags >>> bit) & 1) === 1;
  }
  return out as UnitFacts;
}

/**
 * Up to `limit` units of the roster matching `where` after id `after` (null: from the first), in
 * id order: each unit's id and bureau, and its facts as {@link unitFactsOf} gives them for its row.
 */
export async function rosterFactsBatch(
  tx: DbOrTx,
  where: SQL | undefined,
  after: string | null,
  limit: number,
): Promise<{ rows: Pick<RosterUnit, 'id' | 'bureauCode'>[]; facts: UnitFacts[] }> {
  // A raw statement: the driver's rows as they come, named as the ORM names them (its mapping of
  // 10^6 rows, column by column, was 3 s of a city's approval, issue 16).
  const rows = await executeRows<PackedRosterRow>(
    tx,
    sql`SELECT ${rosterSelectList} FROM ${units}
      WHERE ${and(where, after === null ? undefined : gt(units.id, after))}
      ORDER BY ${units.id} LIMIT ${limit}`,
  );
  return { rows, facts: rows.map(packedFactsOf) };
}
/** Units read and classified per statement when a frame is assembled (a city has 10^6). */
export const ROSTER_BATCH = 50_000;

/** Names of the given units, by id (for messages about a few units of a frame). */
export async function unitNames(tx: DbOrTx, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id) => id !== ''))];
  if (!wanted.length) return new Map();
  const rows = await tx
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(inArray(units.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The facts the rule packs read, from a roster row (each base fact from its registry column). */
export function unitFactsOf(u: RosterUnit): UnitFacts {
  return unitFactsFromRecord(u);
}

/**
 * Which units of the bureau a plan's frame is drawn from: active ones in the plan's scope (the
 * city's whole roster for a city plan). The units of the bureau outside it are excluded rows.
 */
export function rosterScope(draft: Pick<FrameDraft, 'bureauCode' | 'scope'>): {
  bureau: SQL | undefined;
  inScope: SQL;
} {
  const where: SQL[] = [eq(units.status, 'active')];
  if (draft.scope.industries?.length) where.push(inArray(units.industry, draft.scope.industries));
  if (draft.scope.riskGrades?.length) where.push(inArray(units.riskGrade, draft.scope.riskGrades));
  if (draft.scope.streetCodes?.length) where.push(inArray(units.streetCode, draft.scope.streetCodes));
  return {
    bureau: draft.bureauCode === CITY_BUREAU ? undefined : eq(units.bureauCode, draft.bureauCode),
    inScope: and(...where)!,
  };
}

/** Share of a year a period covers: 1 (year), 4 (quarter) or 12 (month) parts. */
export function partsPerYear(period: string): 1 | 4 | 12 {
  return /-Q\d$/.test(period) ? 4 : /-\d{2}$/.test(period) ? 12 : 1;
}

/** An inspector's capacity for a period: quarterly capacity × 4 for a year, ÷ 3 (rounded up) for a month. */
export function periodCapacity(perQuarter: number, parts: 1 | 4 | 12): number {
  return parts === 1 ? perQuarter * 4 : parts === 4 ? perQuarter : Math.ceil(perQuarter / 3);
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
  | {
      kind: 'rule-ratios';
      packs: string[];
      periodIndex: number;
      periods: number;
      /** Σπ of the stratum's units this period. */
      expected: number;
      /** Rounding carried from the bureau's earlier draws this year (quota = round(expected + carried)). */
      carried: number;
    }
  | { kind: 'coverage-ledger' }
  | { kind: 'obligations' };

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
  /** The description of every rule of the packs that classified the roster, by rule id. */
  ruleLabels: Record<string, string>;
  /**
   * Active units in scope: id and bureau, in the order of {@link classifications} (per classifying
   * pack, by id). Names: {@link unitNames}.
   */
  roster: RosterEntry[];
  /** The SQL conditions of the roster in scope (the exclusion ledger lists the bureau's other units). */
  scope: ReturnType<typeof rosterScope>;
  classifications: readonly Classification[];
  fastPath: boolean;
  /** Units the packs make mandatory this year (R11–R12), in scope. */
  mandatoryUnits: number;
  /** Units left out because they were already inspected as often as their yearly ceiling allows. */
  ceilingExcluded: number;
  /** Units left out of the ratio stratum: drawn this year already (their yearly sample is spent). */
  sampledExcluded: number;
  /** Units whose ratio is 0%: never drawn at random. */
  zeroRatio: number;
  /** The ratio stratum's units by rule stratum and yearly ratio, with expected selections. */
  ratioClasses: RatioClass[];
  /** Obligations this approval fixes or raises for the plan year (R11–R12). */
  obligations: ObligationChange[];
  /** Inspectors left out for the period because their capacity is used up by other plans. */
  fullyBooked: { id: string; capacity: number; booked: number }[];
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
export async function assemblePlanFrame(
  tx: DbOrTx,
  draft: FrameDraft,
  options: {
    registry?: PackRegistry;
    batch?: number;
    /** Called after each batch with the units read so far and the units in scope. */
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<AssembledFrame> {
  // Rule packs in force for the bureau; a city-level plan classifies each unit with its own
  // district's pack (the city pack alone where a district has none). The versions are those in
  // force on the period's first day (their `effective` dates decide, R14), unless the caller
  // brings a registry (the simulator, with a version under review swapped in).
  const period = parsePeriod(draft.period);
  if (typeof period === 'string') fail('BAD_REQUEST', 'period', 'period.invalid', { detail: period });
  const registry = options.registry ?? (await activeRegistry(tx, period.start)).registry;
  const pack = registry.forBureau(draft.bureauCode);
  if (!pack) fail('PRECONDITION_FAILED', 'rulePacks', 'plan.noRulePackInForce', { start: period.start });
  const year = draft.period.slice(0, 4);
  const yearPeriod = parsePeriod(year) as Exclude<ReturnType<typeof parsePeriod>, string>;

  // Target roster in scope, read and classified pack by pack (a city-level plan: each district's
  // units with its own pack, the city pack for districts without one) in batches of the roster in
  // credit-code order, keeping only each unit's id, bureau and classification. A city's 10^6 rows
  // of facts held at once, with their keyed copies, were 2 GB of heap (issue 16).
  const scope = rosterScope(draft);
  const batch = options.batch ?? ROSTER_BATCH;
  const packOfBureau = (code: string) =>
    draft.bureauCode === CITY_BUREAU ? (registry.forBureau(code) ?? pack) : pack;
  const bureauCodes =
    draft.bureauCode === CITY_BUREAU
      ? (await tx.select({ code: bureaus.code }).from(bureaus)).map((b) => b.code).sort()
      : [draft.bureauCode];
  const groups = new Map<string, string[]>();
  for (const code of bureauCodes) {
    const id = packOfBureau(code).id;
    const g = groups.get(id);
    if (g) g.push(code);
    else groups.set(id, [code]);
  }
  const parts = partsPerYear(draft.period);
  const inScopeTotal = options.onProgress
    ? (
        await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(units)
          .where(and(inArray(units.bureauCode, bureauCodes), scope.inScope))
      )[0]!.n
    : 0;
  const roster: RosterEntry[] = [];
  const periodClass: Classification[] = [];
  // R11–R12 obligations are judged for the plan year as a whole (facts as of the year's start).
  const yearClass: Classification[] = parts > 1 ? [] : periodClass;
  let fastPath = true;
  const usedPacks = new Map<string, { id: string; version: string; digest: string }>();
  const ruleLabels: Record<string, string> = {};
  const bureauOf = new Map<string, string>(); // one string per bureau code, not one per unit
  for (const [id, codes] of groups) {
    const classifier = registry.classifier(id);
    // One cache per pack and period for all its batches: a truth-vector runs the engine once.
    const cache = classifier.bulkCache(period);
    const yearCache = parts > 1 ? classifier.bulkCache(yearPeriod) : undefined;
    let used = false;
    const where = and(inArray(units.bureauCode, codes), scope.inScope);
    // Each batch is asked for as soon as the one before it has arrived, so that PostgreSQL reads
    // it while this one is classified (the two ran one after the other: a city approval waited
    // on its 20 reads, issue 16). A read left behind by a failure is awaited by nobody.
    const read = (after: string | null) => {
      const batchRead = rosterFactsBatch(tx, where, after, batch);
      batchRead.catch(() => {});
      return batchRead;
    };
    let next = read(null);
    for (;;) {
      const { rows, facts } = await next;
      if (!rows.length) break;
      if (rows.length === batch) next = read(rows[rows.length - 1]!.id);
      used = true;
      const res = await classifier.classifyMany(facts, period, { onWarning: () => {}, cache });
      fastPath &&= res.fastPath;
      for (const c of res.results) periodClass.push(c);
      if (parts > 1) {
        const yr = await classifier.classifyMany(facts, yearPeriod, {
          onWarning: () => {},
          cache: yearCache,
        });
        for (const c of yr.results) yearClass.push(c);
      }
      for (const u of rows) {
        let code = bureauOf.get(u.bureauCode);
        if (code === undefined) bureauOf.set(u.bureauCode, (code = u.bureauCode));
        roster.push({ id: u.id, bureauCode: code });
      }
      options.onProgress?.(roster.length, inScopeTotal);
      if (rows.length < batch) break;
    }
    if (!used) continue;
    for (const r of registry.get(id)!.rules) ruleLabels[r.id] = r.description;
    for (const c of registry.get(id)!.chain)
      usedPacks.set(c.id, { id: c.id, version: c.version, digest: c.digest });
  }
  if (!roster.length) fail('PRECONDITION_FAILED', 'scope', 'plan.noUnitsInScope');
  const packOfUnit = (u: RosterEntry) => packOfBureau(u.bureauCode);
  const ownChain = pack.chain.map((c) => ({ id: c.id, version: c.version, digest: c.digest }));
  const chain =
    draft.bureauCode === CITY_BUREAU
      ? [...usedPacks.values()].sort((x, y) => (x.id < y.id ? -1 : 1))
      : ownChain;
  const packRef =
    chain.length === 1 ? chain[0]! : { id: pack.id, version: pack.version, digest: digestOf(chain) };
  const classOf = (i: number): Classification => periodClass[i]!;

  // Inspections this year per unit: done ones feed the coverage ledger (R11) and the yearly
  // ceilings (maxPerYear, R13); issued ones (any status but cancelled) spend a unit's yearly sample.
  const yearTasks = await tx
    .select({ unitId: tasks.unitId, status: tasks.status, executedAt: tasks.executedAt })
    .from(tasks)
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .where(and(ne(tasks.status, 'cancelled'), like(plans.period, `${year}%`)));
  const yearStart = new Date(`${year}-01-01T00:00:00+08:00`).getTime();
  const yearEnd = new Date(`${Number(year) + 1}-01-01T00:00:00+08:00`).getTime();
  const doneThisYear = new Map<string, number>();
  const sampledThisYear = new Set<string>();
  for (const t of yearTasks) {
    sampledThisYear.add(t.unitId);
    const at = t.executedAt?.getTime();
    if (t.status === 'done' && at !== undefined && at >= yearStart && at < yearEnd)
      doneThisYear.set(t.unitId, (doneThisYear.get(t.unitId) ?? 0) + 1);
  }
  // Done tasks of last year's plans executed this year count too (same window as before).
  const lateDone = await tx
    .select({ unitId: tasks.unitId })
    .from(tasks)
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .where(
      and(
        eq(tasks.status, 'done'),
        gte(tasks.executedAt, new Date(yearStart)),
        lt(tasks.executedAt, new Date(yearEnd)),
        not(like(plans.period, `${year}%`)),
      ),
    );
  for (const d of lateDone) doneThisYear.set(d.unitId, (doneThisYear.get(d.unitId) ?? 0) + 1);
  const atCeiling = (i: number) => {
    const max = classOf(i).maxPerYear;
    return max !== null && (doneThisYear.get(roster[i]!.id) ?? 0) >= max;
  };

  // The year's obligations (R11–R12): stored ones stand all year; the packs may add or raise.
  const stored = new Map<string, { minPerYear: number }>();
  const obligationRows = await tx
    .select({ unitId: yearlyObligations.unitId, minPerYear: yearlyObligations.minPerYear })
    .from(yearlyObligations)
    .where(
      and(
        eq(yearlyObligations.year, Number(year)),
        draft.bureauCode === CITY_BUREAU ? undefined : eq(yearlyObligations.bureauCode, draft.bureauCode),
      ),
    );
  // (Read by the roster's units only: rows of units out of scope are never looked up.)
  for (const o of obligationRows) stored.set(o.unitId, o);
  const obligations: ObligationChange[] = [];
  const minOf = new Map<string, number>();
  /** Whether roster unit `i` is mandatory this year (by index: a map lookup per unit was 1.6 s at 10^6). */
  const mandatory = new Uint8Array(roster.length);
  roster.forEach((u, i) => {
    const fromPacks = Math.max(
      yearClass[i]!.mandatory ? yearClass[i]!.minPerYear : 0,
      classOf(i).mandatory ? classOf(i).minPerYear : 0,
    );
    const had = stored.get(u.id)?.minPerYear ?? 0;
    const min = Math.max(had, fromPacks);
    if (min < 1) return;
    minOf.set(u.id, min);
    mandatory[i] = 1;
    if (min > had) {
      const reasons = [...yearClass[i]!.reasons, ...classOf(i).reasons].filter(
        (r, k, all) => all.findIndex((x) => x.rule === r.rule) === k,
      );
      obligations.push({ unitId: u.id, bureauCode: u.bureauCode, minPerYear: min, raised: had > 0, reasons });
    }
  });
  const mandatoryIds: string[] = [];
  roster.forEach((u, i) => {
    if (mandatory[i]) mandatoryIds.push(u.id);
  });

  // R11: yearly plans take mandatory units with certainty; shorter periods spread the units
  // still due this year over the remaining quarters (coverage ledger), all of them by Q4.
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
      minPerYear: Object.fromEntries(minOf),
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

  // R13: every other unit is drawn with its own rule ratio, spread over the periods left, in one
  // pareto stratum whose integer weights are those inclusion probabilities (ARCHITECTURE.md).
  const drafted = new Set(draft.strata.map((s) => s.id));
  const periodIndex =
    parts === 1 ? 1 : parts === 4 ? quarterOf(draft.period) : Number(draft.period.slice(5, 7));
  let ceilingExcluded = 0;
  let sampledExcluded = 0;
  let zeroRatio = 0;
  let weightSum = 0;
  const classes = new Map<string, RatioClass>();
  /** Why an in-scope active unit stays out of the frame (sr-draw/v2 excluded reasons). */
  const leftOut = new Map<string, 'ceiling-reached' | 'not-due'>();
  const frameUnits: FrameUnitInput[] = [];
  /** Units of the frame whose rules require an expert (R5), in frame-unit order. */
  const expertUnits: string[] = [];
  const add = (f: FrameUnitInput, c: Classification) => {
    frameUnits.push(f);
    if (c.expert) expertUnits.push(f.unitId);
  };
  // Classifications are shared objects (one per set of rules fired): each one's ratio-class key
  // is made once, not once per unit.
  const classKeys = new Map<Classification, string>();
  const ratios = new Map<string, { pi: ReturnType<typeof periodInclusion>; weight: number }>();
  roster.forEach((u, i) => {
    const c = classOf(i);
    if (atCeiling(i)) {
      ceilingExcluded++; // already inspected as often as its rules allow this year
      leftOut.set(u.id, 'ceiling-reached');
      return;
    }
    const specialty = c.specialty ?? '';
    if (mandatory[i]) {
      if (parts > 1) {
        if (!dueSet.has(u.id)) {
          leftOut.set(u.id, 'not-due'); // inspected as often as required this year
          return;
        }
        add({ unitId: u.id, specialty, stratumId: MANDATORY_DUE_STRATUM, mandatory: forcedSet.has(u.id) }, c);
      } else {
        const stratumId = drafted.has(c.stratum) ? c.stratum : MANDATORY_STRATUM;
        add({ unitId: u.id, specialty, stratumId, mandatory: true }, c);
      }
      return;
    }
    if (drafted.has(c.stratum)) {
      add({ unitId: u.id, specialty, stratumId: c.stratum, weight: c.weight ?? 1, mandatory: false }, c);
      return;
    }
    if (sampledThisYear.has(u.id)) {
      sampledExcluded++; // drawn this year already: its yearly sample is spent
      leftOut.set(u.id, 'not-due');
      return;
    }
    // A roster has a handful of distinct ratios: each is parsed once (the first unit carrying a
    // bad one is still the one named).
    let ratio = ratios.get(c.ratio);
    if (!ratio) {
      const yearly = drawStep('rulePacks', () => parseRatio(c.ratio, `ratio of unit ${u.id}`));
      const p = periodInclusion(yearly, parts, periodIndex);
      ratio = { pi: p, weight: p.num === 0n ? 0 : inclusionWeight(p) };
      ratios.set(c.ratio, ratio);
    }
    const { pi, weight } = ratio;
    if (pi.num === 0n) {
      zeroRatio++;
      leftOut.set(u.id, 'not-due');
      return;
    }
    weightSum += weight;
    add({ unitId: u.id, specialty, stratumId: RATIO_STRATUM, weight, mandatory: false }, c);
    let key = classKeys.get(c);
    if (key === undefined) classKeys.set(c, (key = `${c.stratum}\u0000${c.ratio}`));
    const cls = classes.get(key);
    if (cls) {
      cls.units++;
      cls.expected += weight / INCLUSION_SCALE;
    } else
      classes.set(key, {
        stratum: c.stratum,
        pack: packOfUnit(u).id,
        ratio: c.ratio,
        periodInclusion: `${pi.num}/${pi.den}`,
        units: 1,
        expected: weight / INCLUSION_SCALE,
      });
  });
  // Strata: as drafted; the pooled ratio stratum; the mandatory ones.
  const strata: FrameStratumInput[] = draft.strata.map((s) => ({ ...s }));
  const sources = new Map<string, StratumSource>(strata.map((s) => [s.id, { kind: 'plan' }]));
  const ratioClasses = [...classes.values()]
    .map((c) => ({ ...c, expected: Math.round(c.expected * 100) / 100 }))
    .sort((x, y) =>
      x.stratum < y.stratum ? -1 : x.stratum > y.stratum ? 1 : compareRatios(x.ratio, y.ratio),
    );
  if (weightSum > 0) {
    // A quota is a whole number fixed before the randomness: the rounding of the bureau's earlier
    // draws this year is carried over, so the year's random picks stay within half a unit of Σπ
    // (rounding each quarter on its own would shortchange small districts' classes every time).
    // Summed in SQL: an earlier draw's frame is ~10^8 bytes of jsonb for a city, read whole into
    // this process once per earlier draw of the year when its rows were parsed here.
    const quotaOf = sql`(SELECT (s->>'quota')::bigint FROM jsonb_array_elements(${draws.commitment}->'strata') AS s
      WHERE s->>'id' = ${RATIO_STRATUM} LIMIT 1)`;
    const [earlier] = await tx
      .select({
        carry: sql<string | null>`sum((SELECT coalesce(sum((r->>2)::bigint), 0)
            FROM jsonb_array_elements(${draws.frame}) AS r
            WHERE r->>1 = ${RATIO_STRATUM} AND r->3 = '0'::jsonb) - ${quotaOf} * ${INCLUSION_SCALE})`,
      })
      .from(draws)
      .innerJoin(plans, eq(plans.id, draws.planId))
      .where(
        and(
          eq(plans.bureauCode, draft.bureauCode),
          like(plans.period, `${year}%`),
          inArray(draws.status, ['drawn', 'signed']),
          // A draw without a ratio stratum carries nothing (its frame is not read).
          sql`${quotaOf} IS NOT NULL`,
        ),
      );
    const carry = Number(earlier?.carry ?? 0);
    const rows = frameUnits.filter((f) => f.stratumId === RATIO_STRATUM).length;
    const quota = Math.min(rows, Math.max(0, quotaFromWeights(weightSum + carry)));
    strata.push({ id: RATIO_STRATUM, method: 'pareto', quota });
    sources.set(RATIO_STRATUM, {
      kind: 'rule-ratios',
      packs: [...new Set(ratioClasses.map((c) => c.pack))].sort(),
      periodIndex,
      periods: parts,
      expected: Math.round((weightSum / INCLUSION_SCALE) * 100) / 100,
      carried: Math.round((carry / INCLUSION_SCALE) * 100) / 100,
    });
  }
  if (dueStratum && !strata.some((s) => s.id === MANDATORY_DUE_STRATUM)) {
    strata.push(dueStratum);
    sources.set(MANDATORY_DUE_STRATUM, { kind: 'coverage-ledger' });
  }
  if (frameUnits.some((f) => f.stratumId === MANDATORY_STRATUM) && !drafted.has(MANDATORY_STRATUM)) {
    strata.push({ id: MANDATORY_STRATUM, method: 'srs', quota: 0 });
    sources.set(MANDATORY_STRATUM, { kind: 'obligations' });
  }
  const frame = drawStep('strata', () => buildFrame({ units: frameUnits, strata }));

  // Inspector roster, with every avoidance reason.
  const inspectorRoster = await tx
    .select()
    .from(inspectors)
    .where(draft.bureauCode === CITY_BUREAU ? undefined : eq(inspectors.bureauCode, draft.bureauCode));
  const frameIds = new Set(frame.rows.map((r) => r[0]));
  const declared = await tx.select().from(conflicts).where(isNull(conflicts.revokedAt));
  // Capacity for the period: the quarterly capacity scaled to the period, less what other plans
  // of the same period have already given the inspector (issued, not cancelled).
  const booked = new Map<string, number>();
  const samePeriod = await tx
    .select({ team: tasks.team })
    .from(tasks)
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .where(and(ne(tasks.status, 'cancelled'), eq(plans.period, draft.period)));
  for (const t of samePeriod) for (const m of t.team) booked.set(m, (booked.get(m) ?? 0) + 1);
  const fullyBooked: AssembledFrame['fullyBooked'] = [];
  const withCapacity = inspectorRoster.flatMap((i) => {
    const capacity = periodCapacity(i.capacityPerQuarter, parts);
    const left = capacity - (booked.get(i.id) ?? 0);
    if (i.status === 'active' && left < 1) {
      fullyBooked.push({ id: i.id, capacity, booked: booked.get(i.id) ?? 0 });
      return [];
    }
    return [{ id: i.id, capacity: Math.max(1, left), specialties: i.specialties, status: i.status }];
  });
  const known = new Set(withCapacity.map((i) => i.id));
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
      inspectors: withCapacity,
      conflicts: declared
        .filter((c) => known.has(c.inspectorId))
        .map((c) => ({ inspectorId: c.inspectorId, unitId: c.unitId, reason: c.reason })),
      lastTeams: [...lastTeam].map(([unitId, inspectorIds]) => ({ unitId, inspectorIds })),
      ownJurisdiction: draft.team.ownJurisdiction
        ? {
            inspectorBureau: Object.fromEntries(
              inspectorRoster.filter((i) => known.has(i.id)).map((i) => [i.id, i.bureauCode]),
            ),
            // A Map: a city's 10^6 units as one object's keys cost seconds in dictionary mode.
            unitBureau: new Map(
              roster.filter((u) => frameIds.has(u.id)).map((u) => [u.id, u.bureauCode] as const),
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
  const pool = (
    await tx
      .select({ id: experts.id, specialties: experts.specialties, bureauCode: experts.bureauCode })
      .from(experts)
      .where(eq(experts.status, 'active'))
  ).filter(
    (e) => draft.bureauCode === CITY_BUREAU || e.bureauCode === null || e.bureauCode === draft.bureauCode,
  );
  if (expertUnits.length && !pool.length) {
    fail('PRECONDITION_FAILED', 'experts', 'plan.noExperts', {
      units: expertUnits.length,
      bureauCode: draft.bureauCode,
    });
  }
  return {
    experts: { pool: pool.map((e) => ({ id: e.id, specialties: e.specialties })), units: expertUnits },
    pack: { id: pack.id, version: pack.version, chain },
    packRef,
    ruleLabels,
    roster,
    scope,
    classifications: periodClass,
    fastPath,
    mandatoryUnits: mandatoryIds.length,
    ceilingExcluded,
    sampledExcluded,
    zeroRatio,
    ratioClasses,
    obligations,
    fullyBooked,
    leftOut,
    ledger,
    frame,
    sources,
    inspectors: built,
    kind,
  };
}
