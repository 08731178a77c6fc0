/**
 * The sr-draw/v2 result (SPEC §II.3–§II.6): v1 selection and order under the label `sr-draw/v2`,
 * then team and expert walks over keyed shuffles. One assign key and at most one expert key per
 * selected unit, all computed in batches.
 */
import { utf8, wordsToHex } from '../canonical';
import { DrawInputError } from '../errors';
import { nobleHasher, type DrawHasher, type KeyExpander, type PackedIds } from '../hash';
import { enc } from '../keys';
import { REASONS, selectAndOrder } from '../engine';
import { excludersOf } from './rows';
import { LazyShuffle } from './shuffle';
import {
  SR_DRAW_V2,
  type CommitmentV2,
  type DrawOptionsV2,
  type DrawResultV2,
  type FrameRowV2,
  type OverloadV2,
  type PersonRow,
  type SelectedUnitV2,
  type SelectionReasonV2,
} from './types';

/** Validated inputs of a v2 computation. */
export interface EngineInputV2 {
  commitment: CommitmentV2;
  /** The 32-byte commitment digest. */
  commitmentDigest: Uint8Array;
  frame: readonly FrameRowV2[];
  inspectors: readonly PersonRow[];
  experts: readonly PersonRow[];
  /** The string R. */
  randomness: string;
}

/** Key bytes of slot `i` (8 words) of `words`. */
function keyBytes(words: Uint32Array, i: number, out: Uint8Array): Uint8Array {
  const v = new DataView(out.buffer, out.byteOffset, 32);
  for (let w = 0; w < 8; w++) v.setUint32(4 * w, words[i * 8 + w]!);
  return out;
}

/**
 * The person index at position `j` of a unit's eligible list: all persons (sorted by id) but the
 * unit's excluders `ex` (ascending). O(|ex|), so a walk never builds the list of 10^4 inspectors.
 */
function eligibleAt(j: number, ex: readonly number[] | undefined): number {
  let i = j;
  if (ex)
    for (const e of ex) {
      if (e > i) break;
      i++;
    }
  return i;
}

/** A selected unit before its team: its frame row, why it was selected and its select key (hex). */
export interface PickV2 {
  row: FrameRowV2;
  reason: SelectionReasonV2;
  key: string;
}

/**
 * Computes the v2 result from validated, cross-checked inputs. Throws a DrawInputError only when
 * a unit cannot be served (which the feasibility check before committing must prevent).
 */
export function computeResultV2(input: EngineInputV2, options: DrawOptionsV2 = {}): DrawResultV2 {
  const { commitment, frame } = input;
  const expander = resultExpander(input, options);
  const sel = selectAndOrder(commitment.strata, frame, expander, SR_DRAW_V2);
  const { keys, rowOf, selPos, selReason, seq, units } = sel;
  const picks: PickV2[] = seq.map((i) => {
    const p = selPos[i]!;
    return { row: frame[rowOf[p]!]!, reason: REASONS[selReason[i]!]!, key: wordsToHex(keys, p * 8) };
  });
  /** Frame row of each selected unit, in sequence order (what the packed ids are indexed by). */
  const rowInSeq = Int32Array.from(seq, (i) => rowOf[selPos[i]!]!);
  return teamsAndExperts(input, expander, picks, units, rowInSeq, sel.strataOut);
}

/** The key expander of a result: PRK = HMAC(commitment digest, R) (SPEC §II.3). */
export function resultExpander(
  input: Pick<EngineInputV2, 'commitmentDigest' | 'randomness'>,
  options: DrawOptionsV2,
): KeyExpander {
  const hasher: DrawHasher = options.hasher ?? nobleHasher;
  return hasher.expander(hasher.hmacSha256(input.commitmentDigest, utf8(input.randomness)));
}

/**
 * Teams and experts of the selected units (SPEC §II.5), then the result document. `picks` are in
 * sequence order; unit `s`'s id is `units` entry `unitAt[s]`, what its assign and expert keys hash.
 */
export function teamsAndExperts(
  input: Pick<EngineInputV2, 'commitment' | 'inspectors' | 'experts'>,
  expander: KeyExpander,
  picks: readonly PickV2[],
  units: PackedIds,
  unitAt: Int32Array,
  strata: DrawResultV2['strata'],
): DrawResultV2 {
  const { commitment, inspectors, experts } = input;
  const k = picks.length;
  const keyBuf = new Uint8Array(32);

  // Teams (§II.5): one assign key per selected unit, a lazy shuffle of its eligible inspectors.
  const teams: string[][] = [];
  const inspLoad = new Int32Array(inspectors.length);
  const { team } = commitment;
  if (team.assign) {
    const assignKeys = new Uint32Array(k * 8);
    expander.expand(enc(SR_DRAW_V2, 'assign'), units, unitAt, k, assignKeys, 0);
    const m = inspectors.length;
    const excl = excludersOf(inspectors);
    // One shuffle object reset per unit: the keyed stream hashes with core's SHA-256 block function.
    const shuffle = new LazyShuffle(new Uint8Array(32), m);
    const nonFull: number[] = [];
    const full: number[] = [];
    for (let s = 0; s < k; s++) {
      const [unitId, , , , specialty] = picks[s]!.row;
      const ex = excl.get(unitId);
      const c = m - (ex ? ex.length : 0);
      if (c < team.size)
        throw new DrawInputError(
          'inspectors',
          `unit ${unitId} has ${c} eligible inspectors, a team needs ${team.size}`,
        );
      const needSpec = team.specialist && specialty !== '';
      shuffle.reset(keyBytes(assignKeys, s, keyBuf), c);
      nonFull.length = 0;
      full.length = 0;
      let specFound = false;
      while (shuffle.remaining > 0) {
        const i = eligibleAt(shuffle.next(), ex);
        if (inspLoad[i]! < inspectors[i]![1]) {
          nonFull.push(i);
          if (needSpec && !specFound && inspectors[i]![2].includes(specialty)) specFound = true;
          if (nonFull.length >= team.size && (!needSpec || specFound)) break;
        } else full.push(i);
      }
      const ranking = nonFull.concat(full);
      const members: number[] = [];
      if (needSpec) {
        const lead = ranking.find((i) => inspectors[i]![2].includes(specialty));
        if (lead === undefined)
          throw new DrawInputError(
            'inspectors',
            `unit ${unitId}: no eligible inspector holds specialty "${specialty}"`,
          );
        members.push(lead);
      }
      for (const i of ranking) {
        if (members.length >= team.size) break;
        if (!members.includes(i)) members.push(i);
      }
      for (const i of members) inspLoad[i]!++;
      teams.push(members.map((i) => inspectors[i]![0]));
    }
  }

  // Experts (§II.5): rows with expert = 1 get one, ranked by (full, not a holder, position).
  const expertOf: (string | null)[] = new Array<string | null>(k).fill(null);
  const expLoad = new Int32Array(experts.length);
  const needExpert: number[] = [];
  for (let s = 0; s < k; s++) if (picks[s]!.row[5] === 1) needExpert.push(s);
  if (needExpert.length > 0) {
    const expertKeys = new Uint32Array(needExpert.length * 8);
    const at = Int32Array.from(needExpert, (s) => unitAt[s]!);
    expander.expand(enc(SR_DRAW_V2, 'expert'), units, at, at.length, expertKeys, 0);
    const m = experts.length;
    const excl = excludersOf(experts);
    const shuffle = new LazyShuffle(new Uint8Array(32), m);
    needExpert.forEach((s, x) => {
      const [unitId, , , , specialty] = picks[s]!.row;
      const ex = excl.get(unitId);
      const c = m - (ex ? ex.length : 0);
      if (c === 0) throw new DrawInputError('experts', `unit ${unitId} has no eligible expert`);
      shuffle.reset(keyBytes(expertKeys, x, keyBuf), c);
      // Best of the four classes (nonFull holder, nonFull other, full holder, full other), first seen in each.
      const best = [-1, -1, -1, -1];
      while (shuffle.remaining > 0) {
        const i = eligibleAt(shuffle.next(), ex);
        const cls =
          (expLoad[i]! >= experts[i]![1] ? 2 : 0) +
          (specialty !== '' && experts[i]![2].includes(specialty) ? 0 : 1);
        if (best[cls] === -1) best[cls] = i;
        if (best[0] !== -1 || (specialty === '' && best[1] !== -1)) break;
      }
      const chosen = best.find((i) => i !== -1)!;
      expLoad[chosen]!++;
      expertOf[s] = experts[chosen]![0];
    });
  }

  // Every object is built with its keys in canonical (sorted) order, so the result's canonical
  // JSON is one JSON.stringify (2.3·10^5 selected units of a city took 2 s key by key, issue 16).
  const selected: SelectedUnitV2[] = picks.map(({ row, reason, key }, s) => ({
    expert: expertOf[s]!,
    key,
    reason,
    sequence: s + 1,
    stratum: row[1],
    team: team.assign ? teams[s]! : [],
    unit: row[0],
  }));
  const overloads: OverloadV2[] = [];
  experts.forEach((r, i) => {
    if (expLoad[i]! > r[1]) overloads.push({ capacity: r[1], id: r[0], kind: 'expert', load: expLoad[i]! });
  });
  inspectors.forEach((r, i) => {
    if (inspLoad[i]! > r[1])
      overloads.push({ capacity: r[1], id: r[0], kind: 'inspector', load: inspLoad[i]! });
  });
  return { overloads, selected, strata };
}
