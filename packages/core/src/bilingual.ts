/**
 * Texts that rule packs carry in both languages at once — a rule's description
 * (`危险化学品单位抽查比例15% — hazardous-chemicals units are sampled at 15%`), a mandatory reason
 * (`风险等级较高 high risk grade`), a combined frequency reason
 * (`frequency: at least 2 per year — 中文 — English`) — read in one language.
 */

const CJK = /[\u4e00-\u9fff]/;

/**
 * The part of a bilingual text in `lang`: the parts separated by " — " that hold Chinese (zh) or
 * none (en); without a separator, the Chinese head before the first Latin word and the rest. A
 * text in one language only is returned whole for that language.
 */
export function bilingual(text: string, lang: 'zh' | 'en'): string {
  const parts = text.split(/\s+—\s+/).map((p) => p.trim());
  if (parts.length > 1) {
    const zh = parts.filter((p) => CJK.test(p));
    const en = parts.filter((p) => !CJK.test(p));
    const pick = lang === 'zh' ? zh : en;
    return (pick.length ? pick : parts).join(' — ');
  }
  const split = /^([^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*?)\s+([A-Za-z].*)$/.exec(text);
  if (!split) return text;
  return lang === 'zh' ? split[1]!.trim() : split[2]!.trim();
}
