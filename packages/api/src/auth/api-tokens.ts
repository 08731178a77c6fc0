import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { apiTokens, type Db } from '@spotcheck/db';
import { sha256Hex } from '../lib/canonical';

/** Scopes an API token may hold. */
export const API_TOKEN_SCOPES = ['publications:read', 'facts:write', 'credit:read'] as const;
/** One API token scope. */
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** The external system behind a bearer token. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  bureauCode: string;
  scopes: string[];
}

/** A new random bearer token (`sct_…`) and the hash stored for it. */
export function newApiToken(): { token: string; tokenHash: string } {
  const token = `sct_${randomBytes(32).toString('base64url')}`;
  return { token, tokenHash: sha256Hex(token) };
}

/** The live token matching a bearer value, or null. */
export async function resolveApiToken(db: Db, bearer: string): Promise<ApiTokenInfo | null> {
  if (!bearer.startsWith('sct_') || bearer.length > 100) return null;
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, sha256Hex(bearer)), isNull(apiTokens.revokedAt)))
    .limit(1);
  return row ? { id: row.id, name: row.name, bureauCode: row.bureauCode, scopes: row.scopes } : null;
}
