import { and, arrayContains, asc, eq, inArray, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import { inspectors, tasks, userRoles, users } from '@spotcheck/db';
import { hashPassword, MIN_PASSWORD_LENGTH, checkPasswordStrength } from '../../auth/password';
import { revokeAllSessions } from '../../auth/sessions';
import { createUser, dedupeGrants, toPublicUser, type RoleGrant } from '../../auth/users';
import { fail, notFound } from '../../lib/errors';
import { ZBureauCodeSchema, ZIdSchema, ZRoleSchema } from '../../lib/zod';
import type { DbOrTx } from '../../lib/db';
import { CITY_BUREAU, ROLE_GROUPS, roleProcedure, router, type Access } from '../../trpc';
import { ROLES } from '@spotcheck/core';

/** A role grant in input. */
export const ZRoleGrantSchema = z.object({ role: ZRoleSchema, bureauCode: ZBureauCodeSchema });
/** Input of `users.create`. */
export const ZCreateUserSchema = z.object({
  username: z.string().min(3).max(64),
  displayName: z.string().min(1).max(100),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
  bureauCode: ZBureauCodeSchema,
  roles: z.array(ZRoleGrantSchema).max(20),
  inspectorId: z.string().max(64).nullish(),
});

/** City roles live at the city bureau, district roles at districts; the actor must reach each bureau. */
function checkGrants(access: Access, grants: RoleGrant[]): void {
  grants.forEach((g, i) => {
    if (g.role === 'city-admin' && g.bureauCode !== CITY_BUREAU)
      fail('BAD_REQUEST', `roles.${i}.bureauCode`, 'user.cityAdminAtCity');
    if (g.role === 'district-admin' && g.bureauCode === CITY_BUREAU)
      fail('BAD_REQUEST', `roles.${i}.bureauCode`, 'user.districtAdminAtDistrict');
    if (!access.reaches(g.bureauCode))
      fail('FORBIDDEN', `roles.${i}.bureauCode`, 'user.cannotGrantInBureau', { bureauCode: g.bureauCode });
  });
}

/**
 * An account is managed only by someone who reaches every bureau it belongs to: its home bureau
 * AND every bureau it holds a role in. A district admin therefore cannot reset, disable or
 * re-role an account that holds a city role or a role in another district, whatever its home.
 */
async function loadManagedUser(ctx: { db: DbOrTx; access: Access }, userId: string) {
  const user = await ctx.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, userId) });
  if (!user) notFound('userId', 'user', userId);
  ctx.access.bureau(user.bureauCode);
  const grants = (await rolesOf(ctx.db, [user.id])).get(user.id) ?? [];
  for (const g of grants) {
    if (!ctx.access.reaches(g.bureauCode))
      fail('FORBIDDEN', 'userId', 'user.notYourAccount', { role: g.role, bureauCode: g.bureauCode });
  }
  return { user, grants };
}

/**
 * The inspector an account is linked to must exist on the roster of the account's own bureau,
 * must not already have an account, and must not sit on a team of a sealed covert task (R10):
 * a fresh login for a covert team member would unseal the task to whoever created it.
 */
async function checkInspectorLink(db: DbOrTx, inspectorId: string, bureauCode: string): Promise<void> {
  const [row] = await db
    .select({ id: inspectors.id, bureauCode: inspectors.bureauCode })
    .from(inspectors)
    .where(eq(inspectors.id, inspectorId));
  if (!row || row.bureauCode !== bureauCode)
    fail('BAD_REQUEST', 'inspectorId', 'user.inspectorNotOnRoster', { inspectorId, bureauCode });
  const [linked] = await db.select({ id: users.id }).from(users).where(eq(users.inspectorId, inspectorId));
  if (linked) fail('CONFLICT', 'inspectorId', 'user.inspectorHasAccount', { inspectorId });
  const [covert] = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(
      and(
        eq(tasks.sealed, true),
        arrayContains(tasks.team, [inspectorId]),
        notInArray(tasks.status, ['in-progress', 'done', 'cancelled']),
      ),
    )
    .limit(1);
  if (covert) fail('CONFLICT', 'inspectorId', 'user.inspectorOnCovertTeam');
}

async function rolesOf(db: Parameters<typeof createUser>[0], ids: string[]) {
  if (!ids.length) return new Map<string, RoleGrant[]>();
  const rows = await db.select().from(userRoles).where(inArray(userRoles.userId, ids));
  const map = new Map<string, RoleGrant[]>();
  for (const r of rows)
    map.set(r.userId, [...(map.get(r.userId) ?? []), { role: r.role, bureauCode: r.bureauCode }]);
  return map;
}

const admin = roleProcedure(ROLE_GROUPS.admins);
const reader = roleProcedure(['city-admin', 'district-admin', 'auditor']);

/** A user as the admin sees it (never the password hash). */
const ZPublicUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  bureauCode: z.string(),
  inspectorId: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  roles: z.array(z.object({ role: z.enum(ROLES), bureauCode: z.string() })),
});

/** Accounts administration: city admins manage all bureaus, district admins their own. */
export const usersRouter = router({
  /** Accounts of a bureau (or every bureau in reach). */
  list: reader
    .input(z.object({ bureauCode: ZBureauCodeSchema.optional() }).default({}))
    .output(z.array(ZPublicUserSchema))
    .query(async ({ ctx, input }) => {
      if (input.bureauCode) ctx.access.bureau(input.bureauCode);
      const scope = input.bureauCode ? [input.bureauCode] : ctx.access.scope;
      const rows = await ctx.db
        .select()
        .from(users)
        .where(scope === 'all' ? undefined : inArray(users.bureauCode, scope))
        .orderBy(asc(users.username));
      const roles = await rolesOf(
        ctx.db,
        rows.map((r) => r.id),
      );
      return rows.map((u) => toPublicUser(u, roles.get(u.id) ?? []));
    }),

  /** Creates an account (no signing key: officials make theirs in the browser, see `keys`). */
  create: admin
    .input(ZCreateUserSchema)
    .output(ZPublicUserSchema)
    .mutation(async ({ ctx, input }) => {
      const role = ctx.access.bureau(input.bureauCode);
      checkGrants(ctx.access, input.roles);
      checkPasswordStrength(input.password, 'password', [input.username, input.displayName]);
      return ctx.db.transaction(async (tx) => {
        if (input.inspectorId) await checkInspectorLink(tx, input.inspectorId, input.bureauCode);
        return createUser(tx, input, {
          actor: { userId: ctx.user.id, role },
          now: ctx.now(),
        });
      });
    }),

  /** Replaces an account's role grants (within the actor's reach). */
  setRoles: admin
    .input(z.object({ userId: ZIdSchema, roles: z.array(ZRoleGrantSchema).max(20) }))
    .mutation(async ({ ctx, input }) => {
      const { user } = await loadManagedUser(ctx, input.userId);
      if (user.id === ctx.user.id) fail('BAD_REQUEST', 'userId', 'user.ownRoles');
      const grants = dedupeGrants(input.roles);
      checkGrants(ctx.access, grants);
      return ctx.db.transaction(async (tx) => {
        const before = (await rolesOf(tx, [user.id])).get(user.id) ?? [];
        const outOfReach = before.filter((g) => !ctx.access.reaches(g.bureauCode));
        await tx.delete(userRoles).where(eq(userRoles.userId, user.id));
        const all = dedupeGrants([...outOfReach, ...grants]);
        if (all.length) await tx.insert(userRoles).values(all.map((g) => ({ userId: user.id, ...g })));
        await ctx.audit(tx, {
          bureauCode: user.bureauCode,
          action: 'user.set-roles',
          entity: 'users',
          entityId: user.id,
          before,
          after: all,
        });
        return toPublicUser(user, all);
      });
    }),

  /** Disables (ending every session) or re-enables an account. */
  setStatus: admin
    .input(z.object({ userId: ZIdSchema, status: z.enum(['active', 'disabled']) }))
    .output(ZPublicUserSchema)
    .mutation(async ({ ctx, input }) => {
      const { user } = await loadManagedUser(ctx, input.userId);
      if (user.id === ctx.user.id) fail('BAD_REQUEST', 'userId', 'user.ownStatus');
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const [u] = await tx
          .update(users)
          .set({ status: input.status, updatedAt: now })
          .where(eq(users.id, user.id))
          .returning();
        if (input.status === 'disabled') await revokeAllSessions(tx, user.id, now);
        await ctx.audit(tx, {
          bureauCode: user.bureauCode,
          action: 'user.set-status',
          entity: 'users',
          entityId: user.id,
          before: { status: user.status },
          after: { status: input.status },
        });
        return toPublicUser(u!, (await rolesOf(tx, [user.id])).get(user.id) ?? []);
      });
    }),

  /** Sets a new password for an account and ends its sessions. */
  resetPassword: admin
    .input(z.object({ userId: ZIdSchema, newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(1024) }))
    .mutation(async ({ ctx, input }) => {
      const { user } = await loadManagedUser(ctx, input.userId);
      // Resetting needs no current password: for the own account that would let a stolen session
      // take the account over (auth.changePassword asks for the current one, throttled).
      if (user.id === ctx.user.id) fail('BAD_REQUEST', 'userId', 'user.ownPasswordReset');
      checkPasswordStrength(input.newPassword, 'newPassword', [user.username, user.displayName]);
      const passwordHash = await hashPassword(input.newPassword);
      const now = ctx.now();
      await ctx.db.transaction(async (tx) => {
        await tx
          .update(users)
          .set({ passwordHash, updatedAt: now })
          .where(and(eq(users.id, user.id)));
        await revokeAllSessions(tx, user.id, now);
        await ctx.audit(tx, {
          bureauCode: user.bureauCode,
          action: 'user.reset-password',
          entity: 'users',
          entityId: user.id,
        });
      });
      return { ok: true as const };
    }),
});
