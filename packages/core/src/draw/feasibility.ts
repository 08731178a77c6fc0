import type { TeamSpec } from './commitment';
import type { FrameRow, InspectorRow } from './rows';

/** Why one frame row cannot be given a team. */
export interface FeasibilityProblem {
  unitId: string;
  /** Inspectors that do not exclude the unit. */
  eligible: number;
  /** Eligible inspectors holding the unit's specialty (only when a specialist is required). */
  eligibleSpecialists: number | null;
  /** Plain-language reasons, one per failed condition. */
  reasons: string[];
}

/** Outcome of the pre-commit check of sr-draw/v1 §1. */
export interface FeasibilityReport {
  ok: boolean;
  problems: FeasibilityProblem[];
}

/** For each unit id, the indices of inspectors whose excludedUnits contain it. */
export function excludersByUnit(inspectors: readonly InspectorRow[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (let i = 0; i < inspectors.length; i++) {
    for (const unitId of inspectors[i]![3]) {
      const list = map.get(unitId);
      if (list) list.push(i);
      else map.set(unitId, [i]);
    }
  }
  return map;
}

/**
 * Pre-commit feasibility (sr-draw/v1 §1): lists every frame row with fewer than `team.size`
 * inspectors not excluding it, or (with `team.specialist` and a unit specialty) no such
 * inspector holding its specialty. Always ok when teams are not drawn.
 */
export function checkFeasibility(
  frame: readonly FrameRow[],
  inspectors: readonly InspectorRow[],
  team: TeamSpec,
): FeasibilityReport {
  const problems: FeasibilityProblem[] = [];
  if (!team.assign) return { ok: true, problems };
  const holders = new Map<string, number>();
  for (const row of inspectors) for (const s of row[2]) holders.set(s, (holders.get(s) ?? 0) + 1);
  const excluders = excludersByUnit(inspectors);
  const m = inspectors.length;
  for (const [unitId, , , , specialty] of frame) {
    const ex = excluders.get(unitId);
    const eligible = m - (ex ? ex.length : 0);
    let eligibleSpecialists: number | null = null;
    const reasons: string[] = [];
    if (eligible < team.size) {
      reasons.push(
        `only ${eligible} eligible inspector${eligible === 1 ? '' : 's'}, a team needs ${team.size}`,
      );
    }
    if (team.specialist && specialty !== '') {
      let n = holders.get(specialty) ?? 0;
      if (ex) for (const i of ex) if (inspectors[i]![2].includes(specialty)) n--;
      eligibleSpecialists = n;
      if (n === 0) reasons.push(`no eligible inspector holds specialty "${specialty}"`);
    }
    if (reasons.length > 0) problems.push({ unitId, eligible, eligibleSpecialists, reasons });
  }
  return { ok: problems.length === 0, problems };
}

/** One line per problem, for error messages and logs. */
export function formatFeasibility(report: FeasibilityReport, limit = 20): string {
  const lines = report.problems.slice(0, limit).map((p) => `unit ${p.unitId}: ${p.reasons.join('; ')}`);
  if (report.problems.length > limit) lines.push(`… and ${report.problems.length - limit} more units`);
  return lines.join('\n');
}
