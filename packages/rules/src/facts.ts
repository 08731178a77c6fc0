/**
 * Unit facts (the classification input), evaluation periods and fact resolvers.
 * Base facts are flat columns of the `units` table; derived facts are computed from them
 * for an evaluation period by registered resolvers.
 */
import { z } from 'zod';
import {
  CREDIT_GRADES,
  INDUSTRY_IDS,
  RISK_GRADES,
  UNIT_NATURE_IDS,
  UNIT_SCALES,
  usccProblem,
} from '@spotcheck/core';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `text` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const y = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

const ZIsoDate = z.string().refine(isIsoDate, { message: 'must be a calendar date written YYYY-MM-DD' });

/** zod schema of one unit's base facts (exactly the columns of the `units` table). */
export const ZUnitFactsSchema = z.strictObject({
  unitId: z.string().superRefine((value, ctx) => {
    const problem = usccProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `not a USCC: ${problem}` });
  }),
  bureau: z.string().regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 district code such as "120116"'),
  street: z
    .string()
    .regex(/^\d{9}$/, 'must be a 9-digit street code or null')
    .nullable(),
  industry: z.enum(INDUSTRY_IDS),
  nature: z.enum(UNIT_NATURE_IDS),
  scale: z.enum(UNIT_SCALES),
  employees: z.int().min(0),
  riskGrade: z.enum(RISK_GRADES),
  creditGrade: z.enum(CREDIT_GRADES),
  lastFatalAccidentOn: ZIsoDate.nullable(),
  majorHazard: z.boolean(),
  majorHazardSource: z.boolean(),
  trialProduction: z.boolean(),
  resuming: z.boolean(),
  blacklisted: z.boolean(),
  jointPunishment: z.boolean(),
  keyUnit: z.boolean(),
  crowdedPlace: z.boolean(),
  dustExplosion: z.boolean(),
  confinedSpace: z.boolean(),
  lastInspectedOn: ZIsoDate.nullable(),
});

/** One unit's base facts. */
export type UnitFacts = z.infer<typeof ZUnitFactsSchema>;

const INDUSTRY_SET = new Set<unknown>(INDUSTRY_IDS);
const NATURE_SET = new Set<unknown>(UNIT_NATURE_IDS);
const SCALE_SET = new Set<unknown>(UNIT_SCALES);
const RISK_SET = new Set<unknown>(RISK_GRADES);
const CREDIT_SET = new Set<unknown>(CREDIT_GRADES);
/** True when `s` is exactly `n` ASCII digits (no regex: this runs 10^6 times per roster). */
function digits(s: string, n: number): boolean {
  if (s.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
/** isIsoDate without allocation, for the bulk validator. */
function fastIsoDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    y = y * 10 + c;
  }
  const m1 = s.charCodeAt(5) - 48;
  const m2 = s.charCodeAt(6) - 48;
  const d1 = s.charCodeAt(8) - 48;
  const d2 = s.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return false;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return (
    day <=
    (month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31)
  );
}
const BOOLEAN_FACTS = [
  'majorHazard',
  'majorHazardSource',
  'trialProduction',
  'resuming',
  'blacklisted',
  'jointPunishment',
  'keyUnit',
  'crowdedPlace',
  'dustExplosion',
  'confinedSpace',
] as const;
const nullableDate = (v: unknown) => v === null || (typeof v === 'string' && fastIsoDate(v));

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < USCC_ALPHABET.length; i++) USCC_VALUE[USCC_ALPHABET.charCodeAt(i)] = i;

/**
 * `usccProblem(code) === null` (packages/core) without allocation, for the bulk validator:
 * 18 symbols of the USCC alphabet, characters 3–8 digits, correct check character.
 */
export function isUsccFast(code: string): boolean {
  if (code.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 18; i++) {
    const ch = code.charCodeAt(i);
    const v = ch < 128 ? USCC_VALUE[ch]! : -1;
    if (v < 0) return false;
    if (i >= 2 && i < 8 && v > 9) return false;
    if (i < 17) sum += v * USCC_WEIGHTS[i]!;
    else if (v !== (31 - (sum % 31)) % 31) return false;
  }
  return true;
}

/**
 * A fast check for the bulk path: true only when `ZUnitFactsSchema` accepts `u` unchanged
 * (same rules, no allocation). When it returns false, validate with zod for the error message.
 */
export function isValidUnitFacts(u: unknown): u is UnitFacts {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return false;
  const r = u as Record<string, unknown>;
  if (Object.keys(r).length !== 21) return false;
  for (const b of BOOLEAN_FACTS) if (typeof r[b] !== 'boolean') return false;
  const e = r.employees;
  return (
    typeof r.unitId === 'string' &&
    typeof r.bureau === 'string' &&
    digits(r.bureau, 6) &&
    (r.street === null || (typeof r.street === 'string' && digits(r.street, 9))) &&
    INDUSTRY_SET.has(r.industry) &&
    NATURE_SET.has(r.nature) &&
    SCALE_SET.has(r.scale) &&
    typeof e === 'number' &&
    Number.isSafeInteger(e) &&
    e >= 0 &&
    RISK_SET.has(r.riskGrade) &&
    CREDIT_SET.has(r.creditGrade) &&
    nullableDate(r.lastFatalAccidentOn) &&
    nullableDate(r.lastInspectedOn) &&
    isUsccFast(r.unitId)
  );
}

/** Names of the base facts, in table column order. */
export const BASE_FACT_NAMES = Object.keys(ZUnitFactsSchema.shape) as (keyof UnitFacts)[];

/** The value domain of a fact, used for validation, suggestions and the load-time tightening check. */
export type FactType =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'number'; readonly nullable: boolean }
  | { readonly kind: 'string'; readonly nullable: boolean }
  | { readonly kind: 'date'; readonly nullable: boolean };

/** A value a fact can take. */
export type FactValue = string | number | boolean | null;

/** Documentation and domain of every base fact. */
export const BASE_FACTS: Readonly<Record<keyof UnitFacts, { type: FactType; description: string }>> = {
  unitId: { type: { kind: 'string', nullable: false }, description: 'USCC 统一社会信用代码 (18 characters)' },
  bureau: {
    type: { kind: 'string', nullable: false },
    description: 'district code (GB/T 2260), e.g. "120116"',
  },
  street: { type: { kind: 'string', nullable: true }, description: '9-digit street code, or null' },
  industry: { type: { kind: 'enum', values: INDUSTRY_IDS }, description: 'industry sector 行业' },
  nature: { type: { kind: 'enum', values: UNIT_NATURE_IDS }, description: 'nature 性质' },
  scale: { type: { kind: 'enum', values: UNIT_SCALES }, description: 'scale 规模' },
  employees: { type: { kind: 'number', nullable: false }, description: 'number of employees' },
  riskGrade: { type: { kind: 'enum', values: RISK_GRADES }, description: 'risk grade 风险等级' },
  creditGrade: {
    type: { kind: 'enum', values: CREDIT_GRADES },
    description: 'credit grade 信用等级 (A best)',
  },
  lastFatalAccidentOn: {
    type: { kind: 'date', nullable: true },
    description: 'date of the last fatal accident',
  },
  majorHazard: { type: { kind: 'boolean' }, description: 'open, unrectified major hazard 重大事故隐患' },
  majorHazardSource: { type: { kind: 'boolean' }, description: 'registered major hazard source 重大危险源' },
  trialProduction: { type: { kind: 'boolean' }, description: 'in trial production 试生产' },
  resuming: { type: { kind: 'boolean' }, description: 'resuming work 复工复产' },
  blacklisted: { type: { kind: 'boolean' }, description: 'on the blacklist 黑名单' },
  jointPunishment: { type: { kind: 'boolean' }, description: 'on the joint-punishment list 失信联合惩戒' },
  keyUnit: { type: { kind: 'boolean' }, description: 'otherwise marked for key inspection 重点检查' },
  crowdedPlace: { type: { kind: 'boolean' }, description: 'crowded place 人员密集场所' },
  dustExplosion: { type: { kind: 'boolean' }, description: 'dust-explosion risk 粉尘涉爆' },
  confinedSpace: { type: { kind: 'boolean' }, description: 'confined-space work 有限空间作业' },
  lastInspectedOn: { type: { kind: 'date', nullable: true }, description: 'date of the last inspection' },
};

/** An evaluation period: `start` inclusive, `end` exclusive, both YYYY-MM-DD. */
export interface Period {
  readonly start: string;
  readonly end: string;
}

/** The calendar year `year` as a period. */
export function periodOfYear(year: number): Period {
  return { start: `${year}-01-01`, end: `${year + 1}-01-01` };
}

/**
 * Parses "2027" (a year), "2027-Q2" (a quarter) or "2027-01-01/2027-07-01" (explicit range)
 * into a period; returns a message when the text is none of these.
 */
export function parsePeriod(text: string): Period | string {
  let m = /^(\d{4})$/.exec(text);
  if (m) return periodOfYear(Number(m[1]));
  m = /^(\d{4})-Q([1-4])$/.exec(text);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    const month = (n: number) => String(n).padStart(2, '0');
    return {
      start: `${y}-${month(q * 3 - 2)}-01`,
      end: q === 4 ? `${y + 1}-01-01` : `${y}-${month(q * 3 + 1)}-01`,
    };
  }
  m = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (m && isIsoDate(m[1]!) && isIsoDate(m[2]!) && m[1]! < m[2]!) return { start: m[1]!, end: m[2]! };
  return `"${text}" is not a period: write a year "2027", a quarter "2027-Q2" or a range "2027-01-01/2027-07-01"`;
}

/** Whole years from `from` to `to` (both YYYY-MM-DD), 0 when `from` is on or after `to`. */
export function wholeYearsBetween(from: string, to: string): number {
  if (from >= to) return 0;
  let years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  if (to.slice(5) < from.slice(5)) years -= 1;
  return years;
}

/** Whole months from `from` to `to` (both YYYY-MM-DD), 0 when `from` is on or after `to`. */
export function wholeMonthsBetween(from: string, to: string): number {
  if (from >= to) return 0;
  let months =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5, 7)) -
    Number(from.slice(5, 7));
  if (to.slice(8) < from.slice(8)) months -= 1;
  return months;
}

/**
 * A derived fact: computed from a unit's base facts for a period. Resolvers are code in
 * packages/rules, registered by name; packs refer to them like base facts.
 */
export interface FactResolver {
  /** The fact name used in rule conditions (camelCase). */
  readonly name: string;
  /** What the fact means, for pack authors. */
  readonly description: string;
  /** The value domain. */
  readonly type: FactType;
  /** Base facts it reads; the value must depend on these and the period only (the bulk path memoises on them). */
  readonly reads: readonly (keyof UnitFacts)[];
  /** Computes the value; must be pure and deterministic. */
  resolve(unit: UnitFacts, period: Period): FactValue;
}

/** Built-in derived facts. */
export const BUILTIN_FACT_RESOLVERS: readonly FactResolver[] = [
  {
    name: 'yearsSinceFatalAccident',
    description:
      'whole years from lastFatalAccidentOn to the period start (0 if on or after it); null when there was none. ' +
      'An accident exactly N years before the period start counts as N years ago.',
    type: { kind: 'number', nullable: true },
    reads: ['lastFatalAccidentOn'],
    resolve: (u, p) =>
      u.lastFatalAccidentOn === null ? null : wholeYearsBetween(u.lastFatalAccidentOn, p.start),
  },
  {
    name: 'monthsSinceLastInspection',
    description:
      'whole months from lastInspectedOn to the period start (0 if on or after it); null when never inspected',
    type: { kind: 'number', nullable: true },
    reads: ['lastInspectedOn'],
    resolve: (u, p) => (u.lastInspectedOn === null ? null : wholeMonthsBetween(u.lastInspectedOn, p.start)),
  },
  {
    name: 'highRisk',
    description: 'riskGrade is major or high (风险等级较高, paragraph (五))',
    type: { kind: 'boolean' },
    reads: ['riskGrade'],
    resolve: (u) => u.riskGrade === 'major' || u.riskGrade === 'high',
  },
];
