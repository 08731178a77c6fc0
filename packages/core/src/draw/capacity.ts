import type { StratumSpec } from './commitment';
import type { FrameRow, InspectorRow } from './rows';

/** Demand on one officer pool: everyone (`specialty` null) or the holders of one specialty. */
export interface CapacityPool {
  specialty: string | null;
  /** Inspectors in the pool. */
  inspectors: number;
  /** Their capacity for the period (team places). */
  capacity: number;
  /** Team places the draw is expected to need from the pool (rounded up). */
  demand: number;
  /** `max(0, demand − capacity)`. */
  shortfall: number;
}

/** What a frame asks of the inspector roster for its period, before the randomness. */
export interface CapacityReport {
  /** Units the draw is expected to select: mandatory rows + each stratum's quota (bounded by its rows). */
  units: number;
  /** Team places: units × team size. */
  places: number;
  /** The whole roster, then one pool per specialty a frame row requires, in id order. */
  pools: CapacityPool[];
  /** True when no pool is short. */
  ok: boolean;
}

/**
 * Capacity check of a frame for its period (issue #10, sr-draw/v2 §1's capacity rule): the units
 * the draw will select (every mandatory row, plus each stratum's quota of its other rows), times
 * the team size, against the inspectors' capacity for the period; and, for each specialty a row
 * requires, the expected units needing a specialist (mandatory rows, plus the quota's share by
 * weight in pareto strata or by count in srs strata) against the specialists' capacity. A pool
 * short of places is reported with its shortfall, so a planner sees which officers to add before
 * the draw overloads anyone. A team that does not need a specialist lead (`specialist` false)
 * puts no demand on the specialty pools: any two officers staff any unit.
 */
export function capacityReport(
  frame: readonly FrameRow[],
  strata: readonly StratumSpec[],
  inspectors: readonly InspectorRow[],
  team: { size: number; specialist: boolean },
): CapacityReport {
  const teamSize = team.size;
  const byStratum = new Map<string, { rows: FrameRow[]; free: number; weight: number }>();
  for (const r of frame) {
    let s = byStratum.get(r[1]);
    if (!s) byStratum.set(r[1], (s = { rows: [], free: 0, weight: 0 }));
    s.rows.push(r);
    if (r[3] === 0) {
      s.free++;
      s.weight += r[2];
    }
  }
  let units = 0;
  const specialtyDemand = new Map<string, number>();
  const add = (specialty: string, n: number) =>
    team.specialist &&
    specialty !== '' &&
    specialtyDemand.set(specialty, (specialtyDemand.get(specialty) ?? 0) + n);
  for (const spec of strata) {
    const s = byStratum.get(spec.id);
    if (!s) continue;
    const take = Math.min(spec.quota, s.free);
    units += s.rows.length - s.free + take;
    for (const r of s.rows) {
      if (r[3] === 1) add(r[4], 1);
      else if (take > 0) {
        const share = spec.method === 'pareto' ? Math.min(1, (take * r[2]) / s.weight) : take / s.free;
        add(r[4], share);
      }
    }
  }
  const pool = (specialty: string | null, members: readonly InspectorRow[], demand: number): CapacityPool => {
    const capacity = members.reduce((n, r) => n + r[1], 0);
    const need = Math.ceil(demand - 1e-9);
    return {
      specialty,
      inspectors: members.length,
      capacity,
      demand: need,
      shortfall: Math.max(0, need - capacity),
    };
  };
  const pools = [pool(null, inspectors, units * teamSize)];
  for (const [specialty, demand] of [...specialtyDemand].sort(([a], [b]) => (a < b ? -1 : 1)))
    pools.push(
      pool(
        specialty,
        inspectors.filter((r) => r[2].includes(specialty)),
        demand,
      ),
    );
  return { units, places: units * teamSize, pools, ok: pools.every((p) => p.shortfall === 0) };
}
