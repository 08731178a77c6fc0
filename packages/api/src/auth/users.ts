import { ROLES, type Role } from '@spotcheck/core';
import { bureaus, userRoles, users, type Db } from '@spotcheck/db';
import { inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/chain';
import type { DbOrTx } from '../lib/db';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password';
import { generateSigningKeyPair, keySecretFromEnv } from './signing-keys';

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
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
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
  signingPublicKey: string | null;
  roles: RoleGrant[];
}

/**
 * Creates a local account: argon2id password hash, role grants, and an Ed25519 signing key pair
 * whose private key is encrypted at rest with `SPOTCHECK_KEY_SECRET` (dev default otherwise).
 * Writes a `user.create` audit event in the same transaction. Used by the API and the demo seeder.
 */
export async function createUser(
  db: DbOrTx,
  input: CreateUserInput,
  options: { actor?: AuditActor; keySecret?: string; now?: Date } = {},
): Promise<PublicUser> {
  const username = input.username.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/.test(username)) {
    throw new CreateUserError('username', '3–64 characters: letters, digits, dot, dash, underscore');
  }
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new CreateUserError('password', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (!input.displayName.trim()) throw new CreateUserError('displayName', 'is required');
  for (const [i, g] of input.roles.entries()) {
    if (!(ROLES as readonly string[]).includes(g.role))
      throw new CreateUserError(`roles.${i}.role`, `unknown role ${g.role}`);
  }
  const passwordHash = await hashPassword(input.password);
  const keys = generateSigningKeyPair(options.keySecret ?? keySecretFromEnv());
  const run = async (tx: DbOrTx): Promise<PublicUser> => {
    const codes = [...new Set([input.bureauCode, ...input.roles.map((r) => r.bureauCode)])];
    const found = await tx.select({ code: bureaus.code }).from(bureaus).where(inArray(bureaus.code, codes));
    const missing = codes.filter((c) => !found.some((f) => f.code === c));
    if (missing.length) throw new CreateUserError('bureauCode', `unknown bureau ${missing.join(', ')}`);
    const existing = await tx.query.users.findFirst({ where: (u, { eq }) => eq(u.username, username) });
    if (existing) throw new CreateUserError('username', `${username} is already taken`);
    const [user] = await tx
      .insert(users)
      .values({
        username,
        displayName: input.displayName.trim(),
        passwordHash,
        bureauCode: input.bureauCode,
        inspectorId: input.inspectorId ?? null,
        signingPublicKey: keys.publicKey,
        signingPrivateKeyEnc: keys.privateKeyEnc,
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
        after: { ...pub, signingPublicKey: undefined },
      },
      options.now ?? new Date(),
    );
    return pub;
  };
  // Nest in the caller's transaction when given one; otherwise open our own.
  return 'rollback' in db ? run(db) : (db as Db).transaction((tx) => run(tx));
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
    signingPublicKey: u.signingPublicKey,
    roles,
  };
}
