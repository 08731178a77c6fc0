import { CHECK_TEXT } from './checks';

/**
 * Text both apps show alike, as [zh-CN, en] pairs: what this package's components say (loading,
 * not found), the language switch, common words, and the policy's own terms for a checklist item's
 * fields (R1: 检查主体, 检查项目, 检查内容, 检查依据), a draw's outcome per stratum and the names of a
 * draw verification's checks. Each app's dictionary starts from these (`sharedText`).
 */
export const SHARED_TEXT = {
  'lang.switch': ['English', '中文'],
  'common.loading': ['加载中…', 'Loading…'],
  'common.notFound': ['页面不存在', 'Page not found'],
  'common.yes': ['是', 'Yes'],
  'common.no': ['否', 'No'],
  'common.back': ['返回', 'Back'],
  'common.status': ['状态', 'Status'],
  'checklist.subject': ['检查主体', 'Subject'],
  'checklist.item': ['检查项目', 'Item'],
  'checklist.content': ['检查内容', 'Content'],
  'checklist.legalBasis': ['检查依据', 'Legal basis'],
  'checklist.industries': ['适用行业', 'Industries'],
  'draw.strata': ['分层结果', 'Strata'],
  'draw.sequence': ['顺序', 'Order'],
  'strata.stratum': ['分层', 'Stratum'],
  'strata.quota': ['随机配额', 'Random quota'],
  'strata.certain': ['必抽', 'Certain'],
  'strata.selected': ['抽中', 'Selected'],
  'strata.shortfall': ['缺额', 'Shortfall'],
  'strata.threshold': ['阈值（抽取键）', 'Threshold (select key)'],
  ...CHECK_TEXT,
} as const satisfies Record<string, readonly [string, string]>;

/** A key of the shared text. */
export type SharedKey = keyof typeof SHARED_TEXT;

/** The shared text in one language, to spread into an app's dictionary. */
export function sharedText(lang: 'zh' | 'en'): Record<SharedKey, string> {
  const i = lang === 'zh' ? 0 : 1;
  return Object.fromEntries(Object.entries(SHARED_TEXT).map(([k, pair]) => [k, pair[i]])) as Record<
    SharedKey,
    string
  >;
}
