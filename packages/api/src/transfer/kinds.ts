import { z } from 'zod';
import {
  CREDIT_GRADES,
  EXTRA_SPECIALTIES,
  INDUSTRIES,
  INDUSTRY_IDS,
  INSPECTOR_STATUSES,
  RISK_GRADES,
  SPECIALTY_IDS,
  UNIT_NATURE_IDS,
  UNIT_NATURES,
  UNIT_SCALES,
} from '@spotcheck/core';
import { ZChecklistItemSchema, ZExpertSchema, ZInspectorSchema, ZUnitSchema } from '../lib/roster-schemas';

/** What can be imported and exported as a spreadsheet. */
export const TRANSFER_KINDS = ['units', 'inspectors', 'experts', 'checklist-items'] as const;
/** One transferable list. */
export type TransferKind = (typeof TRANSFER_KINDS)[number];

type ColType = 'text' | 'int' | 'bool' | 'list' | 'date';

/** One spreadsheet column: field key, Chinese label, type, allowed values. */
export interface Column {
  key: string;
  label: string;
  type: ColType;
  required: boolean;
  allowed?: readonly string[];
  /** Chinese labels (and common synonyms) accepted for an allowed code, e.g. 危险化学品 → hazardous-chemicals. */
  aliases?: Readonly<Record<string, string>>;
}

/** `{zh label: code}` of a vocabulary `{code: {zh, en}}`. */
const zhOf = (vocab: Record<string, { zh: string }>): Record<string, string> =>
  Object.fromEntries(Object.entries(vocab).map(([code, v]) => [v.zh, code]));

/** Chinese labels accepted in imports, per vocabulary (R4: bulk import from existing systems). */
export const IMPORT_ALIASES = {
  nature: { ...zhOf(UNIT_NATURES), 私营: 'private', 国营: 'state-owned', 个体工商户: 'sole-proprietor' },
  industry: zhOf(INDUSTRIES),
  specialty: { ...zhOf(INDUSTRIES), ...zhOf(EXTRA_SPECIALTIES) },
  scale: { 大型: 'large', 中型: 'medium', 小型: 'small', 微型: 'micro' },
  risk: {
    重大: 'major',
    较大: 'high',
    一般: 'medium',
    低: 'low',
    重大风险: 'major',
    较大风险: 'high',
    一般风险: 'medium',
    低风险: 'low',
    红: 'major',
    橙: 'high',
    黄: 'medium',
    蓝: 'low',
    红色: 'major',
    橙色: 'high',
    黄色: 'medium',
    蓝色: 'low',
  },
  credit: { A级: 'A', B级: 'B', C级: 'C', D级: 'D' },
  inspectorStatus: {
    在岗: 'active',
    在职: 'active',
    暂停: 'suspended',
    停职: 'suspended',
    离职: 'left',
    调离: 'left',
  },
  expertStatus: { 在库: 'active', 有效: 'active', 停用: 'inactive' },
  inspectionKind: { 一般检查: 'general', 重点检查: 'key', 暗查暗访: 'covert' },
} as const satisfies Record<string, Record<string, string>>;

const c = (
  key: string,
  label: string,
  type: ColType,
  required: boolean,
  allowed?: readonly string[],
  aliases?: Readonly<Record<string, string>>,
): Column => ({ key, label, type, required, allowed, aliases });

/** Columns per kind, in template order. */
export const COLUMNS: Record<TransferKind, Column[]> = {
  units: [
    c('id', '统一社会信用代码', 'text', true),
    c('name', '单位名称', 'text', true),
    c('nature', '性质', 'text', true, UNIT_NATURE_IDS, IMPORT_ALIASES.nature),
    c('industry', '行业', 'text', true, INDUSTRY_IDS, IMPORT_ALIASES.industry),
    c('scale', '规模', 'text', true, UNIT_SCALES, IMPORT_ALIASES.scale),
    c('employees', '从业人数', 'int', true),
    c('bureauCode', '所属区', 'text', true),
    c('streetCode', '街道代码', 'text', false),
    c('address', '地址', 'text', false),
    c('legalRepresentative', '法定代表人', 'text', false),
    c('riskGrade', '风险等级', 'text', true, RISK_GRADES, IMPORT_ALIASES.risk),
    c('creditGrade', '信用等级', 'text', true, CREDIT_GRADES, IMPORT_ALIASES.credit),
    c('lastFatalAccidentOn', '最近死亡事故日期', 'date', false),
    c('majorHazard', '重大事故隐患', 'bool', false),
    c('majorHazardSource', '重大危险源', 'bool', false),
    c('trialProduction', '试生产', 'bool', false),
    c('resuming', '复工复产', 'bool', false),
    c('blacklisted', '黑名单', 'bool', false),
    c('jointPunishment', '联合惩戒', 'bool', false),
    c('keyUnit', '重点单位', 'bool', false),
    c('crowdedPlace', '人员密集场所', 'bool', false),
    c('dustExplosion', '粉尘涉爆', 'bool', false),
    c('confinedSpace', '有限空间', 'bool', false),
    c('lastInspectedOn', '最近检查日期', 'date', false),
  ],
  inspectors: [
    c('id', '执法人员编号', 'text', true),
    c('certificateNo', '执法证号', 'text', true),
    c('name', '姓名', 'text', true),
    c('bureauCode', '所属区', 'text', true),
    c('department', '所在单位', 'text', true),
    c('specialties', '专业', 'list', false, SPECIALTY_IDS, IMPORT_ALIASES.specialty),
    c('equipment', '装备', 'list', false),
    c('status', '状态', 'text', false, INSPECTOR_STATUSES, IMPORT_ALIASES.inspectorStatus),
    c('capacityPerQuarter', '每季度检查能力', 'int', false),
    c('joinedOn', '入职日期', 'date', false),
    c('leftOn', '离职日期', 'date', false),
  ],
  experts: [
    c('id', '专家编号', 'text', true),
    c('name', '姓名', 'text', true),
    c('bureauCode', '所属区', 'text', false),
    c('specialties', '专业', 'list', false, SPECIALTY_IDS, IMPORT_ALIASES.specialty),
    c('title', '职称', 'text', false),
    c('employer', '工作单位', 'text', false),
    c('status', '状态', 'text', false, ['active', 'inactive'], IMPORT_ALIASES.expertStatus),
  ],
  'checklist-items': [
    c('code', '事项编码', 'text', true),
    c('subject', '检查主体', 'text', true),
    c('item', '检查项目', 'text', true),
    c('content', '检查内容', 'text', true),
    c('legalBasis', '检查依据', 'text', true),
    c('industries', '适用行业', 'list', false, INDUSTRY_IDS, IMPORT_ALIASES.industry),
    c(
      'inspectionKinds',
      '检查方式',
      'list',
      false,
      ['general', 'key', 'covert'],
      IMPORT_ALIASES.inspectionKind,
    ),
    c('riskGrades', '适用风险等级', 'list', false, ['major', 'high', 'medium', 'low'], IMPORT_ALIASES.risk),
    c('sortOrder', '排序', 'int', false),
  ],
};

/** The zod schema validating one row of a kind. */
export const ROW_SCHEMAS: Record<TransferKind, z.ZodType> = {
  units: ZUnitSchema,
  inspectors: ZInspectorSchema,
  experts: ZExpertSchema,
  'checklist-items': ZChecklistItemSchema,
};

/** Header text of a column in templates and exports: `label(key)`. */
export function headerOf(col: Column): string {
  return `${col.label}(${col.key})`;
}

/** Maps a header cell to a column: by key, Chinese label, or `label(key)`. */
export function columnFor(kind: TransferKind, header: string): Column | undefined {
  const h = header.trim();
  const inParens = /\(([A-Za-z]+)\)\s*$/.exec(h)?.[1];
  return COLUMNS[kind].find((col) => col.key === h || col.label === h || col.key === inParens);
}

/** The code of a cell value: the value itself, or the code its Chinese label stands for. */
function codeOf(col: Column, value: string): string {
  return col.aliases?.[value] ?? value;
}

const TRUE = new Set(['true', '1', 'y', 'yes', '是', '√']);
const FALSE = new Set(['false', '0', 'n', 'no', '否', '']);

/**
 * Why a cell was refused: `error` in English (API and CLI), `code` and `params` for the admin to
 * say it in the user's language (`importProblem.<code>`).
 */
export interface CellError {
  error: string;
  code: 'required' | 'not-integer' | 'not-boolean' | 'not-allowed' | 'not-date' | 'nul-character';
  params?: Record<string, string | number>;
}

/** Converts a cell's text to the column's type; returns a {@link CellError} on failure. */
export function convertCell(col: Column, text: string): { value: unknown } | CellError {
  // PostgreSQL text cannot hold NUL: refused here, naming row and column, not by the database.
  if (text.includes('\u0000')) return { error: 'must not contain a NUL character', code: 'nul-character' };
  const t = text.trim();
  if (t === '') {
    if (col.required) return { error: 'is required', code: 'required' };
    return { value: col.type === 'bool' ? false : col.type === 'list' ? [] : undefined };
  }
  switch (col.type) {
    case 'int':
      return /^-?\d+$/.test(t)
        ? { value: Number(t) }
        : { error: `"${t}" is not a whole number`, code: 'not-integer', params: { value: t } };
    case 'bool': {
      const l = t.toLowerCase();
      return TRUE.has(l)
        ? { value: true }
        : FALSE.has(l)
          ? { value: false }
          : { error: `"${t}" is not 是/否 (true/false)`, code: 'not-boolean', params: { value: t } };
    }
    case 'list': {
      const items = t
        .split(/[;；,，、]/)
        .map((s) => codeOf(col, s.trim()))
        .filter(Boolean);
      const bad = col.allowed ? items.find((i) => !col.allowed!.includes(i)) : undefined;
      return bad
        ? {
            error: `"${bad}" is not one of ${col.allowed!.join(', ')}`,
            code: 'not-allowed',
            params: { value: bad },
          }
        : { value: items };
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(t) &&
        !Number.isNaN(Date.parse(`${t}T00:00:00Z`)) &&
        new Date(`${t}T00:00:00Z`).toISOString().startsWith(t)
        ? { value: t }
        : { error: `"${t}" is not a date YYYY-MM-DD`, code: 'not-date', params: { value: t } };
    default: {
      const code = codeOf(col, t);
      if (col.allowed && !col.allowed.includes(code))
        return {
          error: `"${t}" is not one of ${col.allowed.join(', ')} (or their Chinese names)`,
          code: 'not-allowed',
          params: { value: t },
        };
      return { value: code };
    }
  }
}
