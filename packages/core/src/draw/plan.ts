import type { StratumMethod, StratumSpec, TeamSpec } from './commitment';
import { DrawInputError } from './errors';
import { assertArray, assertDrawId, assertInt, assertObject, assertString, describe } from './ids';
import type { FrameRow, InspectorRow } from './rows';

/** An exact non-negative rational `num/den` (den > 0), reduced. */
export interface Ratio {
  num: bigint;
  den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function decimalToRatio(text: string): Ratio {
  const [whole, frac = ''] = text.split('.');
  const den = 10n ** BigInt(frac.length);
  return { num: BigInt(`${whole}${frac}`), den };
}

/**
 * Parses a sampling ratio given exactly as a string: `"5%"`, `"2.5%"`, `"1/20"`, `"0.05"`,
 * `"1"`. Never uses floating point. Ratios above 1 (100%) are rejected.
 */
export function parseRatio(text: string, path = 'ratio'): Ratio {
  const t = typeof text === 'string' ? text.trim() : '';
  let r: Ratio;
  let m: RegExpMatchArray | null;
  if ((m = t.match(/^(\d+(?:\.\d+)?)\s*%$/))) {
    const d = decimalToRatio(m[1]!);
    r = { num: d.num, den: d.den * 100n };
  } else if ((m = t.match(/^(\d+)\s*\/\s*(\d+)$/))) {
    r = { num: BigInt(m[1]!), den: BigInt(m[2]!) };
  } else if (/^\d+(?:\.\d+)?$/.test(t)) {
    r = decimalToRatio(t);
  } else {
    throw new DrawInputError(
      path,
      `expected a ratio like "5%", "2.5%", "1/20" or "0.05", got ${describe(text)}`,
    );
  }
  if (r.den === 0n) throw new DrawInputError(path, `ratio ${describe(text)} divides by zero`);
  if (r.num > r.den) throw new DrawInputError(path, `ratio ${describe(text)} exceeds 100%`);
  const g = gcd(r.num, r.den) || 1n;
  return { num: r.num / g, den: r.den / g };
}

/** `ceil(count · num / den)` in exact integer arithmetic. */
export function quotaFromRatio(count: number, ratio: Ratio): number {
  const c = BigInt(count);
  return Number((c * ratio.num + ratio.den - 1n) / ratio.den);
}

/** A unit offered to {@link buildFrame}. */
export interface FrameUnitInput {
  unitId: string;
  stratumId: string;
  /** Integer ≥ 1; default 1. Used by pareto strata as the size measure. */
  weight?: number;
  /** Selected whatever the randomness (e.g. R11/R12 units due this period). */
  mandatory?: boolean;
  /** A specialty id the team must cover, or "" / undefined for none. */
  specialty?: string;
}

/** A stratum offered to {@link buildFrame}: either a fixed `quota` or an exact `ratio`. */
export interface FrameStratumInput {
  id: string;
  method: StratumMethod;
  quota?: number;
  /** Applied to the stratum's non-mandatory rows with ceiling rounding, e.g. "5%" or "1/20". */
  ratio?: string;
}

/** Output of {@link buildFrame}: sorted frame rows and the commitment's strata with quotas. */
export interface BuiltFrame {
  rows: FrameRow[];
  strata: StratumSpec[];
}

/**
 * Builds validated frame rows (sorted by unitId, unique) and the strata with quotas from
 * fixed quotas or exact ratios: `quota = ceil(nonMandatoryCount · p / q)`.
 */
export function buildFrame(input: {
  units: readonly FrameUnitInput[];
  strata: readonly FrameStratumInput[];
}): BuiltFrame {
  assertArray(input.units, 'units');
  assertArray(input.strata, 'strata');
  const strataIds = new Set<string>();
  input.strata.forEach((s, i) => {
    assertObject(s, `strata[${i}]`);
    assertDrawId(s.id, `strata[${i}].id`, 'stratum id');
    if (strataIds.has(s.id)) throw new DrawInputError(`strata[${i}].id`, `duplicate stratum "${s.id}"`);
    strataIds.add(s.id);
    if (s.method !== 'srs' && s.method !== 'pareto') {
      throw new DrawInputError(
        `strata[${i}].method`,
        `expected "srs" or "pareto", got ${describe(s.method)}`,
      );
    }
    if ((s.quota === undefined) === (s.ratio === undefined)) {
      throw new DrawInputError(`strata[${i}]`, `stratum "${s.id}" needs exactly one of quota or ratio`);
    }
  });
  const rows: FrameRow[] = input.units.map((u, i) => {
    const at = `units[${i}]`;
    assertObject(u, at);
    assertDrawId(u.unitId, `${at}.unitId`, 'unitId');
    assertDrawId(u.stratumId, `${at}.stratumId`, `stratumId of unit ${u.unitId}`);
    if (!strataIds.has(u.stratumId)) {
      throw new DrawInputError(
        `${at}.stratumId`,
        `unit ${u.unitId} is in stratum "${u.stratumId}", which is not among the plan's strata`,
      );
    }
    const weight = u.weight ?? 1;
    assertInt(weight, `${at}.weight`, 1);
    const specialty = u.specialty ?? '';
    if (specialty !== '') assertDrawId(specialty, `${at}.specialty`, `specialty of unit ${u.unitId}`);
    if (u.mandatory !== undefined && typeof u.mandatory !== 'boolean') {
      throw new DrawInputError(`${at}.mandatory`, `expected true or false, got ${describe(u.mandatory)}`);
    }
    return [u.unitId, u.stratumId, weight, u.mandatory ? 1 : 0, specialty];
  });
  const order = rows
    .map((_, i) => i)
    .sort((a, b) => (rows[a]![0] < rows[b]![0] ? -1 : rows[a]![0] > rows[b]![0] ? 1 : 0));
  for (let k = 1; k < order.length; k++) {
    if (rows[order[k]!]![0] === rows[order[k - 1]!]![0]) {
      throw new DrawInputError(
        `units[${order[k]}].unitId`,
        `unit ${rows[order[k]!]![0]} appears twice (also units[${order[k - 1]}])`,
      );
    }
  }
  const sorted = order.map((i) => rows[i]!);
  const free = new Map<string, number>();
  for (const r of sorted) if (r[3] === 0) free.set(r[1], (free.get(r[1]) ?? 0) + 1);
  const strata: StratumSpec[] = input.strata
    .map((s, i) => {
      let quota: number;
      if (s.quota !== undefined) {
        assertInt(s.quota, `strata[${i}].quota`, 0);
        quota = s.quota;
      } else quota = quotaFromRatio(free.get(s.id) ?? 0, parseRatio(s.ratio!, `strata[${i}].ratio`));
      return { id: s.id, method: s.method, quota };
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return { rows: sorted, strata };
}

/** An inspector offered to {@link buildInspectorRows}. */
export interface InspectorInput {
  id: string;
  capacity: number;
  specialties: readonly string[];
  status: 'active' | 'suspended' | 'left';
}

/** A declared conflict of interest (回避). */
export interface ConflictInput {
  inspectorId: string;
  unitId: string;
  reason: string;
}

/** The team that last inspected a unit: its members must not inspect it again (回避). */
export interface LastTeamInput {
  unitId: string;
  inspectorIds: readonly string[];
}

/** Own-jurisdiction rule: an inspector does not inspect units of the jurisdiction they belong to. */
export interface OwnJurisdictionInput {
  inspectorBureau: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
  unitBureau: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
}

/** Why an inspector excludes a unit; the platform keeps these, the draw only the sets. */
export interface AvoidanceReason {
  kind: 'conflict' | 'last-team' | 'own-jurisdiction';
  detail: string;
}

/** Output of {@link buildInspectorRows}. */
export interface BuiltInspectors {
  rows: InspectorRow[];
  /** inspectorId → unitId → reasons, for every exclusion in `rows`. */
  reasons: Map<string, Map<string, AvoidanceReason[]>>;
  /** Inspectors left out because they are suspended or have left. */
  omitted: { id: string; status: string }[];
}

function entries(
  m: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
): Iterable<[string, string]> {
  return m instanceof Map ? m.entries() : Object.entries(m as Record<string, string>);
}

/**
 * Builds inspector rows (sorted, validated) with `excludedUnits` filled from every avoidance
 * reason (declared conflicts, last team of the unit, own jurisdiction), and a parallel map of
 * the reasons. Suspended and departed inspectors are omitted. With `unitIds`, exclusions are
 * kept only for those units (the frame), so rows stay small and reveal nothing unrelated.
 */
export function buildInspectorRows(input: {
  inspectors: readonly InspectorInput[];
  conflicts?: readonly ConflictInput[];
  lastTeams?: readonly LastTeamInput[];
  ownJurisdiction?: OwnJurisdictionInput;
  /** The frame's unit ids; a Set is used as it is (a city's frame is 10^6 ids). */
  unitIds?: Iterable<string> | ReadonlySet<string>;
}): BuiltInspectors {
  const active = new Map<string, InspectorInput>();
  const known = new Set<string>();
  const omitted: { id: string; status: string }[] = [];
  input.inspectors.forEach((ins, i) => {
    const at = `inspectors[${i}]`;
    assertObject(ins, at);
    assertDrawId(ins.id, `${at}.id`, 'inspectorId');
    if (known.has(ins.id)) throw new DrawInputError(`${at}.id`, `inspector ${ins.id} appears twice`);
    known.add(ins.id);
    if (ins.status !== 'active' && ins.status !== 'suspended' && ins.status !== 'left') {
      throw new DrawInputError(
        `${at}.status`,
        `expected active, suspended or left, got ${describe(ins.status)}`,
      );
    }
    assertInt(ins.capacity, `${at}.capacity`, 1);
    assertArray(ins.specialties, `${at}.specialties`);
    ins.specialties.forEach((s, k) =>
      assertDrawId(s, `${at}.specialties[${k}]`, `specialty of inspector ${ins.id}`),
    );
    if (ins.status === 'active') active.set(ins.id, ins);
    else omitted.push({ id: ins.id, status: ins.status });
  });
  const scope = input.unitIds
    ? input.unitIds instanceof Set
      ? input.unitIds
      : new Set(input.unitIds)
    : null;
  const reasons = new Map<string, Map<string, AvoidanceReason[]>>();
  const exclude = (inspectorId: string, unitId: string, reason: AvoidanceReason, path: string): void => {
    if (!known.has(inspectorId)) throw new DrawInputError(path, `unknown inspector ${describe(inspectorId)}`);
    assertDrawId(unitId, path, 'unitId');
    if (!active.has(inspectorId) || (scope && !scope.has(unitId))) return;
    let perUnit = reasons.get(inspectorId);
    if (!perUnit) reasons.set(inspectorId, (perUnit = new Map()));
    const list = perUnit.get(unitId);
    if (list) list.push(reason);
    else perUnit.set(unitId, [reason]);
  };
  (input.conflicts ?? []).forEach((c, i) => {
    assertString(c.reason, `conflicts[${i}].reason`);
    exclude(c.inspectorId, c.unitId, { kind: 'conflict', detail: c.reason }, `conflicts[${i}]`);
  });
  (input.lastTeams ?? []).forEach((t, i) => {
    t.inspectorIds.forEach((id, k) =>
      exclude(
        id,
        t.unitId,
        { kind: 'last-team', detail: 'member of the team that last inspected this unit' },
        `lastTeams[${i}].inspectorIds[${k}]`,
      ),
    );
  });
  if (input.ownJurisdiction) {
    const byBureau = new Map<string, string[]>();
    for (const [unitId, bureau] of entries(input.ownJurisdiction.unitBureau)) {
      const list = byBureau.get(bureau);
      if (list) list.push(unitId);
      else byBureau.set(bureau, [unitId]);
    }
    for (const [inspectorId, bureau] of entries(input.ownJurisdiction.inspectorBureau)) {
      for (const unitId of byBureau.get(bureau) ?? []) {
        exclude(
          inspectorId,
          unitId,
          { kind: 'own-jurisdiction', detail: `unit and inspector both belong to ${bureau}` },
          `ownJurisdiction.inspectorBureau.${inspectorId}`,
        );
      }
    }
  }
  const rows: InspectorRow[] = [...active.values()]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((ins) => [
      ins.id,
      ins.capacity,
      [...new Set(ins.specialties)].sort(),
      [...(reasons.get(ins.id)?.keys() ?? [])].sort(),
    ]);
  return { rows, reasons, omitted };
}

/** Input of the yearly mandatory coverage ledger (R11). */
export interface CoverageInput {
  /** Units that must be inspected at least once this year (R11). */
  required: readonly string[];
  /** Units already inspected this year. */
  inspected: Iterable<string>;
  /** Quarter this plan covers, 1–4. */
  quarter: number;
  /** Inspections so far this year per unit, for ceilings. */
  inspectionsThisYear?: Readonly<Record<string, number>>;
  /** Maximum inspections per year: one number for all units, or per unit. */
  ceiling?: number | Readonly<Record<string, number>>;
  /** Minimum inspections per year per unit (R12 frequency, e.g. 2 or 4); default 1. */
  minPerYear?: Readonly<Record<string, number>>;
  /** Stratum id for the due units; default "mandatory-due". */
  stratumId?: string;
}

/** Output of {@link coverageLedger}. */
export interface CoveragePlan {
  /** Required units not yet inspected, sorted. */
  due: string[];
  /** Due units left out because they already reached their yearly ceiling. */
  atCeiling: string[];
  /** Due units this plan takes or may draw from (forced ones included), sorted. */
  eligible: string[];
  /**
   * Units that must be inspected in this quarter: they still need as many inspections as
   * quarters are left (only units whose rules ask for more than one a year). They are mandatory
   * rows of the stratum; the quota counts the random picks among the others.
   */
  forced: string[];
  quartersLeft: number;
  /** `ceil(inspections still due among the unforced / quartersLeft)`; all of them in Q4. */
  quota: number;
  /** The srs stratum to commit: timing is random, coverage by Q4 is certain. */
  stratum: StratumSpec;
}

/**
 * Mandatory coverage ledger (R11, R12): of the required units still due this year, this quarter's
 * plan draws `ceil(inspections due / quartersLeft)` at random as an srs stratum, so every one is
 * covered by Q4 (which takes all that remain). A unit whose rules ask for several inspections a
 * year is forced into the quarter once it needs as many as there are quarters left, so its
 * frequency is met too. Units at their yearly ceiling are left out.
 */
export function coverageLedger(input: CoverageInput): CoveragePlan {
  assertInt(input.quarter, 'quarter', 1, 4);
  const stratumId = input.stratumId ?? 'mandatory-due';
  assertDrawId(stratumId, 'stratumId', 'stratum id');
  const inspected = new Set(input.inspected);
  const count = input.inspectionsThisYear ?? {};
  const doneOf = (u: string) => count[u] ?? (inspected.has(u) ? 1 : 0);
  const remainingOf = (u: string) => Math.max(0, (input.minPerYear?.[u] ?? 1) - doneOf(u));
  const due = [...new Set(input.required)].filter((u) => remainingOf(u) > 0).sort();
  due.forEach((u) => assertDrawId(u, 'required', 'unitId'));
  const ceilingOf = (u: string): number | undefined =>
    typeof input.ceiling === 'number' ? input.ceiling : input.ceiling ? input.ceiling[u] : undefined;
  const quartersLeft = 5 - input.quarter;
  const atCeiling: string[] = [];
  const eligible: string[] = [];
  const forced: string[] = [];
  let pooledRemaining = 0;
  for (const u of due) {
    const c = ceilingOf(u);
    if (c !== undefined && doneOf(u) >= c) {
      atCeiling.push(u);
      continue;
    }
    eligible.push(u);
    const remaining = remainingOf(u);
    if (remaining > 1 && remaining >= quartersLeft) forced.push(u);
    else pooledRemaining += remaining;
  }
  const pool = eligible.length - forced.length;
  const quota = Math.min(pool, Math.ceil(pooledRemaining / quartersLeft));
  return {
    due,
    atCeiling,
    eligible,
    forced,
    quartersLeft,
    quota,
    stratum: { id: stratumId, method: 'srs', quota },
  };
}

/** How a plan of a given kind is randomised, recorded in the commitment's `plan` block. */
export type DrawMode = 'double-random' | 'units-only' | 'random-inspectors' | 'random-order';

/** Options of {@link teamForKind}. */
export interface KindOptions {
  kind: 'general' | 'key' | 'covert';
  /** Team size, ≥ 2 (default 2). Applies also when teams are formed outside the draw. */
  size?: number;
  /** Whether a team must include a specialist for units with a specialty (default true). */
  specialist?: boolean;
  /** General inspections only (R8): draw units only, because officers are too few or lack the specialty. */
  unitsOnly?: { reason: string };
  /** Key inspections (R9): draw inspectors at random (default) or only the visiting order. */
  keyMode?: 'random-inspectors' | 'random-order';
}

/** The commitment's `team` block and the flags to merge into its `plan` block. */
export interface KindSettings {
  team: TeamSpec;
  plan: { kind: 'general' | 'key' | 'covert'; mode: DrawMode; sealed?: true; reason?: string };
}

/**
 * Maps an inspection kind to how the draw randomises it: general = double random, or units
 * only with a recorded reason (R8); key = random inspectors or random visiting order (R9);
 * covert = double random, sealed until the inspection (R10). A team is never below two.
 */
export function teamForKind(options: KindOptions): KindSettings {
  const size = options.size ?? 2;
  assertInt(size, 'size', 2, 64);
  const specialist = options.specialist ?? true;
  if (typeof specialist !== 'boolean')
    throw new DrawInputError('specialist', `expected true or false, got ${describe(specialist)}`);
  const { kind } = options;
  if (options.unitsOnly && kind !== 'general') {
    throw new DrawInputError(
      'unitsOnly',
      `only general inspections may draw units only (R8); ${kind} inspections may not`,
    );
  }
  if (options.keyMode && kind !== 'key')
    throw new DrawInputError('keyMode', 'keyMode applies to key inspections only (R9)');
  switch (kind) {
    case 'general':
      if (options.unitsOnly) {
        const reason = options.unitsOnly.reason;
        if (typeof reason !== 'string' || reason.trim() === '') {
          throw new DrawInputError(
            'unitsOnly.reason',
            'drawing units only needs a recorded reason (too few officers, or none with the specialty)',
          );
        }
        return {
          team: { assign: false, size, specialist },
          plan: { kind, mode: 'units-only', reason: reason.trim() },
        };
      }
      return { team: { assign: true, size, specialist }, plan: { kind, mode: 'double-random' } };
    case 'key': {
      const mode = options.keyMode ?? 'random-inspectors';
      if (mode !== 'random-inspectors' && mode !== 'random-order') {
        throw new DrawInputError(
          'keyMode',
          `expected random-inspectors or random-order, got ${describe(mode)}`,
        );
      }
      return { team: { assign: mode === 'random-inspectors', size, specialist }, plan: { kind, mode } };
    }
    case 'covert':
      return {
        team: { assign: true, size, specialist },
        plan: { kind, mode: 'double-random', sealed: true },
      };
    default:
      throw new DrawInputError('kind', `expected general, key or covert, got ${describe(kind)}`);
  }
}

/**
 * Probability of being drawn in period `index` (1-based) of `parts` periods a year that makes a
 * unit's yearly inclusion probability exactly its yearly ratio `p`, for a unit not drawn yet this
 * year: `p / (parts − (index − 1)·p)`. Drawn with these probabilities period after period (a unit
 * drawn once leaves the year's random frame), `P(drawn this year) = p` exactly: the probability
 * of reaching period k undrawn telescopes to `1 − (k − 1)·p / parts`.
 */
export function periodInclusion(p: Ratio, parts: number, index: number): Ratio {
  assertInt(parts, 'parts', 1, 366);
  assertInt(index, 'index', 1, parts);
  const num = p.num;
  const den = BigInt(parts) * p.den - BigInt(index - 1) * p.num;
  if (num === 0n) return { num: 0n, den: 1n };
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

/** Scale of the integer pareto weights that stand for inclusion probabilities (sr-draw §4). */
export const INCLUSION_SCALE = 1_000_000;

/**
 * The integer pareto weight of an inclusion probability: `round(π · INCLUSION_SCALE)`, at
 * least 1. Within a pareto stratum whose quota is `round(Σπ)`, Rosén's order sampling then
 * includes each row with probability ≈ its own π, whatever the other rows' ratios.
 */
export function inclusionWeight(pi: Ratio): number {
  const scaled = (pi.num * BigInt(INCLUSION_SCALE) * 2n + pi.den) / (2n * pi.den);
  return Math.max(1, Number(scaled));
}

/** `round(Σ weights / INCLUSION_SCALE)` (half up): the pareto quota whose expectation is Σπ. */
export function quotaFromWeights(weightSum: number): number {
  return Math.floor((weightSum * 2 + INCLUSION_SCALE) / (2 * INCLUSION_SCALE));
}
