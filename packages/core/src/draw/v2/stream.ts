/**
 * The sr-draw/v2 result from a frame read in chunks (a database cursor, a file read piece by piece),
 * holding only the units that can still be selected: memory grows with the quotas and the mandatory
 * rows, not with the frame. Same result as {@link computeResultV2}, byte for byte.
 *
 * Two passes over the frame. The first counts each stratum's rows (and, for `pareto`, its weights),
 * which fixes every stratum's certainty classes, `W` and `n` (SPEC §I.4). The second computes the
 * select keys chunk by chunk and keeps, per stratum, the best rows seen so far: a row is kept when it
 * can still be among the `quota` (srs) or `n` (pareto) best, judged on its key's first word against
 * the current cut-off; the kept rows are ranked exactly (the same comparisons as the in-memory
 * engine) whenever they reach twice what is needed, and at the end. Both passes validate every row
 * and recompute the frame digest, which must equal the commitment's: a source that changes between
 * the commitment and the draw, or between the passes, stops the draw.
 */
import { wordsToHex } from '../canonical';
import { certaintyClasses, REASONS } from '../engine';
import { DrawInputError } from '../errors';
import { packIds } from '../hash';
import { orderPrefix, selectPrefix } from '../keys';
import { resultExpander, teamsAndExperts, type EngineInputV2, type PickV2 } from './engine';
import { validateFrameRowsV2 } from './parse';
import { frameDigestStream } from './rows';
import { SR_DRAW_V2, type DrawOptionsV2, type DrawResultV2, type FrameRowV2 } from './types';

/** A frame read in unitId order, chunk by chunk, from the start each time it is called. */
export type FrameChunks = () => Iterable<readonly FrameRowV2[]>;

/** Inputs of {@link computeResultV2Streamed}: those of `computeResultV2`, the frame as chunks. */
export interface StreamInputV2 extends Omit<EngineInputV2, 'frame'> {
  frame: FrameChunks;
}

/** Options of {@link computeResultV2Streamed}. */
export interface StreamOptionsV2 extends DrawOptionsV2 {
  /**
   * Extra rows a stratum keeps before ranking them again (default 4096); 0 ranks as soon as twice
   * the rows needed are kept, which tests use to rank often.
   */
  slack?: number;
}

const T = 1n << 128n;
const REASON = { mandatory: 0, certainty: 1, random: 2 } as const;
/** A first key word no row reaches (keep every row) and one every row exceeds (keep none). */
const KEEP_ALL = 0x1_0000_0000;
const KEEP_NONE = -1;

/** A row kept in the second pass: its position in the frame, its row and its select key. */
interface Kept {
  at: number;
  row: FrameRowV2;
  key: Uint32Array;
  reason: number;
  /** pareto: `U·(W − n·w)` and `(T − U)·w`, whose cross products order `Q` exactly. */
  a: bigint;
  b: bigint;
}

/** What a stratum needs, known after the first pass, and what it keeps during the second. */
interface StratumState {
  id: string;
  quota: number;
  pareto: boolean;
  prefix: Uint8Array;
  /** Non-mandatory rows; for pareto, their count per weight. */
  free: number;
  weights: Map<number, number>;
  /** pareto: weights taken with certainty, `W` and `n` left after them (SPEC §I.4). */
  certain: Set<number>;
  W: bigint;
  n: number;
  /** Random rows to select: min(quota, free) for srs, `n` for pareto. */
  need: number;
  /** Rows taken without ranking (mandatory, certainty), and the candidates of the ranking. */
  taken: Kept[];
  candidates: Kept[];
  /** srs: keep rows whose first key word is at most this; pareto: the same per weight. */
  cut: number;
  cutOf: Map<number, number>;
}

function keyU(key: Uint32Array): bigint {
  return (BigInt(key[0]!) << 96n) | (BigInt(key[1]!) << 64n) | (BigInt(key[2]!) << 32n) | BigInt(key[3]!);
}

function compareWords(x: Uint32Array, y: Uint32Array): number {
  for (let w = 0; w < 8; w++) if (x[w] !== y[w]) return x[w]! < y[w]! ? -1 : 1;
  return 0;
}

/** The exact ranking of a stratum's candidates: srs by (key, unitId), pareto by (Q, unitId). */
function rank(st: StratumState): void {
  if (st.pareto)
    st.candidates.sort((x, y) => {
      const l = x.a * y.b;
      const r = y.a * x.b;
      if (l !== r) return l < r ? -1 : 1;
      return x.at - y.at;
    });
  else st.candidates.sort((x, y) => compareWords(x.key, y.key) || x.at - y.at);
}

/** Ranks the candidates, keeps the `need` best and tightens the cut-off to the worst of them. */
function prune(st: StratumState): void {
  rank(st);
  st.candidates.length = st.need;
  const last = st.candidates[st.need - 1]!;
  if (!st.pareto) {
    st.cut = last.key[0]!;
    return;
  }
  // Q(U, w) ≤ Q(last) ⇔ U ≤ A·T·w / ((W − n·w)·B + A·w); a larger U is strictly worse than all kept.
  const nB = BigInt(st.n);
  for (const w of st.cutOf.keys()) {
    const wB = BigInt(w);
    const lim = (last.a * T * wB) / ((st.W - nB * wB) * last.b + last.a * wB);
    st.cutOf.set(w, Number(lim >> 96n));
  }
}

/** Validates a chunk of rows (continuing the frame's order from `prev`) and returns its last id. */
function checkChunk(rows: readonly FrameRowV2[], at: number, prev: string): string {
  validateFrameRowsV2(rows, 'frame', at, prev);
  return rows.length > 0 ? rows[rows.length - 1]![0] : prev;
}

/**
 * Computes the v2 result from a frame read twice in chunks, with memory bounded by the selection
 * (quotas, mandatory and certainty rows) and one chunk. Throws a DrawInputError naming the row when
 * a row is invalid, out of order, in a stratum the commitment lacks, or when the frame read differs
 * from the committed one (count or digest) on either pass.
 */
export function computeResultV2Streamed(input: StreamInputV2, options: StreamOptionsV2 = {}): DrawResultV2 {
  const { commitment } = input;
  const slack = options.slack ?? 4096;
  if (!Number.isSafeInteger(slack) || slack < 0)
    throw new DrawInputError('options.slack', `expected an integer ≥ 0, got ${String(slack)}`);
  const index = new Map<string, number>();
  const strata: StratumState[] = commitment.strata.map((s, i) => {
    index.set(s.id, i);
    return {
      id: s.id,
      quota: s.quota,
      pareto: s.method !== 'srs', // as the in-memory engine reads it
      prefix: selectPrefix(s.id, SR_DRAW_V2),
      free: 0,
      weights: new Map(),
      certain: new Set(),
      W: 0n,
      n: 0,
      need: 0,
      taken: [],
      candidates: [],
      cut: KEEP_ALL,
      cutOf: new Map(),
    };
  });
  const stratumOf = (row: FrameRowV2, at: number): StratumState => {
    const i = index.get(row[1]);
    if (i === undefined)
      throw new DrawInputError(
        `frame[${at}][1]`,
        `stratum "${row[1]}" of unit ${row[0]} is not in commitment.strata`,
      );
    return strata[i]!;
  };
  /** Reads the frame once, validating and hashing it, and calls `each` per chunk with its offset. */
  const pass = (name: string, each: (rows: readonly FrameRowV2[], at: number) => void): void => {
    const digest = frameDigestStream();
    let at = 0;
    let prev = '';
    for (const rows of input.frame()) {
      prev = checkChunk(rows, at, prev);
      digest.update(rows);
      each(rows, at);
      at += rows.length;
    }
    const { count, digest: hex } = commitment.frame;
    if (at !== count || digest.digest() !== hex)
      throw new DrawInputError(
        'frame',
        `the frame read on the ${name} pass (${at} rows) is not the committed frame (${count} rows, digest ${hex})`,
      );
  };

  // Pass 1: rows per stratum and, for pareto, per weight.
  pass('first', (rows, at) => {
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const st = stratumOf(row, at + r);
      if (row[3] === 1) continue;
      st.free++;
      if (st.pareto) st.weights.set(row[2], (st.weights.get(row[2]) ?? 0) + 1);
    }
  });
  for (const st of strata) {
    if (!st.pareto) {
      st.need = Math.min(st.quota, st.free);
    } else {
      // The in-memory engine's certainty loop, on the weight classes counted in pass 1.
      const { weights, top, W, n } = certaintyClasses(st.weights, st.quota);
      for (let c = 0; c < top; c++) st.certain.add(weights[c]!);
      st.W = W;
      st.n = n;
      st.need = n > 0 && top < weights.length ? n : 0;
      for (let c = top; c < weights.length; c++) st.cutOf.set(weights[c]!, KEEP_ALL);
    }
    if (st.need === 0) {
      st.cut = KEEP_NONE;
      for (const w of st.cutOf.keys()) st.cutOf.set(w, KEEP_NONE);
    }
  }

  // Pass 2: select keys chunk by chunk; keep what can still be selected.
  const expander = resultExpander(input, options);
  pass('second', (rows, at) => {
    const n = rows.length;
    const ids = packIds(n, (r) => rows[r]![0]);
    // Rows grouped by stratum (counting sort), so that each stratum's keys come from one batch;
    // `slot[r]` is row r's place in `keys`.
    const sOf = new Int32Array(n);
    const start = new Int32Array(strata.length + 1);
    for (let r = 0; r < n; r++) {
      const s = index.get(rows[r]![1]);
      if (s === undefined) stratumOf(rows[r]!, at + r); // throws, naming the row
      sOf[r] = s!;
      start[s! + 1]!++;
    }
    for (let s = 0; s < strata.length; s++) start[s + 1]! += start[s]!;
    const fill = start.slice(0, strata.length);
    const order = new Int32Array(n);
    const slot = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const p = fill[sOf[r]!]!++;
      order[p] = r;
      slot[r] = p;
    }
    const keys = new Uint32Array(n * 8);
    strata.forEach((st, s) => {
      const from = start[s]!;
      const count = start[s + 1]! - from;
      if (count > 0) expander.expand(st.prefix, ids, order.subarray(from, from + count), count, keys, from);
    });
    const keep = (r: number, reason: number): Kept => {
      const row = rows[r]!;
      const k = slot[r]! * 8;
      return {
        at: at + r,
        // A copy: the row hashed is the row kept, whatever the source does with its arrays later.
        row: [row[0], row[1], row[2], row[3], row[4], row[5]],
        key: keys.slice(k, k + 8),
        reason,
        a: 0n,
        b: 0n,
      };
    };
    for (let r = 0; r < n; r++) {
      const row = rows[r]!;
      const st = strata[sOf[r]!]!;
      const w0 = keys[slot[r]! * 8]!;
      if (row[3] === 1) {
        st.taken.push(keep(r, REASON.mandatory));
      } else if (!st.pareto) {
        if (w0 <= st.cut) {
          st.candidates.push(keep(r, REASON.random));
          if (st.candidates.length >= 2 * st.need + slack) prune(st);
        }
      } else if (st.certain.has(row[2])) {
        st.taken.push(keep(r, REASON.certainty));
      } else if (w0 <= st.cutOf.get(row[2])!) {
        const kept = keep(r, REASON.random);
        const u = keyU(kept.key);
        const w = BigInt(row[2]);
        kept.a = u * (st.W - BigInt(st.n) * w);
        kept.b = (T - u) * w;
        st.candidates.push(kept);
        if (st.candidates.length >= 2 * st.need + slack) prune(st);
      }
    }
  });

  // The selection per stratum, then the order of all selected units (SPEC §I.4–§I.5).
  const chosen: Kept[] = [];
  const strataOut: DrawResultV2['strata'] = strata.map((st) => {
    rank(st);
    const random = st.candidates.slice(0, st.need);
    chosen.push(...st.taken, ...random);
    return {
      id: st.id,
      quota: st.quota,
      selected: st.taken.length + random.length,
      shortfall: Math.max(0, st.quota - st.free),
      threshold: random.length > 0 ? wordsToHex(random[random.length - 1]!.key) : null,
    };
  });
  const k = chosen.length;
  const units = packIds(k, (i) => chosen[i]!.row[0]);
  const orderKeys = new Uint32Array(k * 8);
  expander.expand(orderPrefix(SR_DRAW_V2), units, null, k, orderKeys, 0);
  const seq = Array.from({ length: k }, (_, i) => i);
  seq.sort((x, y) => {
    for (let w = 0; w < 8; w++) {
      const a = orderKeys[x * 8 + w]!;
      const b = orderKeys[y * 8 + w]!;
      if (a !== b) return a < b ? -1 : 1;
    }
    return chosen[x]!.at - chosen[y]!.at;
  });
  const picks: PickV2[] = seq.map((i) => {
    const { row, reason, key } = chosen[i]!;
    return { row, reason: REASONS[reason]!, key: wordsToHex(key) };
  });
  return teamsAndExperts(input, expander, picks, units, Int32Array.from(seq), strataOut);
}
