import { createHash } from 'node:crypto';
import { and, eq, inArray, isNotNull, isNull, ne, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditEvents, logWitnesses, signingKeys, users } from '@spotcheck/db';
import { MIN_WITNESSES } from '@spotcheck/core/log';
import type { DbOrTx } from '../../lib/db';
import { fail, notFound } from '../../lib/errors';
import { requestLogCheckpoint } from '../../jobs/runtime';
import { DEMO_WITNESSES } from '../../log/local-witnesses';
import { KEY_VALIDITY_DELAY_SECONDS, publishRegistry, registryOf } from '../../lib/key-registry';
import { bureauFilter } from '../../lib/scope';
import { unwitnessedSignatureRecords } from '../../lib/signature-record';
import { ZBureauCodeSchema } from '../../lib/zod';
import { ROLE_GROUPS, roleProcedure, router } from '../../trpc';
import { columnsSchema, rowSchema } from '../../lib/outputs';

/** Roles of officials who sign draws and voids (and so hold a key). */
export const SIGNING_ROLES = ['approver', 'district-admin', 'city-admin'] as const;

const ZKeyIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');

/**
 * When a key registered at `d` becomes valid: {@link KEY_VALIDITY_DELAY_SECONDS} after the registry
 * naming it is published (rounded up to a whole second), so its validFrom is not earlier than the
 * witnessed checkpoint that first logs it (§9.7: never a back-dated entry).
 */
function validFromAt(d: Date): Date {
  return new Date((Math.ceil(d.getTime() / 1000) + KEY_VALIDITY_DELAY_SECONDS) * 1000);
}
/** Rounds down to a whole second: a key ends no later than the registry saying so is published. */
function floorSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

/**
 * A key's end, as SQL for its row: `now`, or its validFrom if it was not valid yet (an empty
 * validity: a key rotated out or revoked before it became valid never was).
 */
function endedAt(now: Date) {
  return sql`greatest(${floorSecond(now).toISOString()}::timestamptz, ${signingKeys.validFrom})`;
}

/** `keyId` of a raw Ed25519 public key: lowercase hex SHA-256 of its 32 bytes (sr-draw/v2 §6). */
export function keyIdOf(publicKeyHex: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyHex, 'hex')).digest('hex');
}

/** A key as `keys.list` shows it. */
/** What an account's maker or resetter holds: its password (the audit trail records who did it). */
const TAKES_AN_ACCOUNT = ['user.create', 'user.reset-password'];

/**
 * The accounts an official can sign in as, besides their own: those they created or whose password
 * they reset, and so on through those accounts, as the audit trail records. None of them is a
 * second person for the official's key (one administrator who is also an official would otherwise
 * create a second administrator account and register their own key with it).
 */
async function accountsControlledBy(db: DbOrTx, ownerId: string): Promise<Set<string>> {
  const rows = await db
    .select({ actor: auditEvents.actorUserId, account: auditEvents.entityId })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entity, 'users'),
        inArray(auditEvents.action, TAKES_AN_ACCOUNT),
        isNotNull(auditEvents.actorUserId),
      ),
    );
  const madeBy = new Map<string, string[]>();
  for (const r of rows) {
    if (!r.account) continue;
    const made = madeBy.get(r.actor!);
    if (made) made.push(r.account);
    else madeBy.set(r.actor!, [r.account]);
  }
  const controlled = new Set<string>();
  const queue = [ownerId];
  while (queue.length) {
    for (const account of madeBy.get(queue.pop()!) ?? [])
      if (account !== ownerId && !controlled.has(account)) {
        controlled.add(account);
        queue.push(account);
      }
  }
  return controlled;
}

const keyColumns = {
  id: signingKeys.id,
  bureauCode: signingKeys.bureauCode,
  keyId: signingKeys.keyId,
  publicKey: signingKeys.publicKey,
  userId: signingKeys.userId,
  signerName: signingKeys.signerName,
  status: signingKeys.status,
  proposedAt: signingKeys.proposedAt,
  validFrom: signingKeys.validFrom,
  validUntil: signingKeys.validUntil,
  endReason: signingKeys.endReason,
};

/**
 * Officials' sign-off keys (sr-draw/v2 §6, §9.7). The key pair is generated in the official's
 * browser and its private half never leaves it: `propose` sends only the raw public key; an
 * admin other than its owner `register`s it, which publishes the bureau's registry; `register`
 * of a second key for the same official rotates the first; `revoke` ends a key. Every step is
 * audited and republishes the registry.
 */
export const keysRouter = router({
  /** The bureau's registry as the public holds it, and the pending proposals (staff). */
  list: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ bureauCode: ZBureauCodeSchema.optional() }).default({}))
    .output(z.array(columnsSchema(keyColumns)))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db
        .select(keyColumns)
        .from(signingKeys)
        .where(bureauFilter(ctx.access, signingKeys.bureauCode, input.bureauCode));
      return rows.sort((a, b) => +b.proposedAt - +a.proposedAt);
    }),

  /** The registry document of a bureau (`sr-draw/v2/keys`), as published. */
  registry: roleProcedure(ROLE_GROUPS.staff)
    .input(z.object({ bureauCode: ZBureauCodeSchema }))
    .query(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      return registryOf(ctx.db, input.bureauCode);
    }),

  /** Proposes the caller's browser-generated public key (raw 32 bytes, hex) for a bureau's registry. */
  propose: roleProcedure(SIGNING_ROLES)
    .input(
      z.object({
        bureauCode: ZBureauCodeSchema,
        publicKey: z
          .string()
          .regex(/^[0-9a-f]{64}$/, 'expected the raw 32-byte Ed25519 public key as 64 lowercase hex digits'),
      }),
    )
    .output(rowSchema(signingKeys))
    .mutation(async ({ ctx, input }) => {
      ctx.access.bureau(input.bureauCode);
      const keyId = keyIdOf(input.publicKey);
      const [me] = await ctx.db.select().from(users).where(eq(users.id, ctx.user.id));
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const [clash] = await tx.select().from(signingKeys).where(eq(signingKeys.keyId, keyId));
        if (clash) fail('CONFLICT', 'publicKey', 'key.alreadyOnFile', { keyPrefix: keyId.slice(0, 12) });
        const [row] = await tx
          .insert(signingKeys)
          .values({
            bureauCode: input.bureauCode,
            keyId,
            publicKey: input.publicKey,
            userId: ctx.user.id,
            signerName: me!.displayName,
            status: 'pending',
            proposedAt: now,
          })
          .returning();
        await ctx.audit(tx, {
          bureauCode: input.bureauCode,
          action: 'key.propose',
          entity: 'signing_keys',
          entityId: keyId,
          after: { keyId, publicKey: input.publicKey, userId: ctx.user.id, signerName: me!.displayName },
        });
        return row!;
      });
    }),

  /**
   * Registers a pending key (an admin other than its owner). The official's previous active key
   * of the bureau, if any, is rotated out at the same instant. The registry is published first;
   * the new key is valid from KEY_VALIDITY_DELAY_SECONDS later (after its witnessed checkpoint).
   */
  register: roleProcedure(ROLE_GROUPS.admins)
    .input(z.object({ keyId: ZKeyIdSchema }))
    .output(z.object({ keyId: z.string(), validFrom: z.date(), rotated: z.array(z.string()) }))
    .mutation(async ({ ctx, input }) => {
      const [key] = await ctx.db.select().from(signingKeys).where(eq(signingKeys.keyId, input.keyId));
      if (!key) notFound('keyId', 'key', input.keyId);
      ctx.access.bureau(key.bureauCode);
      if (key.userId === ctx.user.id) fail('FORBIDDEN', 'keyId', 'key.selfRegister');
      if ((await accountsControlledBy(ctx.db, key.userId)).has(ctx.user.id))
        fail('FORBIDDEN', 'keyId', 'key.registrarControlledByOwner');
      const now = ctx.now();
      const registered = await ctx.db.transaction(async (tx) => {
        // The official's keys, locked until this registration ends: a second registration for the
        // same official waits, then sees the key this one made active and rotates it out (each
        // statement of either read what had committed when it began: both keys stayed active).
        await tx
          .select({ id: signingKeys.id })
          .from(signingKeys)
          .where(and(eq(signingKeys.bureauCode, key.bureauCode), eq(signingKeys.userId, key.userId)))
          .for('update');
        const [claimed] = await tx
          .update(signingKeys)
          .set({ status: 'active', validFrom: validFromAt(now), registeredBy: ctx.user.id })
          .where(and(eq(signingKeys.id, key.id), eq(signingKeys.status, 'pending')))
          .returning();
        if (!claimed) fail('CONFLICT', 'keyId', 'key.notPending', { status: key.status });
        const rotated = await tx
          .update(signingKeys)
          .set({
            status: 'rotated',
            validUntil: endedAt(now),
            endedBy: ctx.user.id,
            endReason: 'rotated',
          })
          .where(
            and(
              eq(signingKeys.bureauCode, key.bureauCode),
              eq(signingKeys.userId, key.userId),
              eq(signingKeys.status, 'active'),
              ne(signingKeys.keyId, key.keyId),
            ),
          )
          .returning({ keyId: signingKeys.keyId });
        // A key rotated out ends now, and verifiers check a key at its signatures' log time (§9.7):
        // its records not yet witnessed would fail for good. The update above waited for any
        // sign-off still in progress with it (signers lock their key), so its record is seen here.
        const unwitnessed = await unwitnessedSignatureRecords(
          tx,
          key.bureauCode,
          rotated.map((r) => r.keyId),
          floorSecond(now),
        );
        if (unwitnessed.length) {
          // With fewer active witnesses than a checkpoint needs, no wait would do: say what would.
          // (In production the demo witnesses' co-signatures are refused: they count for nothing.)
          const [{ active }] = (await tx
            .select({ active: sql<number>`count(*)::int` })
            .from(logWitnesses)
            .where(
              and(
                isNull(logWitnesses.retiredAt),
                ctx.production
                  ? notInArray(
                      logWitnesses.name,
                      DEMO_WITNESSES.map((w) => w.name),
                    )
                  : undefined,
              ),
            )) as [{ active: number }];
          if (active < MIN_WITNESSES)
            fail('CONFLICT', 'keyId', 'key.rotationNoWitnesses', {
              keyPrefix: rotated[0]!.keyId.slice(0, 12),
              records: unwitnessed.length,
              witnesses: active,
              needed: MIN_WITNESSES,
            });
          fail('CONFLICT', 'keyId', 'key.rotationUnwitnessed', {
            keyPrefix: rotated[0]!.keyId.slice(0, 12),
            records: unwitnessed.length,
          });
        }
        const pub = await publishRegistry(tx, key.bureauCode, ctx.user.id, now);
        await ctx.audit(tx, {
          bureauCode: key.bureauCode,
          action: 'key.register',
          entity: 'signing_keys',
          entityId: key.keyId,
          before: { status: 'pending' },
          after: {
            status: 'active',
            validFrom: claimed.validFrom,
            rotated: rotated.map((r) => r.keyId),
            registryPublication: pub.id,
          },
        });
        return { keyId: key.keyId, validFrom: claimed.validFrom!, rotated: rotated.map((r) => r.keyId) };
      });
      // The entry's log time is the first witnessed checkpoint holding it: issue one now.
      requestLogCheckpoint(ctx.user.id);
      return registered;
    }),

  /** Revokes a key (admin), or rejects a pending proposal; the registry is republished. */
  revoke: roleProcedure(ROLE_GROUPS.admins)
    .input(z.object({ keyId: ZKeyIdSchema, reason: z.string().trim().min(2).max(500) }))
    .output(z.object({ keyId: z.string(), status: rowSchema(signingKeys).shape.status }))
    .mutation(async ({ ctx, input }) => {
      const [key] = await ctx.db.select().from(signingKeys).where(eq(signingKeys.keyId, input.keyId));
      if (!key) notFound('keyId', 'key', input.keyId);
      ctx.access.bureau(key.bureauCode);
      if (key.status !== 'pending' && key.status !== 'active')
        fail('CONFLICT', 'keyId', 'key.notRevocable', { status: key.status });
      const now = ctx.now();
      return ctx.db.transaction(async (tx) => {
        const pending = key.status === 'pending';
        const [ended] = await tx
          .update(signingKeys)
          .set(
            pending
              ? { status: 'rejected', endedBy: ctx.user.id, endReason: input.reason }
              : {
                  status: 'revoked',
                  validUntil: endedAt(now),
                  endedBy: ctx.user.id,
                  endReason: input.reason,
                },
          )
          .where(and(eq(signingKeys.id, key.id), eq(signingKeys.status, key.status)))
          .returning();
        if (!ended) fail('CONFLICT', 'keyId', 'key.changedMeanwhile');
        if (!pending) await publishRegistry(tx, key.bureauCode, ctx.user.id, now);
        await ctx.audit(tx, {
          bureauCode: key.bureauCode,
          action: pending ? 'key.reject' : 'key.revoke',
          entity: 'signing_keys',
          entityId: key.keyId,
          before: { status: key.status },
          after: { status: ended.status, reason: input.reason, validUntil: ended.validUntil },
        });
        return { keyId: key.keyId, status: ended.status };
      });
    }),
});
