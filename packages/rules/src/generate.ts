/**
 * A small deterministic unit-facts generator for tests, benchmarks and `rules diff/simulate`
 * without a roster file. Same seed → same units. Not the demo city (that is packages/demo).
 */
import {
  CREDIT_GRADES,
  INDUSTRY_IDS,
  makeUscc,
  RISK_GRADES,
  UNIT_NATURE_IDS,
  UNIT_SCALES,
  type Industry,
} from '@spotcheck/core';
import { BASE_FACT_DEFAULTS, type UnitFacts } from './facts';

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Industry mix that makes each Tianjin district look like itself. */
const DISTRICT_INDUSTRIES: Record<string, readonly Industry[]> = {
  '120116': [
    'hazardous-chemicals',
    'hazardous-chemicals',
    'port-logistics',
    'port-logistics',
    'machinery',
    'trade',
  ],
  '120118': [
    'metallurgy',
    'metallurgy',
    'metallurgy',
    'machinery',
    'construction-materials',
    'light-industry',
  ],
  '120119': ['non-coal-mine', 'non-coal-mine', 'tourism', 'tourism', 'construction-materials', 'trade'],
  '120101': ['trade', 'trade', 'trade', 'tourism', 'tourism', 'light-industry'],
};

/** Options of `generateUnits`. */
export interface GenerateOptions {
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** District codes to spread units over (default: the four district packs' bureaus). */
  readonly bureaus?: readonly string[];
  /** Year the dates are relative to (default 2027). */
  readonly year?: number;
  /** Number of the first unit (default 0): a roster generated in parts keeps its ids unique (in order, for one bureau). */
  readonly first?: number;
}

/** `count` plausible, valid units with a realistic mix of risk, credit and flags. */
export function generateUnits(count: number, options: GenerateOptions = {}): UnitFacts[] {
  const rnd = seededRandom(options.seed ?? 1);
  const bureaus = options.bureaus ?? Object.keys(DISTRICT_INDUSTRIES);
  const year = options.year ?? 2027;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const weighted = <T>(xs: readonly T[], ws: readonly number[]): T => {
    let r = rnd() * ws.reduce((a, b) => a + b, 0);
    for (let i = 0; i < xs.length; i++) {
      r -= ws[i]!;
      if (r < 0) return xs[i]!;
    }
    return xs[xs.length - 1]!;
  };
  const flag = (p: number) => rnd() < p;
  const date = (yearsBack: number) => {
    const d = new Date(Date.UTC(year, 0, 1) - Math.floor(rnd() * yearsBack * 365.25 + 1) * 86_400_000);
    return d.toISOString().slice(0, 10);
  };
  const first = options.first ?? 0;
  const units: UnitFacts[] = [];
  for (let i = first; i < first + count; i++) {
    const bureau = bureaus[i % bureaus.length]!;
    const local = DISTRICT_INDUSTRIES[bureau];
    const industry = local && flag(0.7) ? pick(local) : pick(INDUSTRY_IDS);
    const scale = weighted(UNIT_SCALES, [5, 15, 40, 40]);
    const employees = { large: 1000, medium: 300, small: 50, micro: 10 }[scale] + Math.floor(rnd() * 200);
    // Facts added later with a default (BASE_FACT_DEFAULTS) need no line here.
    units.push({
      ...(BASE_FACT_DEFAULTS as UnitFacts),
      unitId: makeUscc('91', bureau, String(i).padStart(8, '0')),
      bureau,
      street: flag(0.9) ? `${bureau}${String(1 + Math.floor(rnd() * 30)).padStart(3, '0')}` : null,
      industry,
      nature: weighted(UNIT_NATURE_IDS, [10, 3, 70, 10, 7]),
      scale,
      employees,
      riskGrade: weighted(RISK_GRADES, [3, 9, 28, 60]),
      creditGrade: weighted(CREDIT_GRADES, [30, 50, 15, 5]),
      lastFatalAccidentOn: flag(0.02) ? date(6) : null,
      majorHazard: flag(0.03),
      majorHazardSource:
        industry === 'hazardous-chemicals' || industry === 'port-logistics' ? flag(0.3) : flag(0.01),
      trialProduction: flag(0.02),
      resuming: flag(0.03),
      blacklisted: flag(0.01),
      jointPunishment: flag(0.01),
      keyUnit: flag(0.04),
      crowdedPlace: industry === 'trade' || industry === 'tourism' ? flag(0.5) : flag(0.02),
      dustExplosion: flag(0.05),
      confinedSpace: flag(0.08),
      lastInspectedOn: flag(0.8) ? date(4) : null,
    });
  }
  return units;
}
