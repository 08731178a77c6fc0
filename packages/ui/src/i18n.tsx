import { useEffect, useMemo, type ReactNode } from 'react';
import { createStrictContext, useStoredChoice } from './state';
import type { SharedKey } from './text';

/** A UI language: Chinese (zh-CN, the default) or English. */
export type Lang = 'zh' | 'en';

/** Values for a text's `{name}` placeholders. */
export type Vars = Record<string, string | number>;

export type { SharedKey };

/** The current language and the translation helpers over a dictionary with keys `K`. */
export interface I18n<K extends string = SharedKey> {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** Translates a key, filling its `{name}` placeholders. */
  t: (key: K, vars?: Vars) => string;
  /** Translates a dynamic key (`kind.${kind}`), falling back to `fallback` (or the key). */
  tx: (key: string, fallback?: string) => string;
  /** Translates a dynamic key with placeholders; null when the dictionary lacks it. */
  tv: (key: string, vars?: Vars) => string | null;
}

/** Fills `{name}` placeholders; a placeholder without a value stays as it is. */
export function fill(text: string, vars?: Vars): string {
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

/** The translation helpers over one dictionary. */
export function translator<K extends string>(dict: Record<K, string>): Pick<I18n<K>, 't' | 'tx' | 'tv'> {
  const has = (key: string): key is K => key in dict;
  return {
    t: (key, vars) => fill(dict[key], vars),
    tx: (key, fallback) => (has(key) ? dict[key] : (fallback ?? key)),
    tv: (key, vars) => (has(key) ? fill(dict[key], vars) : null),
  };
}

// One context for every app: the package's own components read it through `useI18n` below with
// the shared keys, the app through the hook `createI18n` types with its whole vocabulary.
const [I18nContextProvider, useAnyI18n] = createStrictContext<I18n<string>>('I18n');

const isLang = (v: string) => v === 'zh' || v === 'en';

/**
 * An app's i18n runtime over its zh and en dictionaries: a provider holding the language (zh-CN
 * by default; `?lang=en` or the visitor's remembered choice under `storageKey`) and the app's typed
 * hook. Each call looks its key up in the dictionary object itself, so text added to it later (an
 * area loaded on demand) is found.
 */
export function createI18n<K extends string>(
  dictionaries: Record<Lang, Record<K, string> & Record<SharedKey, string>>,
  storageKey: string,
) {
  function I18nProvider({ children }: { children: ReactNode }) {
    const [lang, setLang] = useStoredChoice<Lang>({
      storageKey,
      param: 'lang',
      accept: isLang,
      fallback: 'zh',
    });
    useEffect(() => {
      document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    }, [lang]);
    const value = useMemo<I18n<string>>(
      () => ({ lang, setLang, ...translator<string>(dictionaries[lang]) }),
      [lang, setLang],
    );
    return <I18nContextProvider value={value}>{children}</I18nContextProvider>;
  }
  const useAppI18n: () => I18n<K> = useAnyI18n;
  return {
    I18nProvider,
    /** The current language and translation helpers over the app's vocabulary. */
    useI18n: useAppI18n,
    /** The dictionaries themselves (for completeness tests). */
    dictionaries,
  };
}

/** The current language and translation helpers (inside an app's `I18nProvider`). */
export const useI18n: () => I18n = useAnyI18n;
