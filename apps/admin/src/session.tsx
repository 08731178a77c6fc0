import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import type { Grant } from './lib/access';
import { useTRPC } from './trpc';

/** The signed-in user as the SPA needs it. */
export interface SessionInfo {
  id: string;
  username: string;
  displayName: string;
  bureauCode: string;
  inspectorId: string | null;
  roles: Grant[];
}

const SessionContext = createContext<SessionInfo | null>(null);

/** Provides the signed-in user to the pages under the layout. */
export function SessionProvider({ user, children }: { user: SessionInfo; children: ReactNode }) {
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

/** The signed-in user (inside the authenticated layout only). */
export function useSession(): SessionInfo {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** `auth.me`: the user of the session cookie, or null. */
export function useMe() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions());
}
