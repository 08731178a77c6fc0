import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { loginAttempts, sessions, userRoles, users, type Db } from '@spotcheck/db';
import { sha256Hex } from '../lib/canonical';
import type { DbOrTx } from '../lib/db';
import type { RoleGrant } from './users';

/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = 'spotcheck_session';

/** How long a session lives without renewal. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * Password-attempt limits within a sliding window. An attempt counts as a failure from the moment
 * it is claimed (before the password is checked) until it succeeds, so parallel requests cannot
 * all be evaluated. Limits: per account and address, per address, and per account overall; the
 * overall one does not apply from an address that signed in to the account recently, so nobody
 * can lock a user out by failing from elsewhere, nor from a shared address: the per-address limit
 * does not apply to an account signing in from an address it used before either. Nothing is
 * permanent: the window slides.
 */
export const LOGIN_LIMITS = {
  windowMs: 15 * 60 * 1000,
  perAccountAndAddress: 5,
  perAddress: 30,
  perAccount: 50,
  /** A successful sign-in makes an address "known" to the account for this long. */
  knownAddressMs: 30 * 24 * 60 * 60 * 1000,
};

/** The signed-in user as every procedure sees it. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  bureauCode: string;
  inspectorId: string | null;
  roles: RoleGrant[];
  /** SHA-256 of the session token in use (null for a context built without a session). */
  sessionHash: string | null;
}

/** Creates a session; returns the raw token (cookie value). Only its SHA-256 is stored. */
export async function createSession(
  db: DbOrTx,
  userId: string,
  now: Date,
  userAgent?: string | null,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db
    .insert(sessions)
    .values({ tokenHash: sha256Hex(token), userId, createdAt: now, expiresAt, userAgent: userAgent ?? null });
  return { token, expiresAt };
}

/** The columns of a user a session needs (never the password hash). */
const SESSION_USER_COLUMNS = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  bureauCode: users.bureauCode,
  inspectorId: users.inspectorId,
  status: users.status,
  sessionsRevokedAt: users.sessionsRevokedAt,
};

/**
 * One statement per request, prepared once per database: the session, its user and the user's
 * role grants (built by drizzle on every call, it cost more CPU than PostgreSQL spent on it).
 */
const sessionLookups = new WeakMap<Db, ReturnType<typeof prepareSessionLookup>>();
function prepareSessionLookup(db: Db) {
  return db
    .select({
      user: SESSION_USER_COLUMNS,
      createdAt: sessions.createdAt,
      roles: sql<
        RoleGrant[]
      >`coalesce((select json_agg(json_build_object('role', ${userRoles.role}, 'bureauCode', ${userRoles.bureauCode})) from ${userRoles} where ${userRoles.userId} = ${users.id}), '[]'::json)`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, sql.placeholder('tokenHash')),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql.placeholder('now')),
      ),
    )
    .limit(1)
    .prepare('resolve_session');
}

/** The user behind a session token, or null when unknown, expired, revoked or disabled. */
export async function resolveSession(db: Db, token: string, now: Date): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const tokenHash = sha256Hex(token);
  let lookup = sessionLookups.get(db);
  if (!lookup) sessionLookups.set(db, (lookup = prepareSessionLookup(db)));
  const [row] = await lookup.execute({ tokenHash, now });
  if (!row || row.user.status !== 'active') return null;
  if (row.user.sessionsRevokedAt && row.createdAt <= row.user.sessionsRevokedAt) return null;
  return { ...sessionUserOf(row.user, row.roles), sessionHash: tokenHash };
}

function sessionUserOf(
  user: Pick<typeof users.$inferSelect, 'id' | 'username' | 'displayName' | 'bureauCode' | 'inspectorId'>,
  roles: readonly RoleGrant[],
): SessionUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    bureauCode: user.bureauCode,
    inspectorId: user.inspectorId,
    roles: roles.map((r) => ({ role: r.role, bureauCode: r.bureauCode })),
    sessionHash: null,
  };
}

/** Loads a user's role grants into a {@link SessionUser} (no session). */
export async function loadSessionUser(db: DbOrTx, user: typeof users.$inferSelect): Promise<SessionUser> {
  const roles = await db
    .select({ role: userRoles.role, bureauCode: userRoles.bureauCode })
    .from(userRoles)
    .where(eq(userRoles.userId, user.id));
  return sessionUserOf(user, roles);
}

/** Revokes one session. */
export async function revokeSession(db: DbOrTx, tokenHash: string, now: Date): Promise<void> {
  await db.update(sessions).set({ revokedAt: now }).where(eq(sessions.tokenHash, tokenHash));
}

/** Revokes every session of a user (logout everywhere, password change, disabling). */
export async function revokeAllSessions(db: DbOrTx, userId: string, now: Date): Promise<number> {
  await db.update(users).set({ sessionsRevokedAt: now, updatedAt: now }).where(eq(users.id, userId));
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ h: sessions.tokenHash });
  return revoked.length;
}

/** Advisory lock key serialising the claim of password attempts ("SPOTLGN"). */
const LOGIN_LOCK_KEY = 0x53504c474e;

/** Thrown by {@link claimPasswordAttempt} when a limit is reached. */
export class TooManyAttemptsError extends Error {
  override name = 'TooManyAttemptsError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed attempts; try again in ${retryAfterSeconds} s`);
  }
}

/**
 * Claims one password attempt for `username` from `address`: under a lock, counts the failed and
 * still-pending attempts in the window and, when under every limit, records this attempt as a
 * failure before the password is checked. Call {@link markAttemptSucceeded} on success.
 * Throws {@link TooManyAttemptsError} (nothing recorded) when a limit is reached.
 */
export async function claimPasswordAttempt(
  db: Db,
  username: string,
  address: string | null,
  now: Date,
): Promise<number> {
  const name = username.toLowerCase();
  const since = new Date(now.getTime() - LOGIN_LIMITS.windowMs);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOGIN_LOCK_KEY})`);
    const failures = async (cond: ReturnType<typeof and>) => {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${loginAttempts.at})` })
        .from(loginAttempts)
        .where(and(cond, eq(loginAttempts.succeeded, false), gt(loginAttempts.at, since)));
      return { n: row?.n ?? 0, oldest: row?.oldest ?? null };
    };
    const known =
      address !== null &&
      (
        await tx
          .select({ id: loginAttempts.id })
          .from(loginAttempts)
          .where(
            and(
              eq(loginAttempts.username, name),
              eq(loginAttempts.clientAddress, address),
              eq(loginAttempts.succeeded, true),
              gt(loginAttempts.at, new Date(now.getTime() - LOGIN_LIMITS.knownAddressMs)),
            ),
          )
          .limit(1)
      ).length > 0;
    const checks: { n: number; oldest: string | null; limit: number }[] = [];
    if (address) {
      checks.push({
        ...(await failures(and(eq(loginAttempts.username, name), eq(loginAttempts.clientAddress, address)))),
        limit: LOGIN_LIMITS.perAccountAndAddress,
      });
      // A shared address (an office behind one NAT, a proxy without trustProxy) must not lock
      // out the people who sign in from it: a known account+address pair keeps only its own limit.
      if (!known)
        checks.push({
          ...(await failures(eq(loginAttempts.clientAddress, address))),
          limit: LOGIN_LIMITS.perAddress,
        });
    }
    if (!known)
      checks.push({
        ...(await failures(eq(loginAttempts.username, name))),
        limit: address ? LOGIN_LIMITS.perAccount : LOGIN_LIMITS.perAccountAndAddress,
      });
    let wait = 0;
    for (const c of checks) {
      if (c.n >= c.limit) {
        const until = (c.oldest ? new Date(c.oldest).getTime() : now.getTime()) + LOGIN_LIMITS.windowMs;
        wait = Math.max(wait, Math.ceil((until - now.getTime()) / 1000), 1);
      }
    }
    if (wait > 0) throw new TooManyAttemptsError(wait);
    const [row] = await tx
      .insert(loginAttempts)
      .values({ username: name, clientAddress: address, succeeded: false, at: now })
      .returning({ id: loginAttempts.id });
    return row!.id;
  });
}

/** Marks a claimed attempt as succeeded (it no longer counts as a failure). */
export async function markAttemptSucceeded(db: DbOrTx, attemptId: number): Promise<void> {
  await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attemptId));
}

/** `Set-Cookie` value for a session (HttpOnly, SameSite=Lax, Secure when served over HTTPS). */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure ? '; Secure' : ''}`;
}

/** `Set-Cookie` value that clears the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}
