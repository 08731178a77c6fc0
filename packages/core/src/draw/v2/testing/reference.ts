/**
 * A deliberately naive sr-draw/v2 written line by line from packages/core/SPEC.md, used only by
 * tests to cross-check the optimised engine: every key one HMAC call, every shuffle computed in
 * full with BigInt arithmetic, every ranking a full sort.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonical, fromHex, toHex, utf8 } from '../../canonical';
import type { StratumOutcome } from '../../engine';
import { keyMessage } from '../../keys';
import { referenceSelect } from '../../testing/reference';
import type { CommitmentV2, DrawResultV2, FrameRowV2, OverloadV2, PersonRow, SelectedUnitV2 } from '../types';

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** K(parts…) under PRK, as hex. */
const K = (prk: Uint8Array, ...parts: string[]): string => toHex(hmac(sha256, prk, keyMessage(...parts)));

/** The keyed shuffle of §II.5, naively: the list of positions of `n` items. */
export function referenceShuffle(keyHex: string, n: number): number[] {
  const key = fromHex(keyHex);
  const words: bigint[] = [];
  let counter = 0;
  const next = (): bigint => {
    if (words.length === 0) {
      const block = new Uint8Array(36);
      block.set(key);
      new DataView(block.buffer).setUint32(32, counter++);
      const d = sha256(block);
      for (let i = 0; i < 8; i++) words.push(BigInt(new DataView(d.buffer).getUint32(4 * i)));
    }
    return words.shift()!;
  };
  const pick = (r: number): number => {
    const R = BigInt(r);
    const limit = 2n ** 32n - (2n ** 32n % R);
    for (;;) {
      const w = next();
      if (w < limit) return Number(w % R);
    }
  };
  const c = Array.from({ length: n }, (_, i) => i);
  for (let t = 0; t < n; t++) {
    const j = t + pick(n - t);
    [c[t], c[j]] = [c[j]!, c[t]!];
  }
  return c;
}

/** The whole v2 result, naively, from the commitment, rows and R. */
export function referenceResultV2(
  commitment: CommitmentV2,
  frame: readonly FrameRowV2[],
  inspectors: readonly PersonRow[],
  experts: readonly PersonRow[],
  r: string,
): DrawResultV2 {
  const digest = sha256(utf8(canonical(commitment)));
  const prk = hmac(sha256, digest, utf8(r));
  const tag = 'sr-draw/v2';
  const byId = new Map(frame.map((row) => [row[0], row]));
  const picked: { row: FrameRowV2; reason: SelectedUnitV2['reason']; key: string }[] = [];
  const strata: StratumOutcome[] = [];
  for (const s of commitment.strata) {
    const rows = frame
      .filter((row) => row[1] === s.id)
      .map((row) => ({
        unitId: row[0],
        weight: row[2],
        mandatory: row[3] === 1,
        key: K(prk, tag, 'select', s.id, row[0]),
      }));
    const { picks, threshold } = referenceSelect(s.method, s.quota, rows);
    for (const p of picks) picked.push({ row: byId.get(p.unitId)!, reason: p.reason, key: p.key });
    strata.push({
      id: s.id,
      quota: s.quota,
      selected: picks.length,
      shortfall: Math.max(0, s.quota - rows.filter((x) => !x.mandatory).length),
      threshold,
    });
  }
  const ordered = picked
    .map((p) => ({ ...p, order: K(prk, tag, 'order', p.row[0]) }))
    .sort((a, b) => cmp(a.order, b.order) || cmp(a.row[0], b.row[0]));
  const load = new Map<string, number>(inspectors.map((i) => [i[0], 0]));
  const eload = new Map<string, number>(experts.map((i) => [i[0], 0]));
  const excludes = (p: PersonRow, unitId: string) => p[3].some((e) => e[0] === unitId);
  const selected = ordered.map((p, idx): SelectedUnitV2 => {
    const unitId = p.row[0];
    const specialty = p.row[4];
    const team: string[] = [];
    if (commitment.team.assign) {
      const C = inspectors.filter((i) => !excludes(i, unitId));
      const order = referenceShuffle(K(prk, tag, 'assign', unitId), C.length);
      const ranked = order
        .map((ci, position) => ({ i: C[ci]!, position }))
        .map((x) => ({ ...x, full: load.get(x.i[0])! >= x.i[1] ? 1 : 0 }))
        .sort((a, b) => a.full - b.full || a.position - b.position);
      if (commitment.team.specialist && specialty !== '') {
        const lead = ranked.find((x) => x.i[2].includes(specialty));
        if (!lead) throw new Error(`no specialist for ${unitId}`);
        team.push(lead.i[0]);
      }
      for (const x of ranked)
        if (team.length < commitment.team.size && !team.includes(x.i[0])) team.push(x.i[0]);
      for (const id of team) load.set(id, load.get(id)! + 1);
    }
    let expert: string | null = null;
    if (p.row[5] === 1) {
      const C = experts.filter((e) => !excludes(e, unitId));
      const order = referenceShuffle(K(prk, tag, 'expert', unitId), C.length);
      const ranked = order
        .map((ci, position) => ({ e: C[ci]!, position }))
        .map((x) => ({
          ...x,
          full: eload.get(x.e[0])! >= x.e[1] ? 1 : 0,
          other: specialty !== '' && x.e[2].includes(specialty) ? 0 : 1,
        }))
        .sort((a, b) => a.full - b.full || a.other - b.other || a.position - b.position);
      expert = ranked[0]!.e[0];
      eload.set(expert, eload.get(expert)! + 1);
    }
    return {
      unit: unitId,
      stratum: p.row[1],
      reason: p.reason,
      sequence: idx + 1,
      key: p.key,
      team,
      expert,
    };
  });
  const overloads: OverloadV2[] = [
    ...experts
      .filter((e) => eload.get(e[0])! > e[1])
      .map((e) => ({ kind: 'expert' as const, id: e[0], load: eload.get(e[0])!, capacity: e[1] })),
    ...inspectors
      .filter((i) => load.get(i[0])! > i[1])
      .map((i) => ({ kind: 'inspector' as const, id: i[0], load: load.get(i[0])!, capacity: i[1] })),
  ];
  return { selected, strata, overloads };
}
