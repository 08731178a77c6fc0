import { useQuery } from '@tanstack/react-query';
import { createStrictContext } from '@spotcheck/ui/state';
import { useTRPC } from '@spotcheck/ui/trpc';
import type { Grant } from './lib/access';

/** The signed-in user as the SPA needs it. */
export interface SessionInfo {
  id: string;
  username: string;
  displayName: string;
  bureauCode: string;
  inspectorId: string | null;
  roles: Grant[];
}

/**
 * `SessionProvider` gives the signed-in user to the pages under the layout; `useSession` reads it
 * (inside the authenticated layout only).
 */
export const [SessionProvider, useSession] = createStrictContext<SessionInfo>('Session');

/** `auth.me`: the user of the session cookie, or null. */
export function useMe() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions());
}
