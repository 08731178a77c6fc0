/**
 * The bureau's key registry (sr-draw/v2 §6, §9.7): every key an admin registered for an official
 * of the bureau, with its validity. It is republished on every registration, rotation and
 * revocation, so a key is public before it signs and a sign-off is checked against the registry
 * the public holds, never against a key inside the bundle.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { KeyRegistry, KeyRegistryEntry } from '@spotcheck/core';
import { publications, signingKeys } from '@spotcheck/db';
import type { DbOrTx } from './db';
import { fail } from './errors';
import { publish } from './publish';
import { registryLeaves } from './signature-record';

/**
 * How long after its registration a key becomes valid (§9.7: an entry's `validFrom` is not
 * earlier than its own log time). The registry naming it is published at registration and a
 * checkpoint is requested at once; the `log-checkpoint` job runs every minute when the log grew,
 * and witnesses co-sign within ±30 s. So the first witnessed checkpoint holding the entry comes
 * before `validFrom`, and no key can sign before it was provably public.
 */
export const KEY_VALIDITY_DELAY_SECONDS = 120;

/** Whole seconds, UTC, `Z` (the form sr-draw/v2 timestamps take). */
export function wholeSeconds(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The registry of a bureau as it stands (registered keys only: active, rotated or revoked). */
export async function registryOf(db: DbOrTx, bureauCode: string): Promise<KeyRegistry> {
  const rows = await db
    .select()
    .from(signingKeys)
    .where(
      and(
        eq(signingKeys.bureauCode, bureauCode),
        inArray(signingKeys.status, ['active', 'rotated', 'revoked']),
      ),
    )
    .orderBy(asc(signingKeys.keyId));
  const keys: KeyRegistryEntry[] = rows.map((k) => ({
    keyId: k.keyId,
    publicKey: k.publicKey,
    signer: { id: k.userId, name: k.signerName },
    validFrom: wholeSeconds(k.validFrom!),
    validUntil: k.validUntil ? wholeSeconds(k.validUntil) : null,
  }));
  return { spec: 'sr-draw/v2/keys', bureau: bureauCode, keys };
}

/**
 * Locks the key a signature names until the signing transaction ends (`FOR SHARE`) and refuses it
 * unless it is still active. The registry it was checked against was read before the transaction:
 * a rotation or revocation committed since then is refused here; one that comes later waits for
 * this transaction, and then sees its signature record (a rotation refuses while such records
 * are unwitnessed: `unwitnessedSignatureRecords`).
 */
export async function lockSigningKey(
  tx: DbOrTx,
  bureauCode: string,
  keyId: string,
  field: string,
): Promise<void> {
  const [row] = await tx
    .select({ status: signingKeys.status })
    .from(signingKeys)
    .where(and(eq(signingKeys.bureauCode, bureauCode), eq(signingKeys.keyId, keyId)))
    .for('share');
  if (row?.status !== 'active')
    fail('CONFLICT', field, 'signOff.keyEnded', { status: row?.status ?? 'missing' });
}

/** The registry the public holds: the latest `key-registry` publication of the bureau (null if none). */
export async function publishedRegistryOf(db: DbOrTx, bureauCode: string): Promise<KeyRegistry | null> {
  const [row] = await db
    .select({ content: publications.content })
    .from(publications)
    .where(and(eq(publications.bureauCode, bureauCode), eq(publications.kind, 'key-registry')))
    .orderBy(desc(publications.publishedAt), desc(publications.id))
    .limit(1);
  return (row?.content as KeyRegistry | undefined) ?? null;
}

/** The entries of a published registry version (none when its content was edited into no registry). */
function keysIn(version: unknown): KeyRegistryEntry[] {
  const keys = (version as { keys?: unknown } | null | undefined)?.keys;
  return Array.isArray(keys)
    ? keys.filter((k): k is KeyRegistryEntry => typeof (k as { keyId?: unknown } | null)?.keyId === 'string')
    : [];
}

/** Republishes the bureau's registry (publication kind `key-registry`, content {@link KeyRegistry}). */
export async function publishRegistry(tx: DbOrTx, bureauCode: string, by: string | null, at: Date) {
  const [prev] = await tx
    .select({ id: publications.id, content: publications.content })
    .from(publications)
    .where(and(eq(publications.bureauCode, bureauCode), eq(publications.kind, 'key-registry')))
    .orderBy(desc(publications.publishedAt), desc(publications.id))
    .limit(1);
  const registry = await registryOf(tx, bureauCode);
  // A published key is never dropped, and an end once published never moves later nor goes away
  // (§9.7: verifiers hold a key to the earliest end any version gave it), checked against every
  // version the log holds. A key row edited behind the platform's back to revive a revoked key
  // stops every republication instead. Only what a version says of the bureau's own keys counts:
  // content of another bureau, or naming a key the bureau never had (an insider's junk logged as a
  // registry), would otherwise stop every revocation for good.
  const versions = [...(await registryLeaves(tx, bureauCode)).map((l) => l.content), prev?.content];
  const known = new Set(
    (
      await tx
        .select({ keyId: signingKeys.keyId })
        .from(signingKeys)
        .where(eq(signingKeys.bureauCode, bureauCode))
    ).map((k) => k.keyId),
  );
  for (const version of versions) {
    if ((version as { bureau?: unknown } | null | undefined)?.bureau !== bureauCode) continue;
    for (const was of keysIn(version)) {
      if (!known.has(was.keyId)) continue;
      const now = registry.keys.find((k) => k.keyId === was.keyId);
      const end = typeof was.validUntil === 'string' ? Date.parse(was.validUntil) : Number.NaN;
      if (!now || (!Number.isNaN(end) && (now.validUntil === null || Date.parse(now.validUntil) > end)))
        fail('CONFLICT', 'keyId', 'key.endRewritten', { keyPrefix: was.keyId.slice(0, 12) });
    }
  }
  return publish(tx, {
    bureauCode,
    kind: 'key-registry',
    refId: bureauCode,
    title: `签名公钥登记表（${registry.keys.length}把）`,
    content: registry,
    by,
    at,
    replacesId: prev?.id ?? null,
  });
}
