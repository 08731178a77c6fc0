import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { ROLES } from '@spotcheck/core';
import { users } from '@spotcheck/db';
import { appendAudit } from '../../audit/chain';
import {
  burnPasswordCheck,
  checkPasswordStrength,
  hashPassword,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
} from '../../auth/password';
import {
  clearedSessionCookie,
  createSession,
  loadSessionUser,
  claimPasswordAttempt,
  markAttemptSucceeded,
  TooManyAttemptsError,
  revokeAllSessions,
  revokeSession,
  sessionCookie,
} from '../../auth/sessions';
import { fail } from '../../lib/errors';
import { authedProcedure, publicProcedure, router } from '../../trpc';

/** Input of `auth.login`. */
export const ZLoginSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});
/** Input of `auth.changePassword`. */
export const ZChangePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
});

/** Claims a password attempt, turning a reached limit into TOO_MANY_REQUESTS naming `field`. */
async function claimAttempt(
  db: Parameters<typeof claimPasswordAttempt>[0],
  username: string,
  address: string | null,
  now: Date,
  field: string,
): Promise<number> {
  try {
    return await claimPasswordAttempt(db, username, address, now);
  } catch (err) {
    if (err instanceof TooManyAttemptsError)
      fail('TOO_MANY_REQUESTS', field, 'auth.throttled', { retryAfterSeconds: err.retryAfterSeconds });
    throw err;
  }
}

/** Sign-in, sign-out and the current user. */
/** The signed-in user as the apps see it (without the session hash). */
const ZSessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  bureauCode: z.string(),
  inspectorId: z.string().nullable(),
  roles: z.array(z.object({ role: z.enum(ROLES), bureauCode: z.string() })),
});

export const authRouter = router({
  /** The signed-in user, or null. */
  me: publicProcedure
    .output(ZSessionUserSchema.nullable())
    .query(({ ctx }) => (ctx.user ? { ...ctx.user, sessionHash: undefined } : null)),

  /** Signs in with a local account; sets the HttpOnly session cookie. Rate limited. */
  login: publicProcedure
    .input(ZLoginSchema)
    .output(z.object({ user: ZSessionUserSchema, expiresAt: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const attemptId = await claimAttempt(ctx.db, input.username, ctx.clientAddress, now, 'username');
      const user = await ctx.db.query.users.findFirst({
        where: (u, { eq }) => eq(u.username, input.username),
      });
      const ok = user
        ? await verifyPassword(user.passwordHash, input.password)
        : (await burnPasswordCheck(input.password), false);
      if (!user || !ok || user.status !== 'active') {
        fail('UNAUTHORIZED', 'password', 'auth.wrongPassword');
      }
      const session = await ctx.db.transaction(async (tx) => {
        await markAttemptSucceeded(tx, attemptId);
        const s = await createSession(tx, user.id, now, ctx.userAgent);
        await appendAudit(
          tx,
          {
            actorUserId: user.id,
            actorRole: null,
            bureauCode: user.bureauCode,
            action: 'session.login',
            entity: 'sessions',
            entityId: null,
            after: { clientAddress: ctx.clientAddress },
          },
          now,
        );
        return s;
      });
      ctx.setCookie(sessionCookie(session.token, session.expiresAt, ctx.secureCookies));
      return {
        user: { ...(await loadSessionUser(ctx.db, user)), sessionHash: undefined },
        expiresAt: session.expiresAt.toISOString(),
      };
    }),

  /** Ends the current session and clears the cookie. */
  logout: authedProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    const now = ctx.now();
    await ctx.db.transaction(async (tx) => {
      if (ctx.user.sessionHash) await revokeSession(tx, ctx.user.sessionHash, now);
      await appendAudit(
        tx,
        {
          actorUserId: ctx.user.id,
          actorRole: null,
          bureauCode: ctx.user.bureauCode,
          action: 'session.logout',
          entity: 'sessions',
          entityId: null,
        },
        now,
      );
    });
    ctx.setCookie(clearedSessionCookie(ctx.secureCookies));
    return { ok: true as const };
  }),

  /** Ends every session of the current user, on every device. */
  logoutEverywhere: authedProcedure.mutation(async ({ ctx }) => {
    const now = ctx.now();
    const revoked = await ctx.db.transaction(async (tx) => {
      const n = await revokeAllSessions(tx, ctx.user.id, now);
      await appendAudit(
        tx,
        {
          actorUserId: ctx.user.id,
          actorRole: null,
          bureauCode: ctx.user.bureauCode,
          action: 'session.logout-everywhere',
          entity: 'users',
          entityId: ctx.user.id,
          after: { revoked: n },
        },
        now,
      );
      return n;
    });
    ctx.setCookie(clearedSessionCookie(ctx.secureCookies));
    return { revoked };
  }),

  /** Changes the own password; every session ends (sign in again). */
  changePassword: authedProcedure.input(ZChangePasswordSchema).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    // Throttled like sign-in: a stolen session must not become a password oracle.
    const attemptId = await claimAttempt(
      ctx.db,
      ctx.user.username,
      ctx.clientAddress,
      now,
      'currentPassword',
    );
    const user = await ctx.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, ctx.user.id) });
    if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword)))
      fail('BAD_REQUEST', 'currentPassword', 'auth.currentPasswordWrong');
    await markAttemptSucceeded(ctx.db, attemptId);
    checkPasswordStrength(input.newPassword, 'newPassword', [user.username, user.displayName]);
    const passwordHash = await hashPassword(input.newPassword);
    await ctx.db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, ctx.user.id));
      await revokeAllSessions(tx, ctx.user.id, now);
      await appendAudit(
        tx,
        {
          actorUserId: ctx.user.id,
          actorRole: null,
          bureauCode: ctx.user.bureauCode,
          action: 'user.change-password',
          entity: 'users',
          entityId: ctx.user.id,
        },
        now,
      );
    });
    ctx.setCookie(clearedSessionCookie(ctx.secureCookies));
    return { ok: true as const };
  }),
});
