/**
 * Replacing a team member after the draw (SPEC §II.9.6, DRAW-SPEC-v2 §9.6): a member who becomes
 * unavailable (ill, on leave) or declares a conflict with the unit after the draw is replaced by the
 * next eligible inspector in the unit's committed keyed shuffle — never by a person's choice. Each
 * replacement is a numbered public record; anyone recomputes it from the published bundle and the
 * records before it.
 *
 * The walk for record n (records 1 … n−1 already applied, in order):
 * - the unit's current team is its `team` in the result with each earlier record's `out` replaced
 *   in place by its `in`; an inspector's load is the number of current teams naming them;
 * - candidates are the inspectors whose committed exclusions do not name the unit, in the order of
 *   the unit's assign-key shuffle (§II.5, the same shuffle the draw walked), minus the current
 *   members (`out` included) and everyone an earlier record took off this unit's team;
 * - rank = (load ≥ capacity ? 1 : 0, shuffle position); with `team.specialist`, a unit specialty
 *   and no remaining member holding it, only holders of the specialty qualify;
 * - walking by rank, a candidate is passed when an earlier record took them off a team as
 *   `unavailable` (they are unavailable for the whole draw: reason `unavailable`), or when the
 *   record names them in `skipped` with reason `avoid` (a conflict with the unit declared after the
 *   draw; its details stay with the platform and the supervisory authority, its existence is public);
 * - `in` is the first candidate not passed, and `skipped` lists exactly the candidates passed before
 *   it, in rank order. A record whose `in` or `skipped` differs from this walk is invalid.
 */
import { fromHex, utf8 } from '../canonical';
import { DrawInputError } from '../errors';
import { nobleHasher, packIds, type DrawHasher } from '../hash';
import { enc } from '../keys';
import { assertDrawId, describe } from '../ids';
import { LazyShuffle } from './shuffle';
import {
  SR_DRAW_V2,
  type CheckParams,
  type CheckStatus,
  type DrawBundleV2,
  type VerificationCheck,
  type VerificationReport,
} from './types';

/** `spec` of a replacement record. */
export const REPLACEMENT_SPEC = 'sr-draw/v2/replacement';
/** Why a member leaves a team, or why a candidate is passed. */
export const REPLACEMENT_REASONS = ['unavailable', 'avoid'] as const;
/** One of {@link REPLACEMENT_REASONS}. */
export type ReplacementReason = (typeof REPLACEMENT_REASONS)[number];

/** A published replacement of one team member. */
export interface ReplacementRecordV2 {
  spec: typeof REPLACEMENT_SPEC;
  /** The draw it amends. */
  commitmentDigest: string;
  resultDigest: string;
  /** 1, 2, … in the order recorded; records apply in this order. */
  number: number;
  unit: string;
  /** The member leaving the unit's team. */
  out: string;
  reason: ReplacementReason;
  /** The member joining, in `out`'s place: the walk's first candidate not passed. */
  in: string;
  /** Candidates passed before `in`, in rank order, with why. */
  skipped: [inspectorId: string, reason: ReplacementReason][];
  /** Whole seconds UTC `Z`. */
  recordedAt: string;
}

/** What the platform asks for: who leaves which unit, why, and who has declared a conflict since the draw. */
export interface ReplacementRequest {
  unit: string;
  out: string;
  reason: ReplacementReason;
  /** Inspectors with a conflict with `unit` declared after the draw (passed with reason `avoid`). */
  avoiding?: readonly string[];
  recordedAt: string;
}

/**
 * The parts of a bundle a replacement walk reads: of `frame` and `result.selected`, only the rows
 * of the units the records name are read. With `loads` (how many of the drawn teams name each
 * inspector, over the whole result) those may be all `frame` and `result.selected` hold: a server
 * gives a city draw's verifier what it reads, not its ~10^8 bytes.
 */
export type ReplacementBundle = Pick<
  DrawBundleV2,
  'commitment' | 'commitmentDigest' | 'inspectors' | 'randomness' | 'resultDigest'
> & {
  frame: DrawBundleV2['frame'];
  result: Pick<DrawBundleV2['result'], 'selected'>;
  loads?: Readonly<Record<string, number>>;
};

/** Teams and loads after a list of records, and who left which unit as what. */
interface TeamState {
  teams: Map<string, string[]>;
  load: Map<string, number>;
  /** unit → inspectors taken off its team. */
  left: Map<string, Set<string>>;
  /** Inspectors taken off a team as `unavailable`. */
  unavailable: Set<string>;
}

function stateOf(bundle: Pick<ReplacementBundle, 'result' | 'loads'>): TeamState {
  const teams = new Map<string, string[]>();
  const load = new Map<string, number>();
  for (const s of bundle.result.selected) {
    teams.set(s.unit, [...s.team]);
    if (!bundle.loads) for (const i of s.team) load.set(i, (load.get(i) ?? 0) + 1);
  }
  if (bundle.loads) for (const [i, n] of Object.entries(bundle.loads)) load.set(i, n);
  return { teams, load, left: new Map(), unavailable: new Set() };
}

function apply(state: TeamState, r: Pick<ReplacementRecordV2, 'unit' | 'out' | 'in' | 'reason'>): void {
  const team = state.teams.get(r.unit)!;
  team[team.indexOf(r.out)] = r.in;
  state.load.set(r.out, state.load.get(r.out)! - 1);
  state.load.set(r.in, (state.load.get(r.in) ?? 0) + 1);
  let left = state.left.get(r.unit);
  if (!left) state.left.set(r.unit, (left = new Set()));
  left.add(r.out);
  if (r.reason === 'unavailable') state.unavailable.add(r.out);
}

/** The 32-byte assign key `K("sr-draw/v2","assign",unit)` of a drawn bundle. */
export function assignKeyOf(
  bundle: ReplacementBundle,
  unit: string,
  hasher: DrawHasher = nobleHasher,
): Uint8Array {
  const prk = hasher.hmacSha256(
    fromHex(bundle.commitmentDigest, 'commitmentDigest'),
    utf8(bundle.randomness.string),
  );
  const words = new Uint32Array(8);
  hasher.expander(prk).expand(enc(SR_DRAW_V2, 'assign'), packIds([unit]), null, 1, words, 0);
  const out = new Uint8Array(32);
  const v = new DataView(out.buffer);
  for (let w = 0; w < 8; w++) v.setUint32(4 * w, words[w]!);
  return out;
}

/** The outcome of a walk: the replacement and who was passed before them. */
export interface ReplacementWalk {
  in: string;
  skipped: [string, ReplacementReason][];
}

/**
 * Walks the unit's committed shuffle for one replacement, given the state after the earlier
 * records. Throws a DrawInputError naming the field when the request does not fit the draw.
 */
function walk(
  bundle: ReplacementBundle,
  state: TeamState,
  req: Pick<ReplacementRequest, 'unit' | 'out'>,
  avoiding: ReadonlySet<string>,
  hasher: DrawHasher,
): ReplacementWalk {
  const { commitment, inspectors, result } = bundle;
  if (!commitment.team.assign)
    throw new DrawInputError('unit', 'this draw assigned no teams: nobody to replace');
  const selected = result.selected.find((s) => s.unit === req.unit);
  if (!selected) throw new DrawInputError('unit', `unit ${req.unit} was not selected by this draw`);
  const team = state.teams.get(req.unit)!;
  if (!team.includes(req.out))
    throw new DrawInputError(
      'out',
      `${req.out} is not on the team of unit ${req.unit} (team: ${team.join(', ')})`,
    );
  const left = state.left.get(req.unit) ?? new Set<string>();
  const remaining = team.filter((i) => i !== req.out);
  const specialty = bundle.frame.find((r) => r[0] === req.unit)?.[4] ?? '';
  const rowOf = new Map(inspectors.map((r) => [r[0], r]));
  const needSpec =
    commitment.team.specialist &&
    specialty !== '' &&
    !remaining.some((i) => rowOf.get(i)?.[2].includes(specialty));

  // Candidates: inspectors not excluding the unit, sorted by id (the committed row order).
  const cand = inspectors.filter((r) => !r[3].some((e) => e[0] === req.unit));
  const shuffle = new LazyShuffle(assignKeyOf(bundle, req.unit, hasher), cand.length);
  const ranked: { id: string; full: number; pos: number }[] = [];
  for (let pos = 0; shuffle.remaining > 0; pos++) {
    const r = cand[shuffle.next()]!;
    const id = r[0];
    if (team.includes(id) || left.has(id)) continue;
    if (needSpec && !r[2].includes(specialty)) continue;
    ranked.push({ id, full: (state.load.get(id) ?? 0) >= r[1] ? 1 : 0, pos });
  }
  ranked.sort((a, b) => a.full - b.full || a.pos - b.pos);
  const skipped: [string, ReplacementReason][] = [];
  for (const c of ranked) {
    if (state.unavailable.has(c.id)) skipped.push([c.id, 'unavailable']);
    else if (avoiding.has(c.id)) skipped.push([c.id, 'avoid']);
    else return { in: c.id, skipped };
  }
  throw new DrawInputError(
    'unit',
    `no eligible inspector is left to replace ${req.out} on unit ${req.unit}${needSpec ? ` (specialty ${specialty} required)` : ''}`,
  );
}

/**
 * Computes the next replacement record of a draw: `records` are the draw's earlier records (valid,
 * in order). The person leaving and the reason are the platform's input; who joins is not.
 */
export function nextReplacementV2(
  bundle: ReplacementBundle,
  records: readonly ReplacementRecordV2[],
  req: ReplacementRequest,
  hasher: DrawHasher = nobleHasher,
): ReplacementRecordV2 {
  assertDrawId(req.unit, 'unit', 'unit id');
  assertDrawId(req.out, 'out', 'inspector id');
  if (!(REPLACEMENT_REASONS as readonly string[]).includes(req.reason))
    throw new DrawInputError(
      'reason',
      `expected one of ${REPLACEMENT_REASONS.join(', ')}, got ${describe(req.reason)}`,
    );
  const state = stateOf(bundle);
  for (const r of records) apply(state, r);
  const w = walk(bundle, state, req, new Set(req.avoiding ?? []), hasher);
  return {
    spec: REPLACEMENT_SPEC,
    commitmentDigest: bundle.commitmentDigest,
    resultDigest: bundle.resultDigest,
    number: records.length + 1,
    unit: req.unit,
    out: req.out,
    reason: req.reason,
    in: w.in,
    skipped: w.skipped,
    recordedAt: req.recordedAt,
  };
}

const RECORD_KEYS = [
  'commitmentDigest',
  'in',
  'number',
  'out',
  'reason',
  'recordedAt',
  'resultDigest',
  'skipped',
  'spec',
  'unit',
].sort();

/** Structural problem of a record, or null. */
function recordProblem(r: unknown): string | null {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return 'expected an object';
  const keys = Object.keys(r).sort();
  if (keys.join() !== RECORD_KEYS.join()) return `expected exactly the keys ${RECORD_KEYS.join(', ')}`;
  const x = r as Record<string, unknown>;
  if (x.spec !== REPLACEMENT_SPEC) return `spec must be ${REPLACEMENT_SPEC}`;
  for (const k of ['commitmentDigest', 'resultDigest'])
    if (typeof x[k] !== 'string' || !/^[0-9a-f]{64}$/.test(x[k]))
      return `${k} must be 64 lowercase hex digits`;
  if (!Number.isSafeInteger(x.number) || (x.number as number) < 1) return 'number must be an integer ≥ 1';
  for (const k of ['unit', 'out', 'in'])
    if (typeof x[k] !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(x[k]))
      return `${k} must be an identifier`;
  if (!(REPLACEMENT_REASONS as readonly unknown[]).includes(x.reason))
    return 'reason must be unavailable or avoid';
  if (typeof x.recordedAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(x.recordedAt))
    return 'recordedAt must be whole seconds UTC (…Z)';
  if (
    !Array.isArray(x.skipped) ||
    !x.skipped.every(
      (s) =>
        Array.isArray(s) &&
        s.length === 2 &&
        typeof s[0] === 'string' &&
        (REPLACEMENT_REASONS as readonly unknown[]).includes(s[1]),
    )
  )
    return 'skipped must be a list of [inspectorId, reason]';
  return null;
}

/**
 * Verifies a draw's replacement records against its (already verified) bundle, one line per
 * record (`replacement.<n>`): each must name this draw, be numbered in order, take off a current
 * member, and name exactly the walk's replacement and passed candidates.
 */
export function verifyReplacementsV2(
  bundle: ReplacementBundle,
  records: unknown,
  hasher: DrawHasher = nobleHasher,
): VerificationReport {
  const checks: VerificationCheck[] = [];
  const add = (id: string, status: CheckStatus, message: string, params: CheckParams = {}) =>
    checks.push({ id, status, message, params });
  const done = (): VerificationReport => ({
    algorithm: REPLACEMENT_SPEC,
    ok: !checks.some((c) => c.status === 'fail'),
    checks,
  });
  if (!Array.isArray(records)) {
    add('replacements', 'fail', 'replacement records must be a JSON array');
    return done();
  }
  const state = stateOf(bundle);
  for (let i = 0; i < records.length; i++) {
    const id = `replacement.${i + 1}`;
    const problem = recordProblem(records[i]);
    if (problem) {
      add(id, 'fail', `record ${i + 1} is malformed: ${problem}`, { number: i + 1 });
      return done();
    }
    const r = records[i] as ReplacementRecordV2;
    const params = { number: r.number, unit: r.unit, out: r.out, in: r.in, reason: r.reason };
    if (r.commitmentDigest !== bundle.commitmentDigest || r.resultDigest !== bundle.resultDigest) {
      add(id, 'fail', `record ${i + 1} names another draw (its digests differ from the bundle's)`, params);
      return done();
    }
    if (r.number !== i + 1) {
      add(
        id,
        'fail',
        `record ${i + 1} is numbered ${r.number}: records are numbered 1, 2, … in order`,
        params,
      );
      return done();
    }
    const avoiding = new Set(r.skipped.filter((s) => s[1] === 'avoid').map((s) => s[0]));
    let expected: ReplacementWalk;
    try {
      expected = walk(bundle, state, r, avoiding, hasher);
    } catch (err) {
      if (!(err instanceof DrawInputError)) throw err;
      add(id, 'fail', `record ${i + 1}: ${err.message}`, params);
      return done();
    }
    const same =
      expected.in === r.in &&
      expected.skipped.length === r.skipped.length &&
      expected.skipped.every((s, k) => s[0] === r.skipped[k]![0] && s[1] === r.skipped[k]![1]);
    if (!same) {
      add(
        id,
        'fail',
        `record ${i + 1}: ${r.out} on unit ${r.unit} must be replaced by ${expected.in} (the next eligible inspector in the unit's committed shuffle${
          expected.skipped.length
            ? `, after passing ${expected.skipped.map((s) => `${s[0]} (${s[1]})`).join(', ')}`
            : ''
        }), the record says ${r.in}${r.skipped.length ? ` after passing ${r.skipped.map((s) => `${s[0]} (${s[1]})`).join(', ')}` : ''}`,
        { ...params, expected: expected.in },
      );
      return done();
    }
    add(
      id,
      'pass',
      `record ${i + 1}: ${r.out} → ${r.in} on unit ${r.unit} (${r.reason}) is the next eligible inspector in the unit's committed shuffle${
        r.skipped.length ? ` after ${r.skipped.length} passed` : ''
      }`,
      params,
    );
    apply(state, r);
  }
  if (records.length === 0) add('replacements', 'info', 'no team member was replaced');
  return done();
}

/** The current teams of a drawn bundle after its replacement records (unit → members, in order). */
export function teamsAfterReplacements(
  bundle: Pick<DrawBundleV2, 'result'>,
  records: readonly Pick<ReplacementRecordV2, 'unit' | 'out' | 'in' | 'reason'>[],
): Map<string, string[]> {
  const state = stateOf(bundle);
  for (const r of records) apply(state, r);
  return state.teams;
}
