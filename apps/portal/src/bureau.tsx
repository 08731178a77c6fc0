import { CITY_BUREAU_CODE } from '@spotcheck/core';
import { createStrictContext, useStoredChoice } from '@spotcheck/ui/state';
import { useMemo, type ReactNode } from 'react';

interface BureauState {
  /** The bureau whose publications are shown. */
  code: string;
  setCode: (code: string) => void;
}

const [BureauContextProvider, useBureau] = createStrictContext<BureauState>('Bureau');

/** The chosen bureau. */
export { useBureau };

const isBureauCode = (v: string) => /^\d{6}$/.test(v);

/** Holds the chosen bureau (the city by default; `?bureau=` or the remembered choice). */
export function BureauProvider({ children }: { children: ReactNode }) {
  const [code, setCode] = useStoredChoice<string>({
    storageKey: 'spotcheck.portal.bureau',
    param: 'bureau',
    accept: isBureauCode,
    fallback: CITY_BUREAU_CODE,
  });
  const value = useMemo(() => ({ code, setCode }), [code, setCode]);
  return <BureauContextProvider value={value}>{children}</BureauContextProvider>;
}
