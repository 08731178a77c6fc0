import type { DrawBundle } from './bundle';
import { deriveDrawKeys } from './derive';
import { DrawInputError } from './errors';
import type { DrawHasher } from './hash';

/**
 * Expert assignment (R5), a platform extension beside sr-draw/v1 that reuses its primitives: the
 * experts a plan may use and the units whose rules require one are fixed in the commitment's plan
 * block (`plan.experts`) before any randomness exists; after the draw each such unit, in sequence
 * order, gets the best-ranked expert by (load, K("sr-draw/v1","assign",unitId,expertId), expertId),
 * preferring experts who hold the unit's frame specialty. Anyone with the bundle recomputes it.
 */

/** The `plan.experts` block of a commitment: `pool` rows `[expertId, [specialties…]]`, sorted. */
export interface ExpertPlan {
  pool: [string, string[]][];
  /** Units whose classification requires an expert (sorted); only selected ones get one. */
  units: string[];
}

/** Builds the canonical `plan.experts` block (sorted pool and units). */
export function expertPlan(
  pool: readonly { id: string; specialties: readonly string[] }[],
  units: readonly string[],
): ExpertPlan {
  return {
    pool: [...pool]
      .map((e): [string, string[]] => [e.id, [...e.specialties].sort()])
      .sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    units: [...new Set(units)].sort(),
  };
}

/** Reads `plan.experts` from a bundle's commitment, or null when the plan uses no experts. */
export function expertPlanOf(bundle: DrawBundle): ExpertPlan | null {
  const raw = (bundle.commitment.plan as Record<string, unknown>).experts;
  if (raw === undefined) return null;
  const e = raw as ExpertPlan;
  if (!Array.isArray(e?.pool) || !Array.isArray(e?.units)) {
    throw new DrawInputError(
      'commitment.plan.experts',
      'expected {pool: [[id, [specialties]]…], units: [ids…]}',
    );
  }
  return e;
}

/**
 * The expert of every selected unit that requires one: unit id → expert id. Units get none when
 * the pool is empty (the plan's feasibility check should have refused that).
 */
export function assignExperts(bundle: DrawBundle, hasher?: DrawHasher): Map<string, string> {
  const plan = expertPlanOf(bundle);
  const out = new Map<string, string>();
  if (!plan || plan.pool.length === 0) return out;
  const required = new Set(plan.units);
  const specialtyOf = new Map(bundle.frame.map((row) => [row[0], row[4]]));
  const keys = deriveDrawKeys(bundle.commitmentDigest, bundle.randomness.string, hasher);
  const ids = plan.pool.map(([id]) => id);
  const load = new Map(ids.map((id) => [id, 0]));
  for (const s of bundle.result.selected) {
    if (!required.has(s.unit)) continue;
    const assignKeys = keys.assign(s.unit, ids);
    const specialty = specialtyOf.get(s.unit) ?? '';
    const holders = specialty ? plan.pool.filter(([, sp]) => sp.includes(specialty)).map(([id]) => id) : [];
    const candidates = holders.length ? holders : ids;
    const keyOf = new Map(ids.map((id, i) => [id, assignKeys[i]!]));
    const best = [...candidates].sort(
      (a, b) =>
        load.get(a)! - load.get(b)! ||
        (keyOf.get(a)! < keyOf.get(b)! ? -1 : keyOf.get(a)! > keyOf.get(b)! ? 1 : a < b ? -1 : 1),
    )[0]!;
    out.set(s.unit, best);
    load.set(best, load.get(best)! + 1);
  }
  return out;
}
