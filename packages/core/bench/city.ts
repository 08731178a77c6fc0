/** What the draw benches share: the synthetic city's strata and a wall + CPU timer. */

/** 8 strata: 4 `srs` (credit grades) and 4 `pareto` (risk levels), in id order. */
export const STRATA = [
  'credit-a',
  'credit-b',
  'credit-c',
  'credit-d',
  'risk-high',
  'risk-low',
  'risk-major',
  'risk-medium',
];

/**
 * CPU time (user + system, seconds) of each step by its wall time: on a shared, loaded machine the
 * CPU time is the better estimate of what a step costs on an idle core.
 */
export const cpuOf = new Map<number, number>();

/** Runs `f`, returning its value and wall time in seconds; the CPU time goes to {@link cpuOf}. */
export function time<T>(f: () => T): [T, number] {
  const c = process.cpuUsage();
  const t = performance.now();
  const v = f();
  const wall = (performance.now() - t) / 1000;
  const used = process.cpuUsage(c);
  cpuOf.set(wall, (used.user + used.system) / 1e6);
  return [v, wall];
}
