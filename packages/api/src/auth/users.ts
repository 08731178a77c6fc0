import { apiErrorText, ROLES, type ApiErrorReason, type Role } from '@spotcheck/core';
import { bureaus, userRoles, users } from '@spotcheck/db';
import { inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/chain';
import type { DbOrTx } from '../lib/db';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password';

/** A role held in a bureau. A role in the city bureau (120000) reaches every district. */
export interface RoleGrant {
  role: Role;
  bureauCode: string;
}

/** Input of {@link createUser}. */
export interface CreateUserInput {
  username: string;
  displayName: string;
  password: string;
  bureauCode: string;
  roles: RoleGrant[];
  inspectorId?: string | null;
}

/** Who performs an administrative action, for the audit trail; null actor = system/seeder. */
export interface AuditActor {
  userId: string | null;
  role: string | null;
}

/** A user-facing problem with the input of {@link createUser}, naming the field. */
export class CreateUserError extends Error {
  override name = 'CreateUserError';
  /** The catalogued reason (`@spotcheck/core` api-errors.ts). */
  readonly reason: ApiErrorReason;
  constructor(
    readonly field: string,
    code:
      | 'user.usernameFormat'
      | 'user.displayNameRequired'
      | 'user.unknownRole'
      | 'user.unknownBureau'
      | 'user.usernameTaken'
      | 'password.tooShort',
    params: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${field}: ${apiErrorText(code, params, 'en')}`);
    this.reason = { code, field, params };
  }
}

/** The public part of a user, safe to return from the API. */
export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  bureauCode: string;
  inspectorId: string | null;
  status: 'active' | 'disabled';
  roles: RoleGrant[];
}

/**
 * Creates a local account: argon2id password hash and role grants. No signing key is made here:
 * the server signs nothing (sr-draw/v2); an official's key is generated in their browser and
 * registered by an admin (`keys` router). Writes a `user.create` audit event in the same transaction. Used by the API and the demo seeder.
 */
export async function createUser(
  db: DbOrTx,
  input: CreateUserInput,
  options: { actor?: AuditActor; now?: Date } = {},
): Promise<PublicUser> {
  const username = input.username.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/.test(username)) {
    throw new CreateUserError('username', 'user.usernameFormat');
  }
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new CreateUserError('password', 'password.tooShort', { min: MIN_PASSWORD_LENGTH });
  }
  if (!input.displayName.trim()) throw new CreateUserError('displayName', 'user.displayNameRequired');
  for (const [i, g] of input.roles.entries()) {
    if (!(ROLES as readonly string[]).includes(g.role))
      throw new CreateUserError(`roles.${i}.role`, 'user.unknownRole', { role: g.role });
  }
  const passwordHash = await hashPassword(input.password);
  const run = async (tx: DbOrTx): Promise<PublicUser> => {
    const codes = [...new Set([input.bureauCode, ...input.roles.map((r) => r.bureauCode)])];
    const found = await tx.select({ code: bureaus.code }).from(bureaus).where(inArray(bureaus.code, codes));
    const missing = codes.filter((c) => !found.some((f) => f.code === c));
    if (missing.length)
      throw new CreateUserError('bureauCode', 'user.unknownBureau', { bureauCodes: missing });
    const existing = await tx.query.users.findFirst({ where: (u, { eq }) => eq(u.username, username) });
    if (existing) throw new CreateUserError('username', 'user.usernameTaken', { username });
    const [user] = await tx
      .insert(users)
      .values({
        username,
        displayName: input.displayName.trim(),
        passwordHash,
        bureauCode: input.bureauCode,
        inspectorId: input.inspectorId ?? null,
      })
      .returning();
    const grants = dedupeGrants(input.roles);
    if (grants.length) await tx.insert(userRoles).values(grants.map((g) => ({ userId: user!.id, ...g })));
    const pub = toPublicUser(user!, grants);
    await appendAudit(
      tx,
      {
        actorUserId: options.actor?.userId ?? null,
        actorRole: options.actor?.role ?? null,
        bureauCode: input.bureauCode,
        action: 'user.create',
        entity: 'users',
        entityId: user!.id,
        after: pub,
      },
      options.now ?? new Date(),
    );
    return pub;
  };
  // Nest in the caller's transaction when given one; otherwise open our own.
  return 'rollback' in db ? run(db) : db.transaction((tx) => run(tx));
}

/** Removes duplicate role grants. */
export function dedupeGrants(grants: RoleGrant[]): RoleGrant[] {
  const seen = new Set<string>();
  return grants.filter((g) => {
    const k = `${g.role}@${g.bureauCode}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Strips secrets from a user row. */
export function toPublicUser(u: typeof users.$inferSelect, roles: RoleGrant[]): PublicUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    bureauCode: u.bureauCode,
    inspectorId: u.inspectorId,
    status: u.status,
    roles,
  };
}
