import {
  INDUSTRIES,
  makeUscc,
  type CreditGrade,
  type Industry,
  type RiskGrade,
  type UnitFactKind,
  type UnitNature,
  type UnitScale,
} from '@spotcheck/core';
import { BRAND_WORDS, DISTRICT_PROFILES, GIVEN, INDUSTRY_HAZARD, INDUSTRY_WORDS, SURNAMES } from './profiles';
import { DemoRandom } from './rng';

/** One generated unit of the target roster, shaped like the `units` table. */
export interface DemoUnit {
  id: string;
  name: string;
  nature: UnitNature;
  industry: Industry;
  scale: UnitScale;
  employees: number;
  bureauCode: string;
  streetCode: string | null;
  address: string;
  legalRepresentative: string;
  riskGrade: RiskGrade;
  creditGrade: CreditGrade;
  lastFatalAccidentOn: string | null;
  majorHazard: boolean;
  majorHazardSource: boolean;
  trialProduction: boolean;
  resuming: boolean;
  blacklisted: boolean;
  jointPunishment: boolean;
  keyUnit: boolean;
  crowdedPlace: boolean;
  dustExplosion: boolean;
  confinedSpace: boolean;
  lastInspectedOn: string | null;
}

/** A dated fact about a generated unit, shaped like the `unit_facts` table. */
export interface DemoUnitFact {
  unitId: string;
  kind: UnitFactKind;
  value: Record<string, unknown>;
  effectiveOn: string;
}

/** Options of {@link generateUnits}. */
export interface GenerateUnitsOptions {
  seed: number;
  count: number;
  /** Street codes per district code. */
  streetsByDistrict: ReadonlyMap<string, readonly string[]>;
  /** The demo's "today"; facts are dated before it. */
  asOf?: string;
}

/** Largest roster the generator accepts (a city's whole roster, B5). */
export const MAX_DEMO_UNITS = 2_000_000;

/** Checks a requested roster size, with a message a person can act on. */
export function checkUnitCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 16) {
    throw new Error(`--units must be a whole number of at least 16 (one per district); got ${count}`);
  }
  if (count > MAX_DEMO_UNITS) {
    throw new Error(
      `--units may be at most ${MAX_DEMO_UNITS.toLocaleString('en')}; got ${count.toLocaleString('en')}`,
    );
  }
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function daysBefore(asOf: string, days: number): string {
  return isoDate(new Date(Date.parse(`${asOf}T00:00:00Z`) - days * 86_400_000));
}

const ORG_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const BRANDS = BRAND_WORDS.length;

/**
 * A company name that no other unit of the roster has: the serial picks two trade-name words
 * (40 × 40 pairs), and beyond 1,600 units a numbered branch (分公司), as real rosters list them.
 */
function uniqueName(serial: number, word: string, suffix: string): string {
  const first = BRAND_WORDS[serial % BRANDS]!;
  const second = BRAND_WORDS[Math.floor(serial / BRANDS) % BRANDS]!;
  const branch = Math.floor(serial / (BRANDS * BRANDS));
  return `天津${first}${second}${word}${suffix}${branch ? `第${branch}分公司` : ''}`;
}

/**
 * Streams a deterministic roster: the same seed and count give the same units, one at a time
 * (bounded memory, so 10^6 units stream straight into COPY).
 */
export function* generateUnits(
  options: GenerateUnitsOptions,
): Generator<{ unit: DemoUnit; facts: DemoUnitFact[] }> {
  checkUnitCount(options.count);
  const asOf = options.asOf ?? '2026-12-01';
  const rnd = new DemoRandom(options.seed);
  const districts = Object.keys(DISTRICT_PROFILES).sort();
  const totalShare = districts.reduce((s, d) => s + DISTRICT_PROFILES[d]!.share, 0);
  // Allocate counts per district by share (largest remainder), at least one each.
  const raw = districts.map((d) => (options.count * DISTRICT_PROFILES[d]!.share) / totalShare);
  const counts = raw.map((r) => Math.max(1, Math.floor(r)));
  let missing = options.count - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; missing > 0; k = (k + 1) % order.length, missing--) counts[order[k]![1]]! += 1;
  for (let k = districts.length - 1; missing < 0; k = (k - 1 + districts.length) % districts.length) {
    if (counts[k]! > 1) {
      counts[k]! -= 1;
      missing++;
    }
  }

  let serial = 0;
  for (let di = 0; di < districts.length; di++) {
    const bureauCode = districts[di]!;
    const profile = DISTRICT_PROFILES[bureauCode]!;
    const streets = options.streetsByDistrict.get(bureauCode) ?? [];
    for (let i = 0; i < counts[di]!; i++) {
      serial++;
      yield makeUnit(rnd, serial, bureauCode, profile.mix as Record<Industry, number>, streets, asOf);
    }
  }
}

function makeUnit(
  rnd: DemoRandom,
  serial: number,
  bureauCode: string,
  mix: Record<Industry, number>,
  streets: readonly string[],
  asOf: string,
): { unit: DemoUnit; facts: DemoUnitFact[] } {
  const industry = rnd.weighted(mix);
  const hazard = INDUSTRY_HAZARD[industry];
  const nature = rnd.weighted<UnitNature>({
    'state-owned': 6,
    collective: 2,
    private: 74,
    foreign: 8,
    'sole-proprietor': 10,
  });
  const scale = rnd.weighted<UnitScale>({ large: 3, medium: 12, small: 45, micro: 40 });
  const employees = {
    large: rnd.int(1000, 8000),
    medium: rnd.int(300, 999),
    small: rnd.int(20, 299),
    micro: rnd.int(1, 19),
  }[scale];
  // Organisation code body: serial in base 31 keeps ids unique and deterministic.
  let body = '';
  for (let n = serial + 31 ** 5, k = 0; k < 8; k++, n = Math.floor(n / 31)) body = ORG_CHARS[n % 31] + body;
  const id = makeUscc(
    nature === 'sole-proprietor' ? '92' : '91',
    bureauCode,
    body.replace(/[^0-9A-Z]/g, '0'),
  );
  const word = rnd.pick(INDUSTRY_WORDS[industry]);
  const suffix = scale === 'large' ? '集团有限公司' : nature === 'sole-proprietor' ? '经营部' : '有限公司';
  const name = uniqueName(serial, word, suffix);

  const riskGrade = rnd.weighted<RiskGrade>({
    major: 0.6 * hazard,
    high: 3 * hazard,
    medium: 28 + 4 * hazard,
    low: 68 - 7 * hazard,
  });
  const creditGrade = rnd.weighted<CreditGrade>({ A: 30, B: 50, C: 15, D: 5 });
  const facts: DemoUnitFact[] = [];
  const fact = (kind: UnitFactKind, value: Record<string, unknown>, daysAgo: number) => {
    const effectiveOn = daysBefore(asOf, daysAgo);
    facts.push({ unitId: id, kind, value, effectiveOn });
    return effectiveOn;
  };
  fact('risk-grade', { grade: riskGrade }, rnd.int(30, 700));
  fact('credit-grade', { grade: creditGrade }, rnd.int(30, 700));

  let lastFatalAccidentOn: string | null = null;
  if (rnd.chance(0.004 * hazard)) {
    lastFatalAccidentOn = fact('fatal-accident', { deaths: rnd.int(1, 3) }, rnd.int(20, 365 * 5));
  }
  const majorHazard = rnd.chance(0.006 * hazard);
  if (majorHazard) fact('major-hazard', { description: '重大事故隐患，挂牌督办中' }, rnd.int(10, 200));
  const trialProduction = rnd.chance(0.008);
  if (trialProduction) fact('trial-production', {}, rnd.int(10, 300));
  const resuming = rnd.chance(0.012);
  if (resuming) fact('resumption', {}, rnd.int(5, 120));
  const blacklisted = creditGrade === 'D' && rnd.chance(0.06);
  if (blacklisted) fact('blacklist', { reason: '重大事故隐患逾期未整改' }, rnd.int(30, 700));
  const jointPunishment = (blacklisted && rnd.chance(0.6)) || (creditGrade !== 'A' && rnd.chance(0.003));
  if (jointPunishment) fact('joint-punishment', { source: '天津市信用信息共享平台' }, rnd.int(30, 700));
  const keyUnit = rnd.chance(0.015 * hazard);
  if (keyUnit) fact('key-unit', {}, rnd.int(30, 700));

  const unit: DemoUnit = {
    id,
    name,
    nature,
    industry,
    scale,
    employees,
    bureauCode,
    streetCode: streets.length ? rnd.pick(streets) : null,
    address: `天津市${INDUSTRIES[industry].zh}产业园${rnd.int(1, 300)}号`,
    legalRepresentative: rnd.pick(SURNAMES) + rnd.pick(GIVEN),
    riskGrade,
    creditGrade,
    lastFatalAccidentOn,
    majorHazard,
    majorHazardSource:
      industry === 'hazardous-chemicals' || industry === 'port-logistics'
        ? rnd.chance(0.3)
        : rnd.chance(0.01),
    trialProduction,
    resuming,
    blacklisted,
    jointPunishment,
    keyUnit,
    crowdedPlace: industry === 'trade' || industry === 'tourism' ? rnd.chance(0.25) : false,
    dustExplosion: ['metallurgy', 'light-industry', 'textile', 'nonferrous', 'machinery'].includes(industry)
      ? rnd.chance(0.15)
      : false,
    confinedSpace: rnd.chance(0.1),
    lastInspectedOn: rnd.chance(0.6) ? daysBefore(asOf, rnd.int(20, 900)) : null,
  };
  return { unit, facts };
}
