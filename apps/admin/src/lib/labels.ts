import { EXTRA_SPECIALTIES, INDUSTRIES, UNIT_NATURES } from '@spotcheck/core';
import type { Lang } from '../i18n';

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
/** Select options of a core vocabulary. */
export function vocabOptions(vocab: Vocabulary, lang: Lang) {
  return Object.entries(vocab).map(([value, l]) => ({ value, label: l[lang] }));
}
export { INDUSTRIES, UNIT_NATURES, SPECIALTIES };
