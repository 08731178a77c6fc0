/**
 * What a pack does to a roster: `diffClassifications` (which units change between two pack
 * versions) and `simulateYear` (inspections per quarter per stratum against inspector capacity,
 * B4). Pure.
 */
import { applyRatio } from './ratio';
import type { Classification } from './types';

/** Units that change between two classifications of the same roster. */
export interface ClassificationDiff {
  readonly units: number;
  /** Units whose stratum changed. */
  readonly stratumChanged: number;
  /** `from → to` → number of units, most frequent first. */
  readonly transitions: readonly { from: string; to: string; units: number; examples: string[] }[];
  readonly becameMandatory: number;
  readonly noLongerMandatory: number;
  /** Units whose ratio, floor or cap changed (stratum kept or not). */
  readonly quotaChanged: number;
}

/** Compares classifications of the same units (same order) under two pack versions. */
export function diffClassifications(
  unitIds: readonly string[],
  before: readonly Classification[],
  after: readonly Classification[],
  examplesPerTransition = 5,
): ClassificationDiff {
  if (before.length !== unitIds.length || after.length !== unitIds.length) {
    throw new Error('diffClassifications: unitIds, before and after must have the same length');
  }
  const transitions = new Map<string, { from: string; to: string; units: number; examples: string[] }>();
  let stratumChanged = 0;
  let becameMandatory = 0;
  let noLongerMandatory = 0;
  let quotaChanged = 0;
  for (let i = 0; i < unitIds.length; i++) {
    const a = before[i]!;
    const b = after[i]!;
    if (!a.mandatory && b.mandatory) becameMandatory++;
    if (a.mandatory && !b.mandatory) noLongerMandatory++;
    if (a.ratio !== b.ratio || a.minPerYear !== b.minPerYear || a.maxPerYear !== b.maxPerYear) quotaChanged++;
    if (a.stratum === b.stratum) continue;
    stratumChanged++;
    const key = `${a.stratum}\n${b.stratum}`;
    let t = transitions.get(key);
    if (!t) transitions.set(key, (t = { from: a.stratum, to: b.stratum, units: 0, examples: [] }));
    t.units++;
    if (t.examples.length < examplesPerTransition) t.examples.push(unitIds[i]!);
  }
  return {
    units: unitIds.length,
    stratumChanged,
    transitions: [...transitions.values()].sort((x, y) => y.units - x.units || x.from.localeCompare(y.from)),
    becameMandatory,
    noLongerMandatory,
    quotaChanged,
  };
}

/** Inspector capacity for a simulation. */
export interface Capacity {
  /** Inspections the bureau can carry out per quarter (teams × inspections per team). */
  readonly perQuarter: number;
}

/** One stratum's load in one quarter. */
export interface StratumQuarter {
  readonly stratum: string;
  /** Floor inspections (minPerYear, mandatory first) carried out. */
  readonly floor: number;
  /** Random-sample inspections (ratio) carried out. */
  readonly sampled: number;
  /** Random-sample inspections the ratio asked for this quarter. */
  readonly sampleQuota: number;
}

/** One quarter of a simulated year. */
export interface QuarterLoad {
  readonly quarter: 1 | 2 | 3 | 4;
  readonly capacity: number;
  readonly used: number;
  /** Floor inspections that fell due this quarter but did not fit. */
  readonly floorMissed: number;
  readonly strata: readonly StratumQuarter[];
  /** Mandatory units inspected at least once by the end of this quarter. */
  readonly mandatoryCovered: number;
}

/** A simulated year. */
export interface SimulationReport {
  readonly units: number;
  readonly mandatoryUnits: number;
  /** Floor inspections the rules ask for in the year (Σ minPerYear). */
  readonly floorInspections: number;
  /** Random-sample inspections the ratios ask for in the year. */
  readonly sampleInspections: number;
  readonly quarters: readonly QuarterLoad[];
  /** Mandatory units inspected by the end of Q4, and the share as an exact fraction "n/m". */
  readonly mandatoryCoveredByQ4: number;
  readonly mandatoryCoverage: string;
}

interface FloorVisit {
  unit: number;
  stratum: string;
  mandatory: boolean;
  first: boolean;
  start: number;
  end: number;
}

/**
 * Simulates a year: each unit's floor (minPerYear) is split into visits with quarter windows
 * (1/year: any quarter; 2/year: H1 and H2; 4/year: one per quarter), scheduled earliest deadline
 * first and levelled over the remaining quarters; visits whose window closes are missed. Units
 * without a floor are sampled per (stratum, ratio) group: the yearly quota (ratio of the group,
 * rounded up) is spread evenly over the quarters and uses the capacity left.
 */
export function simulateYear(
  classifications: readonly Classification[],
  capacity: Capacity,
): SimulationReport {
  const visits: FloorVisit[] = [];
  const groups = new Map<string, { stratum: string; ratio: string; units: number }>();
  let mandatoryUnits = 0;
  classifications.forEach((c, unit) => {
    if (c.mandatory) mandatoryUnits++;
    const k = c.minPerYear;
    if (k === 0) {
      const key = `${c.stratum}\n${c.ratio}`;
      const g = groups.get(key) ?? { stratum: c.stratum, ratio: c.ratio, units: 0 };
      g.units++;
      groups.set(key, g);
      return;
    }
    for (let j = 0; j < k; j++) {
      const start = Math.floor((4 * j) / k);
      const end = Math.max(start, Math.floor((4 * (j + 1)) / k) - 1);
      visits.push({ unit, stratum: c.stratum, mandatory: c.mandatory, first: j === 0, start, end });
    }
  });
  const sampleQuota = new Map<string, number[]>();
  let sampleInspections = 0;
  for (const g of groups.values()) {
    const yearly = applyRatio(g.ratio, g.units);
    sampleInspections += yearly;
    const perQ = [0, 1, 2, 3].map((q) => Math.floor((yearly * (q + 1)) / 4) - Math.floor((yearly * q) / 4));
    const acc = sampleQuota.get(g.stratum) ?? [0, 0, 0, 0];
    sampleQuota.set(
      g.stratum,
      acc.map((x, q) => x + perQ[q]!),
    );
  }
  const strata = [...new Set([...visits.map((v) => v.stratum), ...sampleQuota.keys()])].sort();
  const covered = new Set<number>();
  let pending = visits;
  const quarters: QuarterLoad[] = [];
  for (let q = 0; q < 4; q++) {
    const open = pending
      .filter((v) => v.start <= q)
      .sort((a, b) => a.end - b.end || Number(b.mandatory) - Number(a.mandatory) || a.unit - b.unit);
    const later = pending.filter((v) => v.start > q);
    const due = open.filter((v) => v.end === q).length;
    const level = Math.ceil((open.length - due) / Math.max(1, 4 - q));
    const want = Math.min(open.length, due + level);
    const take = Math.min(want, capacity.perQuarter);
    const done = open.slice(0, take);
    const notDone = open.slice(take);
    const floorMissed = notDone.filter((v) => v.end === q).length;
    pending = [...notDone.filter((v) => v.end > q), ...later];
    const floorBy = new Map<string, number>();
    for (const v of done) {
      floorBy.set(v.stratum, (floorBy.get(v.stratum) ?? 0) + 1);
      if (v.mandatory) covered.add(v.unit);
    }
    let left = capacity.perQuarter - take;
    const rows: StratumQuarter[] = strata.map((stratum) => {
      const quota = sampleQuota.get(stratum)?.[q] ?? 0;
      const sampled = Math.min(quota, left);
      left -= sampled;
      return { stratum, floor: floorBy.get(stratum) ?? 0, sampled, sampleQuota: quota };
    });
    quarters.push({
      quarter: (q + 1) as 1 | 2 | 3 | 4,
      capacity: capacity.perQuarter,
      used: capacity.perQuarter - left,
      floorMissed,
      strata: rows,
      mandatoryCovered: covered.size,
    });
  }
  return {
    units: classifications.length,
    mandatoryUnits,
    floorInspections: visits.length,
    sampleInspections,
    quarters,
    mandatoryCoveredByQ4: covered.size,
    mandatoryCoverage: `${covered.size}/${mandatoryUnits}`,
  };
}
