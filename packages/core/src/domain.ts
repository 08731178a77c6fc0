/**
 * Domain vocabulary shared by every package (glossary of ../shared/DOMAIN.md).
 * Codes are ASCII ids that satisfy sr-draw/v1's identifier rule, so that an industry
 * can also serve as a specialty id in a draw frame.
 */

/** Industry sectors (行业) of the target roster; also the specialty ids of inspectors. */
export const INDUSTRIES = {
  'hazardous-chemicals': { zh: '危险化学品', en: 'Hazardous chemicals' },
  metallurgy: { zh: '冶金', en: 'Metallurgy' },
  'non-coal-mine': { zh: '非煤矿山', en: 'Non-coal mines' },
  fireworks: { zh: '烟花爆竹', en: 'Fireworks' },
  'construction-materials': { zh: '建材', en: 'Construction materials' },
  nonferrous: { zh: '有色', en: 'Nonferrous metals' },
  machinery: { zh: '机械', en: 'Machinery' },
  'light-industry': { zh: '轻工', en: 'Light industry' },
  textile: { zh: '纺织', en: 'Textile' },
  tobacco: { zh: '烟草', en: 'Tobacco' },
  trade: { zh: '商贸', en: 'Commerce and trade' },
  'port-logistics': { zh: '港口物流仓储', en: 'Port logistics and storage' },
  tourism: { zh: '旅游及人员密集场所', en: 'Tourism and crowded places' },
} as const;
export type Industry = keyof typeof INDUSTRIES;
export const INDUSTRY_IDS = Object.keys(INDUSTRIES) as Industry[];

/** Extra inspector specialties that are not industries. */
export const EXTRA_SPECIALTIES = {
  'occupational-health': { zh: '职业健康', en: 'Occupational health' },
  'fire-electrical': { zh: '电气消防', en: 'Electrical and fire safety' },
  'special-equipment': { zh: '特种设备', en: 'Special equipment' },
  'dust-explosion': { zh: '粉尘防爆', en: 'Dust explosion' },
  'confined-space': { zh: '有限空间', en: 'Confined spaces' },
} as const;
export type Specialty = Industry | keyof typeof EXTRA_SPECIALTIES;
export const SPECIALTY_IDS = [...INDUSTRY_IDS, ...Object.keys(EXTRA_SPECIALTIES)] as Specialty[];

/** Nature of a production/business unit (性质). */
export const UNIT_NATURES = {
  'state-owned': { zh: '国有', en: 'State-owned' },
  collective: { zh: '集体', en: 'Collective' },
  private: { zh: '民营', en: 'Private' },
  foreign: { zh: '外资', en: 'Foreign-invested' },
  'sole-proprietor': { zh: '个体', en: 'Sole proprietor' },
} as const;
export type UnitNature = keyof typeof UNIT_NATURES;
export const UNIT_NATURE_IDS = Object.keys(UNIT_NATURES) as UnitNature[];

/** Whether `value` is one of `list`, narrowing it to the list's element type. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

/** Scale of a unit (规模). */
export const UNIT_SCALES = ['large', 'medium', 'small', 'micro'] as const;
export type UnitScale = (typeof UNIT_SCALES)[number];

/** Safety risk grade (安全风险等级, four colours 红橙黄蓝). `major` and `high` count as high risk (R11). */
export const RISK_GRADES = ['major', 'high', 'medium', 'low'] as const;
export type RiskGrade = (typeof RISK_GRADES)[number];

/** Safety credit grade (安全生产信用等级): A good … D untrustworthy. */
export const CREDIT_GRADES = ['A', 'B', 'C', 'D'] as const;
export type CreditGrade = (typeof CREDIT_GRADES)[number];

/** The Tianjin municipal bureau's code (GB/T 2260 code of 天津市): the city layer of every pack and list. */
export const CITY_BUREAU_CODE = '120000';

/** Inspection kinds of paragraph (五): 一般检查 / 重点检查 / 暗查暗访. */
export const INSPECTION_KINDS = ['general', 'key', 'covert'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];

/** Roles of platform users. */
export const ROLES = [
  'city-admin',
  'district-admin',
  'draw-operator',
  'approver',
  'inspector',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Inspector status on the roster (R3). */
export const INSPECTOR_STATUSES = ['active', 'suspended', 'left'] as const;
export type InspectorStatus = (typeof INSPECTOR_STATUSES)[number];

/** Status of a versioned artefact (checklist version, rule pack version). */
export const VERSION_STATUSES = ['draft', 'published', 'retired'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** Outcomes of an inspection result (R13): compliant, violations found, unit closed or absent. */
export const RESULT_OUTCOMES = ['compliant', 'violations', 'closed-or-absent'] as const;
export type ResultOutcome = (typeof RESULT_OUTCOMES)[number];

/** Kinds of dated unit facts kept with history (R4, R19). */
export const UNIT_FACT_KINDS = [
  'fatal-accident',
  'major-hazard',
  'trial-production',
  'resumption',
  'blacklist',
  'joint-punishment',
  'key-unit',
  'risk-grade',
  'credit-grade',
] as const;
export type UnitFactKind = (typeof UNIT_FACT_KINDS)[number];

/** Plan workflow states (issue: plan→draw→sign). */
export const PLAN_STATUSES = [
  'draft',
  'submitted',
  'approved',
  'randomness-entered',
  'drawn',
  'signed',
  'tasks-issued',
  'voided',
] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
