/**
 * Checks of an app's two dictionaries, for its tests: the same keys in both languages, each with
 * text, the same `{name}` placeholders, and Chinese text without English words where a
 * translation belongs.
 */

/**
 * Latin words a Chinese text may hold: file formats, standards and algorithms by their names, the
 * command line (`spotcheck verify --keys`), the randomness beacon's own name, and `English`, which
 * names the language switch in its language.
 */
const LATIN_IN_CHINESE = new RegExp(
  '^(' +
    [
      'xlsx|csv|json|CSV|XLSX|JSON|PDF|Excel|ASCII|NUL|Atom|RSS',
      'SHA-256|Ed25519|SPKI|base64|Base64|BLS|RFC|WebCrypto|Pareto|sr-draw',
      'PostgreSQL|pg-boss|API|URL',
      'drand|quicknet|League|Entropy',
      'Spotcheck|spotcheck|witness|monitor|verify|name|keys|npm|start',
      'English',
    ].join('|') +
    ')$',
);

/** `{name}` placeholders of a text, sorted. */
const placeholders = (text: string) =>
  [...text.matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1])
    .sort()
    .join();

export interface DictionaryProblems {
  /** Keys in one language and not the other. */
  missing: string[];
  /** Keys without text. */
  empty: string[];
  /** Keys whose placeholders differ between the languages. */
  placeholders: string[];
  /** `key: text` of Chinese texts with English words in them. */
  english: string[];
}

export function dictionaryProblems(
  zh: Record<string, string>,
  en: Record<string, string>,
  options: {
    /** Keys whose English text carries a detail the Chinese one leaves out (a validator's English). */
    englishOnlyPlaceholders?: readonly string[];
    /** Further Latin words allowed in Chinese text (codes shown as examples). */
    allowLatin?: RegExp;
  } = {},
): DictionaryProblems {
  const keys = Object.keys(zh);
  const enKeys = new Set(Object.keys(en));
  const missing = [...keys.filter((k) => !enKeys.has(k)), ...[...enKeys].filter((k) => !(k in zh))];
  const empty = [...keys.filter((k) => !zh[k]?.trim()), ...[...enKeys].filter((k) => !en[k]?.trim())];
  const placeholderMismatch = keys.filter(
    (k) =>
      k in en &&
      !options.englishOnlyPlaceholders?.includes(k) &&
      placeholders(zh[k]!) !== placeholders(en[k]!),
  );
  const english = keys
    .filter((k) => {
      const text = zh[k]!.replace(/\{\w+\}|`[^`]*`/g, '');
      const words = text.match(/[A-Za-z][A-Za-z0-9-]{2,}/g) ?? [];
      return words.some((w) => !LATIN_IN_CHINESE.test(w) && !options.allowLatin?.test(w));
    })
    .map((k) => `${k}: ${zh[k]}`);
  return { missing, empty, placeholders: placeholderMismatch, english };
}
