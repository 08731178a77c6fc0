/**
 * Unit facts (the classification input), evaluation periods and fact resolvers.
 * Base facts are flat columns of the `units` table; derived facts are computed from them
 * for an evaluation period by registered resolvers.
 */
import { z } from 'zod';
import { FORMAT_MESSAGES } from './messages';
import {
  CREDIT_GRADES,
  INDUSTRIES,
  INDUSTRY_IDS,
  RISK_GRADES,
  UNIT_NATURE_IDS,
  UNIT_NATURES,
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

const ZIsoDate = z.string().refine(isIsoDate, { message: FORMAT_MESSAGES.date });

/** The value domain of a fact, used for validation, suggestions and the load-time tightening check. */
export type FactType =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'number'; readonly nullable: boolean }
  | { readonly kind: 'string'; readonly nullable: boolean }
  | { readonly kind: 'date'; readonly nullable: boolean };

/** A value a fact can take. */
export type FactValue = string | number | boolean | null;

/** A Chinese and an English label. */
export interface Label {
  readonly zh: string;
  readonly en: string;
}

/**
 * One base fact, declared once: name (the registry key), domain, labels, the `units` column it
 * is read from, and its validation. The unit-facts schema, the bulk validator, the built-in
 * plugin (editor fact list, JSON Schemas, authoring guide) and the API's classification input
 * are all derived from `BASE_FACT_REGISTRY`.
 */
export interface BaseFactDeclaration<S extends z.ZodType = z.ZodType> {
  readonly type: FactType;
  readonly label: Label;
  /** What the fact means, for pack authors (the authoring guide). */
  readonly description: string;
  /** Labels of enum values, for value pickers. */
  readonly valueLabels?: Readonly<Record<string, Label>>;
  /** The `units` table column (drizzle key) the value is read from; default: the fact name. */
  readonly column?: string;
  /** The zod schema of a value (derived from `type` unless given). */
  readonly schema: S;
  /** The bulk validator's allocation-free check (derived from `type` unless given). */
  readonly check?: (value: unknown) => boolean;
  /**
   * The value of units and case files that predate the fact (a new flag: false). Case files may
   * then leave it out; facts without a default must be stated in every case.
   */
  readonly default?: FactValue;
}

const nullableDate = (v: unknown) => v === null || (typeof v === 'string' && fastIsoDate(v));

/** A yes/no flag of the unit record; `options.default` for a flag added after cases were written. */
const flag = (
  zh: string,
  en: string,
  description: string,
  options: { default?: boolean } = {},
): BaseFactDeclaration<z.ZodBoolean> => ({
  type: { kind: 'boolean' },
  label: { zh, en },
  description,
  schema: z.boolean(),
  ...(options.default !== undefined ? { default: options.default } : {}),
});
/** A fact taking one of `values`. */
function oneOf<const V extends readonly string[]>(
  values: V,
  label: Label,
  description: string,
  valueLabels: Readonly<Record<string, Label>>,
): BaseFactDeclaration<z.ZodEnum<{ [K in V[number]]: K }>> {
  const set = new Set<unknown>(values);
  return {
    type: { kind: 'enum', values },
    label,
    description,
    valueLabels,
    schema: z.enum(values as unknown as readonly [V[number], ...V[number][]]),
    check: (v) => set.has(v),
  };
}
/** A calendar date, or null. */
const date = (
  zh: string,
  en: string,
  description: string,
): BaseFactDeclaration<z.ZodNullable<typeof ZIsoDate>> => ({
  type: { kind: 'date', nullable: true },
  label: { zh, en },
  description,
  schema: ZIsoDate.nullable(),
  check: nullableDate,
});

const SCALE_LABELS: Record<string, Label> = {
  large: { zh: '大型', en: 'Large' },
  medium: { zh: '中型', en: 'Medium' },
  small: { zh: '小型', en: 'Small' },
  micro: { zh: '微型', en: 'Micro' },
};
const RISK_LABELS: Record<string, Label> = {
  major: { zh: '重大风险（红）', en: 'Major (red)' },
  high: { zh: '较大风险（橙）', en: 'High (orange)' },
  medium: { zh: '一般风险（黄）', en: 'Medium (yellow)' },
  low: { zh: '低风险（蓝）', en: 'Low (blue)' },
};
const CREDIT_LABELS = Object.fromEntries(
  CREDIT_GRADES.map((g) => [g, { zh: `${g} 级`, en: `Grade ${g}` }]),
) as Record<string, Label>;

/**
 * THE base facts: one entry per fact a rule may read from the unit record, in `units` column
 * order. Adding a base fact = one entry here + its column in packages/db/src/schema/units.ts +
 * the migration drizzle-kit generates for it (ARCHITECTURE.md, "Adding a base fact").
 */
export const BASE_FACT_REGISTRY = {
  unitId: {
    type: { kind: 'string', nullable: false },
    label: { zh: '统一社会信用代码', en: 'Credit code (USCC)' },
    description: 'USCC 统一社会信用代码 (18 characters)',
    column: 'id',
    schema: z.string().superRefine((value, ctx) => {
      const problem = usccProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `${FORMAT_MESSAGES.uscc}: ${problem}` });
    }),
    check: (v) => typeof v === 'string' && isUsccFast(v),
  },
  bureau: {
    type: { kind: 'string', nullable: false },
    label: { zh: '所属区', en: 'District' },
    description: 'district code (GB/T 2260), e.g. "120116"',
    column: 'bureauCode',
    schema: z.string().regex(/^\d{6}$/, FORMAT_MESSAGES.districtCode),
    check: (v) => typeof v === 'string' && digits(v, 6),
  },
  street: {
    type: { kind: 'string', nullable: true },
    label: { zh: '街道（乡镇）', en: 'Street' },
    description: '9-digit street code, or null',
    column: 'streetCode',
    schema: z
      .string()
      .regex(/^\d{9}$/, FORMAT_MESSAGES.streetCode)
      .nullable(),
    check: (v) => v === null || (typeof v === 'string' && digits(v, 9)),
  },
  industry: oneOf(INDUSTRY_IDS, { zh: '行业', en: 'Industry' }, 'industry sector 行业', INDUSTRIES),
  nature: oneOf(UNIT_NATURE_IDS, { zh: '单位性质', en: 'Nature' }, 'nature 性质', UNIT_NATURES),
  scale: oneOf(UNIT_SCALES, { zh: '规模', en: 'Scale' }, 'scale 规模', SCALE_LABELS),
  employees: {
    type: { kind: 'number', nullable: false },
    label: { zh: '从业人数', en: 'Employees' },
    description: 'number of employees',
    schema: z.int().min(0),
    check: (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0,
  },
  riskGrade: oneOf(RISK_GRADES, { zh: '风险等级', en: 'Risk grade' }, 'risk grade 风险等级', RISK_LABELS),
  creditGrade: oneOf(
    CREDIT_GRADES,
    { zh: '信用等级', en: 'Credit grade' },
    'credit grade 信用等级 (A best)',
    CREDIT_LABELS,
  ),
  lastFatalAccidentOn: date('最近死亡事故日期', 'Last fatal accident on', 'date of the last fatal accident'),
  majorHazard: flag('存在重大事故隐患', 'Open major hazard', 'open, unrectified major hazard 重大事故隐患'),
  majorHazardSource: flag('重大危险源', 'Major hazard source', 'registered major hazard source 重大危险源'),
  trialProduction: flag('试生产', 'Trial production', 'in trial production 试生产'),
  resuming: flag('复工复产', 'Resuming work', 'resuming work 复工复产'),
  blacklisted: flag('黑名单', 'Blacklisted', 'on the blacklist 黑名单'),
  jointPunishment: flag('失信联合惩戒', 'Joint punishment', 'on the joint-punishment list 失信联合惩戒'),
  keyUnit: flag('重点检查单位', 'Key unit', 'otherwise marked for key inspection 重点检查'),
  crowdedPlace: flag('人员密集场所', 'Crowded place', 'crowded place 人员密集场所'),
  dustExplosion: flag('粉尘涉爆', 'Dust explosion risk', 'dust-explosion risk 粉尘涉爆'),
  confinedSpace: flag('有限空间作业', 'Confined-space work', 'confined-space work 有限空间作业'),
  lastInspectedOn: date('最近检查日期', 'Last inspected on', 'date of the last inspection'),
} as const satisfies Record<string, BaseFactDeclaration>;

type Registry = typeof BASE_FACT_REGISTRY;

/** zod schema of one unit's base facts (exactly the registry; strict). */
export const ZUnitFactsSchema = z.strictObject(
  Object.fromEntries(Object.entries(BASE_FACT_REGISTRY).map(([name, f]) => [name, f.schema])) as {
    [K in keyof Registry]: Registry[K]['schema'];
  },
);

/** One unit's base facts. */
export type UnitFacts = z.infer<typeof ZUnitFactsSchema>;

/** Names of the base facts, in table column order. */
export const BASE_FACT_NAMES = Object.keys(BASE_FACT_REGISTRY) as (keyof UnitFacts)[];

/** Each base fact's allocation-free check, for the bulk validator. */
const CHECKS: readonly [string, (v: unknown) => boolean][] = Object.entries(BASE_FACT_REGISTRY).map(
  ([name, f]: [string, BaseFactDeclaration]) => [
    name,
    f.check ?? (f.type.kind === 'boolean' ? (v: unknown) => typeof v === 'boolean' : () => false),
  ],
);
const FACT_COUNT = CHECKS.length;

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
  if (Object.keys(r).length !== FACT_COUNT) return false;
  for (let i = 0; i < FACT_COUNT; i++) {
    const [name, check] = CHECKS[i]!;
    if (!check(r[name])) return false;
  }
  return true;
}

/** Values of the facts that declare a default, for case files and synthetic units that predate them. */
export const BASE_FACT_DEFAULTS: Partial<UnitFacts> = Object.fromEntries(
  (Object.entries(BASE_FACT_REGISTRY) as [string, BaseFactDeclaration][])
    .filter(([, f]) => f.default !== undefined)
    .map(([name, f]) => [name, f.default]),
);

/** Documentation and domain of every base fact. */
export const BASE_FACTS: Readonly<Record<keyof UnitFacts, BaseFactDeclaration>> = BASE_FACT_REGISTRY;

/**
 * A unit's base facts read from its roster record (a `units` row, keyed by drizzle column
 * names), each fact from its registry column.
 */
export function unitFactsFromRecord(row: Readonly<Record<string, unknown>>): UnitFacts {
  // The registry's pairs are listed once, not once per unit (a city approval reads 10^6 rows).
  const out: Record<string, unknown> = {};
  for (let i = 0; i < FACT_COLUMNS.length; i++) {
    const [name, column] = FACT_COLUMNS[i]!;
    out[name] = row[column];
  }
  return out as UnitFacts;
}

/** Each base fact's name and the roster column it is read from, in registry order. */
const FACT_COLUMNS: readonly (readonly [string, string])[] = (
  Object.entries(BASE_FACT_REGISTRY) as [string, BaseFactDeclaration][]
).map(([name, f]) => [name, f.column ?? name] as const);

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
