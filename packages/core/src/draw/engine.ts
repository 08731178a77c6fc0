import { utf8, wordsToHex } from './canonical';
import type { Commitment, StratumSpec } from './commitment';
import { DrawInputError } from './errors';
import { checkFeasibility, excludersByUnit, formatFeasibility } from './feasibility';
import { nobleHasher, packIds, type DrawHasher, type KeyExpander, type PackedIds } from './hash';
import { assignPrefix, KEY_TAG, orderPrefix, selectPrefix } from './keys';
import type { FrameRow, InspectorRow } from './rows';

/** Why a unit was selected (sr-draw/v1 §4). */
export type SelectionReason = 'mandatory' | 'certainty' | 'random';

/** One selected unit of the result, in sequence order. */
export interface SelectedUnit {
  unit: string;
  stratum: string;
  reason: SelectionReason;
  sequence: number;
  /** Lowercase hex of the unit's select key. */
  key: string;
  /** Inspector ids in the order chosen; `[]` when teams are not drawn. */
  team: string[];
}

/** Per-stratum summary of the result. */
export interface StratumOutcome {
  id: string;
  quota: number;
  selected: number;
  shortfall: number;
  /** Select key (hex) of the last row taken with reason `random`, else null. */
  threshold: string | null;
}

/** An inspector whose final load exceeds capacity. */
export interface Overload {
  inspector: string;
  load: number;
  capacity: number;
}

/** The result document of sr-draw/v1 §6. */
export interface DrawResult {
  selected: SelectedUnit[];
  strata: StratumOutcome[];
  overloads: Overload[];
}

const REASON_MANDATORY = 0;
const REASON_CERTAINTY = 1;
const REASON_RANDOM = 2;
export const REASONS: SelectionReason[] = ['mandatory', 'certainty', 'random'];
const T = 1n << 128n;

/** Compares the 8-word keys at slots a and b of `keys`, unsigned, lexicographically. */
export function compareKeys(keys: Uint32Array, a: number, b: number): number {
  const ia = a * 8;
  const ib = b * 8;
  for (let w = 0; w < 8; w++) {
    const x = keys[ia + w]!;
    const y = keys[ib + w]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** U: the first 16 bytes of the key at `slot` as an unsigned integer. */
function keyU(keys: Uint32Array, slot: number): bigint {
  const i = slot * 8;
  return (
    (BigInt(keys[i]!) << 96n) |
    (BigInt(keys[i + 1]!) << 64n) |
    (BigInt(keys[i + 2]!) << 32n) |
    BigInt(keys[i + 3]!)
  );
}

/** Integer square root of a small non-negative integer (no floating point). */
function isqrt(n: number): number {
  let x = 0;
  while ((x + 1) * (x + 1) <= n) x++;
  return x;
}

interface StratumPicks {
  /** Frame-row positions (in the stratum-grouped order) and reasons of selected rows. */
  positions: number[];
  reasons: number[];
  /** Position of the last `random` row in ranking order, or -1. */
  thresholdPos: number;
  nonMandatory: number;
}

/**
 * srs (sr-draw/v1 §4): the `quota` smallest non-mandatory rows by (select key, unitId).
 * Rows are filtered on the first key word against a threshold that provably keeps the
 * quota smallest, then only those candidates are sorted exactly.
 */
function selectSrs(
  pos: Int32Array,
  quota: number,
  keys: Uint32Array,
  rowOf: Int32Array,
  out: StratumPicks,
): void {
  const n = pos.length;
  const q = Math.min(quota, n);
  if (q === 0) return;
  const cmp = (a: number, b: number): number => compareKeys(keys, a, b) || rowOf[a]! - rowOf[b]!;
  let candidates: number[];
  if (q * 2 >= n) {
    candidates = Array.from(pos);
  } else {
    let target = q + 4 * isqrt(q) + 32;
    for (;;) {
      const limit = target >= n ? 0x1_0000_0000 : Number((BigInt(target) << 32n) / BigInt(n));
      candidates = [];
      for (let i = 0; i < n; i++) {
        const p = pos[i]!;
        if (keys[p * 8]! < limit) candidates.push(p);
      }
      // Every candidate's first word is below `limit` and every other row's is not, so the
      // q smallest rows are all candidates as soon as there are at least q of them.
      if (candidates.length >= q) break;
      target *= 2;
    }
  }
  candidates.sort(cmp);
  for (let i = 0; i < q; i++) {
    out.positions.push(candidates[i]!);
    out.reasons.push(REASON_RANDOM);
  }
  out.thresholdPos = candidates[q - 1]!;
}

/** A pareto stratum after its certainty loop (sr-draw/v1 §4). */
export interface CertaintyClasses {
  /** Weights of the non-mandatory rows, heaviest first; the first `top` are taken with certainty. */
  weights: number[];
  top: number;
  /** `W` and `n` left for the ranking of the rest. */
  W: bigint;
  n: number;
}

/**
 * The certainty loop of a pareto stratum on its weight classes (`count` rows per weight): while
 * `n > 0` and some row has `n·w ≥ W`, all such rows are taken, `n` and `W` reduced. Exact: one
 * BigInt product per weight class, not one per row.
 */
export function certaintyClasses(count: ReadonlyMap<number, number>, quota: number): CertaintyClasses {
  let W = 0n;
  for (const [w, c] of count) W += BigInt(w) * BigInt(c);
  const weights = [...count.keys()].sort((a, b) => b - a);
  let n = quota;
  let top = 0;
  while (n > 0 && top < weights.length) {
    const nB = BigInt(n);
    let k = top;
    while (k < weights.length && nB * BigInt(weights[k]!) >= W) k++;
    if (k === top) break;
    for (let c = top; c < k; c++) {
      const rows = count.get(weights[c]!)!;
      W -= BigInt(weights[c]!) * BigInt(rows);
      n -= rows;
    }
    top = k;
  }
  return { weights, top, W, n };
}

/**
 * pareto (sr-draw/v1 §4, Rosén 1997): certainty loop, then the n smallest by
 * `Q = U·(W − n·w) / ((T − U)·n·w)` compared exactly by cross-multiplying, ties by unitId.
 */
function selectPareto(
  pos: Int32Array,
  quota: number,
  keys: Uint32Array,
  rowOf: Int32Array,
  weightOf: (p: number) => number,
  out: StratumPicks,
): void {
  if (quota === 0 || pos.length === 0) return;
  // Group by weight, heaviest first: certainty candidates are always the heaviest classes.
  const byWeight = new Map<number, number[]>();
  for (let i = 0; i < pos.length; i++) {
    const p = pos[i]!;
    const w = weightOf(p);
    const list = byWeight.get(w);
    if (list) list.push(p);
    else byWeight.set(w, [p]);
  }
  const counts = new Map<number, number>();
  for (const [w, list] of byWeight) counts.set(w, list.length);
  const { weights, top, W, n } = certaintyClasses(counts, quota);
  const certain: number[] = [];
  for (let c = 0; c < top; c++) for (const p of byWeight.get(weights[c]!)!) certain.push(p);
  certain.sort((a, b) => rowOf[a]! - rowOf[b]!);
  for (const p of certain) {
    out.positions.push(p);
    out.reasons.push(REASON_CERTAINTY);
  }
  if (n <= 0 || top >= weights.length) return;

  const nB = BigInt(n);
  // Rank the rest. Q < τ (τ = a/b) ⇔ U < lim(w) with lim(w) = ceil(a·T·n·w / ((W − n·w)·b + a·n·w)),
  // one bound per weight class. Rows whose first key word is below the bound's first word
  // surely have Q < τ; rows above it surely have Q ≥ τ; equal first words are kept as
  // candidates. Once the sure rows number at least n, the candidates hold the n smallest.
  let remaining = 0;
  for (let c = top; c < weights.length; c++) remaining += byWeight.get(weights[c]!)!.length;
  let a = 5n;
  const b = 4n;
  let candidates: number[];
  for (;;) {
    candidates = [];
    let sure = 0;
    for (let c = top; c < weights.length; c++) {
      const w = BigInt(weights[c]!);
      const nw = nB * w;
      const num = a * T * nw;
      const den = (W - nw) * b + a * nw;
      const lim = (num + den - 1n) / den; // U·den < num ⇔ U < ceil(num/den)
      const limWord = lim >= T ? 0x1_0000_0000 : Number(lim >> 96n);
      for (const p of byWeight.get(weights[c]!)!) {
        const w0 = keys[p * 8]!;
        if (w0 < limWord) {
          candidates.push(p);
          sure++;
        } else if (w0 === limWord) candidates.push(p);
      }
    }
    if (sure >= n || candidates.length === remaining) break;
    a *= 2n;
  }
  // Exact ordering of the candidates: Qi < Qj ⇔ Ai·Bj < Aj·Bi with A = U·(W − n·w), B = (T − U)·w.
  const A = new Map<number, bigint>();
  const B = new Map<number, bigint>();
  for (const p of candidates) {
    const u = keyU(keys, p);
    const w = BigInt(weightOf(p));
    A.set(p, u * (W - nB * w));
    B.set(p, (T - u) * w);
  }
  candidates.sort((x, y) => {
    const l = A.get(x)! * B.get(y)!;
    const r = A.get(y)! * B.get(x)!;
    if (l !== r) return l < r ? -1 : 1;
    return rowOf[x]! - rowOf[y]!;
  });
  for (let i = 0; i < n; i++) {
    out.positions.push(candidates[i]!);
    out.reasons.push(REASON_RANDOM);
  }
  out.thresholdPos = candidates[n - 1]!;
}

/** Everything needed to compute a result, already validated and cross-checked. */
export interface EngineInput {
  commitment: Commitment;
  commitmentDigest: Uint8Array;
  frame: readonly FrameRow[];
  inspectors: readonly InspectorRow[];
  randomness: string;
}

/** Options of a draw computation. */
export interface EngineOptions {
  /** Hashing backend; defaults to {@link nobleHasher}. */
  hasher?: DrawHasher;
}

/**
 * Groups frame rows by stratum (strata in id order, rows in unitId order inside each), reading the
 * frame once in its own order; weights and mandatory flags are copied out by grouped position so
 * that selection never chases row objects in grouped (random) order.
 */
function groupByStratum(
  strata: readonly StratumSpec[],
  frame: readonly SelectableRow[],
): { rowOf: Int32Array; start: Int32Array; weight: Float64Array; mandatory: Uint8Array } {
  const index = new Map<string, number>();
  strata.forEach((s, i) => index.set(s.id, i));
  const sOf = new Int32Array(frame.length);
  const counts = new Int32Array(strata.length + 1);
  let last = '';
  let lastIndex = -1;
  for (let r = 0; r < frame.length; r++) {
    const sid = frame[r]![1];
    const s = sid === last ? lastIndex : index.get(sid);
    if (s === undefined) {
      throw new DrawInputError(
        `frame[${r}][1]`,
        `stratum "${sid}" of unit ${frame[r]![0]} is not in commitment.strata`,
      );
    }
    last = sid;
    lastIndex = s;
    sOf[r] = s;
    counts[s + 1]!++;
  }
  const start = new Int32Array(strata.length + 1);
  for (let s = 0; s < strata.length; s++) start[s + 1] = start[s]! + counts[s + 1]!;
  const fill = Int32Array.from(start);
  const rowOf = new Int32Array(frame.length);
  const weight = new Float64Array(frame.length);
  const mandatory = new Uint8Array(frame.length);
  for (let r = 0; r < frame.length; r++) {
    const p = fill[sOf[r]!]!++;
    const row = frame[r]!;
    rowOf[p] = r;
    weight[p] = row[2];
    mandatory[p] = row[3];
  }
  return { rowOf, start, weight, mandatory };
}

/** A frame row as selection reads it: v1 rows and v2 rows (which append `expert`) both qualify. */
export type SelectableRow = readonly [
  unitId: string,
  stratumId: string,
  weight: number,
  mandatory: 0 | 1,
  specialty: string,
  ...rest: unknown[],
];

/** Selection and sequence of a draw (v1 §4 and the order keys of §5), shared by sr-draw/v1 and v2. */
export interface Selection {
  /** Select keys, 8 words per row, by grouped position. */
  keys: Uint32Array;
  /** Frame row index of each grouped position. */
  rowOf: Int32Array;
  /** Grouped positions of the selected rows, stratum by stratum. */
  selPos: number[];
  /** Reason code (0 mandatory, 1 certainty, 2 random) of each selected row. */
  selReason: number[];
  strataOut: StratumOutcome[];
  /** Indices into selPos in sequence order. */
  seq: number[];
  /** The unit ids in frame order, packed for the key expander (index them by `rowOf[position]`). */
  units: PackedIds;
}

/** Selects units stratum by stratum and orders them (v1 §4–§5), with keys under `tag`. */
export function selectAndOrder(
  strata: readonly StratumSpec[],
  frame: readonly SelectableRow[],
  expander: KeyExpander,
  tag: string,
): Selection {
  const { rowOf, start, weight, mandatory } = groupByStratum(strata, frame);
  // Ids packed in frame order (sequential reads); keys are addressed through rowOf.
  const units: PackedIds = packIds(frame.length, (r) => frame[r]![0]);

  // Select keys, one per frame row, stored by grouped position.
  const N = frame.length;
  const keys = new Uint32Array(N * 8);
  const strataOut: StratumOutcome[] = [];
  const selPos: number[] = [];
  const selReason: number[] = [];
  strata.forEach((s, si) => {
    const from = start[si]!;
    const to = start[si + 1]!;
    // Select keys of the stratum's rows, written at their grouped positions from..to-1.
    expander.expand(selectPrefix(s.id, tag), units, rowOf.subarray(from, to), to - from, keys, from);

    const picks: StratumPicks = { positions: [], reasons: [], thresholdPos: -1, nonMandatory: 0 };
    let nm = 0;
    for (let p = from; p < to; p++) if (mandatory[p] === 0) nm++;
    const free = new Int32Array(nm);
    let f = 0;
    for (let p = from; p < to; p++) {
      if (mandatory[p] === 1) {
        picks.positions.push(p);
        picks.reasons.push(REASON_MANDATORY);
      } else free[f++] = p;
    }
    if (s.method === 'srs') selectSrs(free, s.quota, keys, rowOf, picks);
    else selectPareto(free, s.quota, keys, rowOf, (p) => weight[p]!, picks);
    for (let i = 0; i < picks.positions.length; i++) {
      selPos.push(picks.positions[i]!);
      selReason.push(picks.reasons[i]!);
    }
    strataOut.push({
      id: s.id,
      quota: s.quota,
      selected: picks.positions.length,
      shortfall: Math.max(0, s.quota - nm),
      threshold: picks.thresholdPos < 0 ? null : wordsToHex(keys, picks.thresholdPos * 8),
    });
  });

  // Order keys of the selected units; sequence = rank by (order key, unitId).
  const k = selPos.length;
  const orderKeys = new Uint32Array(k * 8);
  expander.expand(
    orderPrefix(tag),
    units,
    Int32Array.from(selPos, (p) => rowOf[p]!),
    k,
    orderKeys,
    0,
  );
  const seq = Array.from({ length: k }, (_, i) => i);
  seq.sort((a, b) => compareKeys(orderKeys, a, b) || rowOf[selPos[a]!]! - rowOf[selPos[b]!]!);

  return { keys, rowOf, selPos, selReason, strataOut, seq, units };
}

/**
 * Computes the sr-draw/v1 result (§4–§6) from validated inputs. Throws a
 * {@link DrawInputError} when a frame stratum is missing from the commitment or a unit
 * cannot be given a team (which the pre-commit check must have prevented).
 */
export function computeResult(input: EngineInput, options: EngineOptions = {}): DrawResult {
  const { commitment, frame, inspectors } = input;
  const hasher = options.hasher ?? nobleHasher;
  const team = commitment.team;
  if (team.assign) {
    const report = checkFeasibility(frame, inspectors, team);
    if (!report.ok)
      throw new DrawInputError('frame', `some units cannot be given a team:\n${formatFeasibility(report)}`);
  }

  const prk = hasher.hmacSha256(input.commitmentDigest, utf8(input.randomness));
  const expander: KeyExpander = hasher.expander(prk);
  const { keys, rowOf, selPos, selReason, strataOut, seq } = selectAndOrder(
    commitment.strata,
    frame,
    expander,
    KEY_TAG,
  );

  const teams = team.assign
    ? assignTeams(
        input,
        seq.map((i) => rowOf[selPos[i]!]!),
        expander,
      )
    : null;

  const selected: SelectedUnit[] = seq.map((i, s) => {
    const p = selPos[i]!;
    const row = frame[rowOf[p]!]!;
    return {
      unit: row[0],
      stratum: row[1],
      reason: REASONS[selReason[i]!]!,
      sequence: s + 1,
      key: wordsToHex(keys, p * 8),
      team: teams ? teams.teams[s]! : [],
    };
  });
  return { selected, strata: strataOut, overloads: teams ? teams.overloads : [] };
}

/**
 * Team assignment (sr-draw/v1 §5): for each unit in sequence order, candidates ranked by
 * (load ≥ capacity, assign key, inspectorId); a specialist first when required; loads grow.
 */
function assignTeams(
  input: EngineInput,
  rowsInSequence: readonly number[],
  expander: KeyExpander,
): { teams: string[][]; overloads: Overload[] } {
  const { frame, inspectors, commitment } = input;
  const { size, specialist } = commitment.team;
  const m = inspectors.length;
  const ids = packIds(m, (i) => inspectors[i]![0]);
  const capacity = Int32Array.from(inspectors, (r) => r[1]);
  const load = new Int32Array(m);
  const excluders = excludersByUnit(inspectors);
  const holders = new Map<string, Uint8Array>();
  const holdersOf = (specialty: string): Uint8Array => {
    let mask = holders.get(specialty);
    if (!mask) {
      mask = Uint8Array.from(inspectors, (r) => (r[2].includes(specialty) ? 1 : 0));
      holders.set(specialty, mask);
    }
    return mask;
  };
  const cand = new Int32Array(m);
  const akeys = new Uint32Array(m * 8);
  const chosen = new Uint8Array(m);
  const teams: string[][] = [];

  for (const r of rowsInSequence) {
    const [unitId, , , , specialty] = frame[r]!;
    const ex = excluders.get(unitId);
    let c = 0;
    let e = 0;
    for (let i = 0; i < m; i++) {
      if (ex && e < ex.length && ex[e] === i) {
        e++;
        continue;
      }
      cand[c++] = i;
    }
    if (c < size)
      throw new DrawInputError(
        'inspectors',
        `unit ${unitId} has ${c} eligible inspectors, a team needs ${size}`,
      );
    expander.expand(assignPrefix(unitId), ids, cand, c, akeys, 0);
    // Candidate slot j ranks before slot k?
    const better = (j: number, k: number): boolean => {
      const ij = cand[j]!;
      const ik = cand[k]!;
      const fj = load[ij]! >= capacity[ij]! ? 1 : 0;
      const fk = load[ik]! >= capacity[ik]! ? 1 : 0;
      if (fj !== fk) return fj < fk;
      const d = compareKeys(akeys, j, k);
      return d !== 0 ? d < 0 : ij < ik;
    };
    const members: number[] = [];
    if (specialist && specialty !== '') {
      const mask = holdersOf(specialty);
      let best = -1;
      for (let j = 0; j < c; j++) if (mask[cand[j]!] && (best < 0 || better(j, best))) best = j;
      if (best < 0)
        throw new DrawInputError(
          'inspectors',
          `unit ${unitId}: no eligible inspector holds specialty "${specialty}"`,
        );
      members.push(best);
      chosen[best] = 1;
    }
    while (members.length < size) {
      let best = -1;
      for (let j = 0; j < c; j++) if (!chosen[j] && (best < 0 || better(j, best))) best = j;
      members.push(best);
      chosen[best] = 1;
    }
    const team: string[] = [];
    for (const j of members) {
      chosen[j] = 0;
      const i = cand[j]!;
      team.push(inspectors[i]![0]);
      load[i]!++;
    }
    teams.push(team);
  }
  const overloads: Overload[] = [];
  for (let i = 0; i < m; i++) {
    if (load[i]! > capacity[i]!)
      overloads.push({ inspector: inspectors[i]![0], load: load[i]!, capacity: capacity[i]! });
  }
  return { teams, overloads };
}
