/**
 * A deliberately naive sr-draw/v1 written line by line from DRAW-SPEC.md, used only by
 * tests to cross-check the optimised engine. Every key is one noble HMAC call, every
 * ranking a full sort with BigInt comparisons.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonical, toHex, utf8 } from '../canonical';
import type { Commitment } from '../commitment';
import type { DrawResult, Overload, SelectedUnit, StratumOutcome } from '../engine';
import { keyMessage } from '../keys';
import { randomnessString, type SourceValue } from '../randomness';
import type { FrameRow, InspectorRow } from '../rows';

/** The spec's PRK. */
export function referencePrk(commitment: Commitment, values: readonly SourceValue[]): Uint8Array {
  const digest = sha256(utf8(canonical(commitment)));
  return hmac(sha256, digest, utf8(randomnessString(commitment.sources, values)));
}

/** K(parts…) as hex. */
export function referenceKey(prk: Uint8Array, ...parts: string[]): string {
  return toHex(hmac(sha256, prk, keyMessage(...parts)));
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Exact Pareto comparison of §4: Qi < Qj ⇔ Ui·(W−n·wi)·(T−Uj)·wj < Uj·(W−n·wj)·(T−Ui)·wi, ties by unitId. */
export function referenceParetoCompare(
  i: { unitId: string; weight: number; key: string },
  j: { unitId: string; weight: number; key: string },
  n: bigint,
  W: bigint,
): number {
  const T = 1n << 128n;
  const ui = BigInt(`0x${i.key.slice(0, 32)}`);
  const uj = BigInt(`0x${j.key.slice(0, 32)}`);
  const wi = BigInt(i.weight);
  const wj = BigInt(j.weight);
  const l = ui * (W - n * wi) * (T - uj) * wj;
  const r = uj * (W - n * wj) * (T - ui) * wi;
  return l < r ? -1 : l > r ? 1 : cmpStr(i.unitId, j.unitId);
}

/** A row of a stratum with its select key (hex). */
export interface KeyedRow {
  unitId: string;
  weight: number;
  mandatory: boolean;
  key: string;
}

/** Selection within one stratum from keyed rows (§4), naively; returns picks in ranking order and the threshold. */
export function referenceSelect(
  method: 'srs' | 'pareto',
  quota: number,
  rows: readonly KeyedRow[],
): { picks: { unitId: string; reason: SelectedUnit['reason']; key: string }[]; threshold: string | null } {
  const picks: { unitId: string; reason: SelectedUnit['reason']; key: string }[] = [];
  const sorted = [...rows].sort((a, b) => cmpStr(a.unitId, b.unitId));
  for (const r of sorted) if (r.mandatory) picks.push({ unitId: r.unitId, reason: 'mandatory', key: r.key });
  let free = sorted.filter((r) => !r.mandatory);
  let threshold: string | null = null;
  if (method === 'srs') {
    free.sort((a, b) => cmpStr(a.key, b.key) || cmpStr(a.unitId, b.unitId));
    const take = free.slice(0, Math.min(quota, free.length));
    for (const r of take) picks.push({ unitId: r.unitId, reason: 'random', key: r.key });
    if (take.length > 0) threshold = take[take.length - 1]!.key;
  } else {
    let n = BigInt(quota);
    let W = free.reduce((acc, r) => acc + BigInt(r.weight), 0n);
    while (n > 0n) {
      const sure = free.filter((r) => n * BigInt(r.weight) >= W);
      if (sure.length === 0) break;
      for (const r of sure) picks.push({ unitId: r.unitId, reason: 'certainty', key: r.key });
      n -= BigInt(sure.length);
      W -= sure.reduce((acc, r) => acc + BigInt(r.weight), 0n);
      free = free.filter((r) => !sure.includes(r));
    }
    if (n > 0n) {
      free.sort((a, b) => referenceParetoCompare(a, b, n, W));
      const take = free.slice(0, Number(n));
      for (const r of take) picks.push({ unitId: r.unitId, reason: 'random', key: r.key });
      if (take.length > 0) threshold = take[take.length - 1]!.key;
    }
  }
  return { picks, threshold };
}

/** The whole result of §4–§6, naively. */
export function referenceResult(
  commitment: Commitment,
  frame: readonly FrameRow[],
  inspectors: readonly InspectorRow[],
  values: readonly SourceValue[],
): DrawResult {
  const prk = referencePrk(commitment, values);
  const picked: { row: FrameRow; reason: SelectedUnit['reason']; key: string }[] = [];
  const strata: StratumOutcome[] = [];
  const byId = new Map(frame.map((r) => [r[0], r]));
  for (const s of commitment.strata) {
    const rows = frame
      .filter((r) => r[1] === s.id)
      .map((r) => ({
        unitId: r[0],
        weight: r[2],
        mandatory: r[3] === 1,
        key: referenceKey(prk, 'sr-draw/v1', 'select', s.id, r[0]),
      }));
    const { picks, threshold } = referenceSelect(s.method, s.quota, rows);
    for (const p of picks) picked.push({ row: byId.get(p.unitId)!, reason: p.reason, key: p.key });
    const freeCount = rows.filter((r) => !r.mandatory).length;
    strata.push({
      id: s.id,
      quota: s.quota,
      selected: picks.length,
      shortfall: Math.max(0, s.quota - freeCount),
      threshold,
    });
  }
  const ordered = picked
    .map((p) => ({ ...p, order: referenceKey(prk, 'sr-draw/v1', 'order', p.row[0]) }))
    .sort((a, b) => cmpStr(a.order, b.order) || cmpStr(a.row[0], b.row[0]));
  const load = new Map<string, number>(inspectors.map((i) => [i[0], 0]));
  const selected: SelectedUnit[] = ordered.map((p, idx) => {
    const team: string[] = [];
    if (commitment.team.assign) {
      const unitId = p.row[0];
      const ranked = inspectors
        .filter((i) => !i[3].includes(unitId))
        .map((i) => ({
          i,
          flag: load.get(i[0])! >= i[1] ? 1 : 0,
          key: referenceKey(prk, 'sr-draw/v1', 'assign', unitId, i[0]),
        }))
        .sort((a, b) => a.flag - b.flag || cmpStr(a.key, b.key) || cmpStr(a.i[0], b.i[0]));
      if (commitment.team.specialist && p.row[4] !== '') {
        const first = ranked.find((c) => c.i[2].includes(p.row[4]));
        if (!first) throw new Error(`no specialist for ${unitId}`);
        team.push(first.i[0]);
      }
      for (const c of ranked) {
        if (team.length >= commitment.team.size) break;
        if (!team.includes(c.i[0])) team.push(c.i[0]);
      }
      if (team.length < commitment.team.size) throw new Error(`team too small for ${unitId}`);
      for (const m of team) load.set(m, load.get(m)! + 1);
    }
    return { unit: p.row[0], stratum: p.row[1], reason: p.reason, sequence: idx + 1, key: p.key, team };
  });
  const overloads: Overload[] = inspectors
    .filter((i) => load.get(i[0])! > i[1])
    .map((i) => ({ inspector: i[0], load: load.get(i[0])!, capacity: i[1] }));
  return { selected, strata, overloads };
}
