import { createContext, useCallback, useContext, useState, type Provider } from 'react';

/**
 * A React context that has no default: its hook throws when used outside its provider, naming
 * both, rather than handing a component `null` to check.
 */
export function createStrictContext<T>(name: string): [Provider<T | null>, () => T] {
  const context = createContext<T | null>(null);
  context.displayName = name;
  const use = (): T => {
    const value = useContext(context);
    if (value === null) throw new Error(`use${name} outside ${name}Provider`);
    return value;
  };
  return [context.Provider, use];
}

/** Where a remembered choice comes from, and which values it may take. */
export interface StoredChoiceOptions<T extends string> {
  /** The localStorage key it is remembered under. */
  storageKey: string;
  /** A query parameter that, when valid, wins over the remembered value (a shared link). */
  param: string;
  /** Whether a stored or linked value is one of the `T` the app accepts. */
  accept: (value: string) => boolean;
  /** The value without a valid link or memory. */
  fallback: T;
}

/** The first value of a choice: the link's `?param=`, else the remembered one, else the fallback. */
export function initialChoice<T extends string>(o: StoredChoiceOptions<T>): T {
  try {
    const linked = new URLSearchParams(window.location.search).get(o.param);
    if (linked !== null && o.accept(linked)) return linked as T;
    const stored = localStorage.getItem(o.storageKey);
    return stored !== null && o.accept(stored) ? (stored as T) : o.fallback;
  } catch {
    return o.fallback;
  }
}

/**
 * A visitor's choice (language, bureau) that outlives the page: read from the link or from
 * localStorage at first, remembered on every change.
 */
export function useStoredChoice<T extends string>(o: StoredChoiceOptions<T>): [T, (value: T) => void] {
  const [value, setValue] = useState(() => initialChoice(o));
  const { storageKey } = o;
  const choose = useCallback(
    (next: T) => {
      setValue(next);
      try {
        localStorage.setItem(storageKey, next);
      } catch {
        // Private mode: the choice lasts for this page only.
      }
    },
    [storageKey],
  );
  return [value, choose];
}
