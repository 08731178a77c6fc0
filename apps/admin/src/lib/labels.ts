import { EXTRA_SPECIALTIES, INDUSTRIES, UNIT_NATURES } from '@spotcheck/core';
import type { Lang } from '@spotcheck/ui/i18n';

type Vocabulary = Record<string, { zh: string; en: string }>;
const SPECIALTIES: Vocabulary = { ...INDUSTRIES, ...EXTRA_SPECIALTIES };

function pick(vocab: Vocabulary, id: string, lang: Lang): string {
  return vocab[id]?.[lang] ?? id;
}

/** Industry label (行业). */
export const industryLabel = (id: string, lang: Lang) => pick(INDUSTRIES, id, lang);
/** Specialty label (industry or extra specialty). */
export const specialtyLabel = (id: string, lang: Lang) => pick(SPECIALTIES, id, lang);
/** Nature label (性质). */
export const natureLabel = (id: string, lang: Lang) => pick(UNIT_NATURES, id, lang);
/**
 * Select options of a core vocabulary. Each carries `search` (code, Chinese and English label), so
 * a picker with {@link VOCAB_SEARCH} finds 危险化学品 by "危化", "chemical" or the code.
 */
export function vocabOptions(vocab: Vocabulary, lang: Lang) {
  return Object.entries(vocab).map(([value, l]) => ({
    value,
    label: l[lang],
    search: `${value} ${l.zh} ${l.en}`,
  }));
}
/** `showSearch` of a Select over {@link vocabOptions}: matches codes and both languages' labels. */
export const VOCAB_SEARCH = { optionFilterProp: 'search' } as const;
export { INDUSTRIES, UNIT_NATURES, SPECIALTIES };
