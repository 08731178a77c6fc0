import { useQuery } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { CITY_BUREAU_CODE as CITY_CODE } from '@spotcheck/core';
import { useTRPC } from './trpc';

const STORAGE_KEY = 'spotcheck.portal.bureau';

interface BureauState {
  /** The bureau whose publications are shown. */
  code: string;
  setCode: (code: string) => void;
}

const BureauContext = createContext<BureauState | null>(null);

function initialBureau(): string {
  try {
    const q = new URLSearchParams(window.location.search).get('bureau');
    if (q && /^\d{6}$/.test(q)) return q;
    return localStorage.getItem(STORAGE_KEY) ?? CITY_CODE;
  } catch {
    return CITY_CODE;
  }
}

/** Holds the chosen bureau (the city by default; `?bureau=` or the remembered choice). */
export function BureauProvider({ children }: { children: ReactNode }) {
  const [code, setState] = useState(initialBureau);
  const setCode = useCallback((c: string) => {
    setState(c);
    try {
      localStorage.setItem(STORAGE_KEY, c);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }, []);
  const value = useMemo(() => ({ code, setCode }), [code, setCode]);
  return <BureauContext.Provider value={value}>{children}</BureauContext.Provider>;
}

/** The chosen bureau. */
export function useBureau(): BureauState {
  const ctx = useContext(BureauContext);
  if (!ctx) throw new Error('useBureau outside BureauProvider');
  return ctx;
}

/** Bureaus (city first, then districts by code) and their names (`bureaus.list` is public). */
export function useBureaus() {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.bureaus.list.queryOptions(), staleTime: 10 * 60_000 });
  const names = useMemo(() => new Map((q.data ?? []).map((b) => [b.code, b.name])), [q.data]);
  return {
    list: q.data ?? [],
    name: (code: string | null | undefined) => (code ? (names.get(code) ?? code) : ''),
  };
}
