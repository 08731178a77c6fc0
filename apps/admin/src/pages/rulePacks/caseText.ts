/**
 * Case-run results in the admin's languages: a mismatch (`CaseDiff` of `@spotcheck/rules`) names
 * the field and both values by their Chinese labels, and rules by their description — a Chinese
 * page shows no rule id and no English "expected … got …".
 */
import type { CaseDiff } from '@spotcheck/rules';
import type { Lang } from '@spotcheck/ui/i18n';
import { stratumName } from '@spotcheck/core';
import { specialtyLabel } from '../../lib/labels';
import { PARAM_ZH } from './issueText';

/** Rule descriptions by rule id (`ruleLabels` of `rulePacks.runCases`). */
export type RuleLabels = Readonly<Record<string, string>>;

const CJK = /[\u4e00-\u9fff]/;
const KIND_ZH: Record<string, string> = { general: '一般检查', key: '重点检查', covert: '暗查暗访' };

/**
 * A rule as people read it: its description's Chinese part (rule files write "中文 — English") on
 * a Chinese page, the English part otherwise; the id only in English when there is no description.
 */
export function ruleText(id: string, labels: RuleLabels, lang: Lang): string {
  const [zh, en] = (labels[id] ?? '').split(/\s+—\s+/);
  if (lang === 'zh') return zh && CJK.test(zh) ? zh : '（未写说明的规则）';
  return en?.trim() || (zh && !CJK.test(zh) ? zh : id);
}

function ratioZh(r: unknown): string {
  const s = String(r);
  const frac = /^(\d+)\/(\d+)$/.exec(s);
  return frac ? `${Math.round((Number(frac[1]) / Number(frac[2])) * 10_000) / 100}%` : s;
}

/** A classification value in Chinese. */
function valueZh(field: string, v: unknown, labels: RuleLabels): string {
  if (field === 'fired')
    return Array.isArray(v) && v.length
      ? v.map((id) => `“${ruleText(String(id), labels, 'zh')}”`).join('、')
      : '无';
  if (v === true) return '是';
  if (v === false) return '否';
  if (v === null || v === undefined) return '未设置';
  if (field === 'stratum') return `“${stratumName(String(v), 'zh')}”`;
  if (field === 'specialty') return `“${specialtyLabel(String(v), 'zh')}”`;
  if (field === 'inspectionKind') return `“${KIND_ZH[String(v)] ?? String(v)}”`;
  if (field === 'ratio') return ratioZh(v);
  return typeof v === 'number' ? String(v) : `“${String(v)}”`;
}

/** One mismatch of a case run in `lang` (English: the loader's own line). */
export function caseDiffText(
  d: Partial<CaseDiff> & { field: string },
  labels: RuleLabels,
  lang: Lang,
): string {
  if (lang === 'en')
    return `${d.field}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}`;
  const field = d.field === 'fired' ? '命中规则' : (PARAM_ZH[d.field] ?? '其他结果');
  return `${field}：应为 ${valueZh(d.field, d.expected, labels)}，实际为 ${valueZh(d.field, d.actual, labels)}`;
}
