/**
 * The log proofs an sr-draw/v2 bundle travels with (SPEC §9.1, §9.7): the inclusion of its
 * commitment publication in the first witnessed checkpoint (the bundle's `inclusion`), and the
 * inclusion of the key registry it is checked against (`registryInclusion`, given beside it).
 */
import { and, asc, desc, eq, lte } from 'drizzle-orm';
import { logLeaves, logWitnesses, publications } from '@spotcheck/db';
import { digestOf, KEY_REGISTRY_SPEC, type KeyRegistry } from '@spotcheck/core';
import {
  commitmentInclusionVerifier,
  registryInclusionVerifier,
  signOffInclusionVerifier,
  type LogInclusion,
  type WitnessKey,
} from '@spotcheck/core/log';
import type { DbOrTx } from '../lib/db';
import { publishedRegistryOf } from '../lib/key-registry';
import { registryLeaves, signatureRecordLeaf } from '../lib/signature-record';
import { publicationInclusion } from './transparency';

/** The inclusion of a draw attempt's commitment in its first witnessed checkpoint, or null while none is. */
export async function commitmentInclusionOf(db: DbOrTx, drawId: string): Promise<LogInclusion | null> {
  const [pub] = await db
    .select({ id: publications.id })
    .from(publications)
    .where(and(eq(publications.kind, 'commitment'), eq(publications.refId, drawId)))
    .orderBy(asc(publications.publishedAt))
    .limit(1);
  if (!pub) return null;
  return (await publicationInclusion(db, pub.id, 'first-witnessed')).inclusion;
}

/**
 * The inclusion, in its first witnessed checkpoint, of the earliest `key-registry` publication of
 * `bureauCode` whose content is exactly `registry`; null when it is not logged or not yet witnessed.
 */
export async function registryInclusionOf(
  db: DbOrTx,
  bureauCode: string,
  registry: unknown,
): Promise<LogInclusion | null> {
  if (!registry) return null;
  const [pub] = await db
    .select({ id: publications.id })
    .from(publications)
    .where(
      and(
        eq(publications.kind, 'key-registry'),
        eq(publications.bureauCode, bureauCode),
        eq(publications.digest, digestOf(registry)),
      ),
    )
    .orderBy(asc(publications.publishedAt))
    .limit(1);
  if (!pub) return null;
  return (await publicationInclusion(db, pub.id, 'first-witnessed')).inclusion;
}

/** An earlier published version of a registry with its log inclusion (§9.7). */
export interface RegistryVersionProof {
  registry: KeyRegistry;
  inclusion: LogInclusion;
}

/**
 * The proofs of when each entry of `registry` was first logged (§9.7): for every entry, the
 * earliest `key-registry` publication of the bureau holding the same entry (keyId, public key,
 * signer, validFrom) with its inclusion in its first witnessed checkpoint, when that is not
 * `registry` itself. Verifiers check every entry's validFrom against that time.
 */
export async function registryHistoryOf(
  db: DbOrTx,
  bureauCode: string,
  registry: KeyRegistry | null,
): Promise<RegistryVersionProof[]> {
  if (!registry) return [];
  const rows = await db
    .select({ id: publications.id, content: publications.content, digest: publications.digest })
    .from(publications)
    .where(and(eq(publications.kind, 'key-registry'), eq(publications.bureauCode, bureauCode)))
    .orderBy(asc(publications.publishedAt), asc(publications.id));
  const own = digestOf(registry);
  type Entry = Partial<Omit<KeyRegistry['keys'][number], 'signer'>> & {
    signer?: { id?: string; name?: string };
  };
  const same = (a: Entry, b: Entry) =>
    a.keyId === b.keyId &&
    a.publicKey === b.publicKey &&
    a.signer?.id === b.signer?.id &&
    a.signer?.name === b.signer?.name &&
    a.validFrom === b.validFrom;
  const chosen = new Map<string, KeyRegistry>();
  // (A version whose content was edited into no registry holds no entry: it proves nothing.)
  const keysOf = (c: unknown) => {
    const keys = (c as { keys?: unknown } | null)?.keys;
    return Array.isArray(keys) ? (keys as (Entry | null)[]) : [];
  };
  for (const entry of keysOf(registry)) {
    if (!entry) continue;
    const first = rows.find((r) => keysOf(r.content).some((k) => !!k && same(k, entry)));
    if (first && first.digest !== own) chosen.set(first.id, first.content as KeyRegistry);
  }
  const out: RegistryVersionProof[] = [];
  for (const [id, content] of chosen) {
    const { inclusion } = await publicationInclusion(db, id, 'first-witnessed');
    if (inclusion) out.push({ registry: content, inclusion });
  }
  return out;
}

/** A version of a bureau's registry as the log holds it, with its inclusion (null while unwitnessed). */
export interface RegistryLogVersion {
  /** Its content as served now (null when its publication is gone). */
  registry: unknown;
  inclusion: LogInclusion | null;
}

/**
 * The bureau's registry by the log's order (§9.7): its newest version with its publication and
 * inclusion in its first witnessed checkpoint, and every earlier version (`history`, oldest first)
 * with theirs, since an end once published is final whatever a later version says; null when the
 * log holds no registry of the bureau.
 */
export async function registryHeadOf(
  db: DbOrTx,
  bureauCode: string,
): Promise<(RegistryLogVersion & { publicationId: string; history: RegistryLogVersion[] }) | null> {
  const leaves = await registryLeaves(db, bureauCode);
  const versions: RegistryLogVersion[] = [];
  for (const leaf of leaves)
    versions.push({
      registry: leaf.content,
      inclusion: (await publicationInclusion(db, leaf.publicationId, 'first-witnessed')).inclusion,
    });
  const head = versions.pop();
  if (!head) return null;
  return { publicationId: leaves[leaves.length - 1]!.publicationId, ...head, history: versions };
}

/** Every witness the city ever registered (a retired witness's past co-signatures still count). */
export async function trustedWitnesses(db: DbOrTx): Promise<WitnessKey[]> {
  const rows = await db.select().from(logWitnesses).orderBy(asc(logWitnesses.addedAt));
  return rows.map((w) => ({ name: w.name, label: w.label, publicKey: w.publicKey }));
}

/** A bundle with its commitment's inclusion proof (unchanged when it has one or none exists yet). */
export function withInclusion<B extends object>(bundle: B, inclusion: LogInclusion | null): B {
  if (!inclusion || (bundle as { inclusion?: unknown }).inclusion !== undefined) return bundle;
  return { ...bundle, inclusion };
}

/** The bureau's registry as published when `at` came (the one a sign-off at `at` was made under). */
export async function registryAt(db: DbOrTx, bureauCode: string, at: Date): Promise<KeyRegistry | null> {
  const [row] = await db
    .select({ content: publications.content })
    .from(publications)
    .where(
      and(
        eq(publications.bureauCode, bureauCode),
        eq(publications.kind, 'key-registry'),
        lte(publications.publishedAt, at),
      ),
    )
    .orderBy(desc(publications.publishedAt), desc(publications.id))
    .limit(1);
  return (row?.content as KeyRegistry | undefined) ?? null;
}

/**
 * The registry to check a sign-off against, with its log proof (§9.7): the registry as published
 * when the draw was signed, when that one is in a witnessed checkpoint; otherwise the latest
 * published registry without a proof (the verifier then says "registry log time not proven").
 */
export async function registryWithProof(
  db: DbOrTx,
  bureauCode: string,
  signedAt: string | null | undefined,
): Promise<{
  registry: KeyRegistry | null;
  registryInclusion: LogInclusion | null;
  registryHistory: RegistryVersionProof[];
}> {
  // (A time that is no instant, e.g. a row edited by hand, picks the latest registry, unproven.)
  if (signedAt && !Number.isNaN(Date.parse(signedAt))) {
    const atSigning = await registryAt(db, bureauCode, new Date(signedAt));
    const inc = atSigning ? await registryInclusionOf(db, bureauCode, atSigning) : null;
    if (inc)
      return {
        registry: atSigning,
        registryInclusion: inc,
        registryHistory: await registryHistoryOf(db, bureauCode, atSigning),
      };
  }
  return {
    registry: await publishedRegistryOf(db, bureauCode),
    registryInclusion: null,
    registryHistory: [],
  };
}

/**
 * The registry a signed bundle or void carries (§9.7): the one in force at its signing (published
 * again later, e.g. a covert draw once executed, it still verifies against the registry of its
 * time), else the latest; with its inclusion and the earlier versions' proofs once the log has them.
 */
export async function registryOfSigning(db: DbOrTx, bureauCode: string, signedAt: Date | null) {
  const registry = ((signedAt ? await registryAt(db, bureauCode, signedAt) : null) ??
    (await publishedRegistryOf(db, bureauCode)))!;
  const registryInclusion = await registryInclusionOf(db, bureauCode, registry);
  const registryHistory = registryInclusion ? await registryHistoryOf(db, bureauCode, registry) : [];
  return { registry, registryInclusion, registryHistory };
}

/**
 * What a server-side v2 check reads besides the bundle, as data: the commitment's inclusion, the
 * city's witnesses, and the registry with its inclusion and history, picked by `signedAt` (the
 * time of the sign-off, or of the void, that the check is to find in its bundle). `fingerprint` is
 * their digest: the same bundle checked against the same fingerprint gives the same report.
 */
export async function logVerificationInputs(
  db: DbOrTx,
  drawId: string,
  bureauCode: string,
  signedAt: string | null | undefined,
  publicationId: string | null = null,
  of: 'draw' | 'void' = 'draw',
  now: Date | null = null,
) {
  const witnesses = await trustedWitnesses(db);
  const registry = await registryWithProof(db, bureauCode, signedAt);
  const inclusion = await commitmentInclusionOf(db, drawId);
  // §9.7: the sign-off counts at its log time, and the bureau's newest registry may have ended the
  // key before that, whatever registry the publication carries.
  const signOff = await signOffLeafOf(db, drawId, of, publicationId);
  const newest = await registryHeadOf(db, bureauCode);
  const currentRegistry = newest ? newest.registry : undefined;
  const currentRegistryInclusion = newest?.inclusion ?? null;
  const currentRegistryHistory = newest?.history ?? [];
  const fingerprint = digestOf({
    signedAt: signedAt ?? null,
    inclusion,
    witnesses,
    registry: registry.registry,
    registryInclusion: registry.registryInclusion,
    registryHistory: registry.registryHistory,
    bureauCode,
    signOff,
    currentRegistry: currentRegistry ?? null,
    currentRegistryInclusion,
    currentRegistryHistory,
  });
  // The signing time goes with them: a check picks no registry by a time its bundle does not say.
  return {
    signedAt: signedAt ?? null,
    witnesses,
    ...registry,
    inclusion,
    bureauCode,
    signOff,
    currentRegistry,
    currentRegistryInclusion,
    currentRegistryHistory,
    // When the inputs were read (not in the fingerprint: a report changes with the registry, not the clock).
    readAt: now ? now.toISOString() : null,
    fingerprint,
  };
}

/**
 * Where the log dates a sign-off (§9.7): its signature record (`record`), else, for a draw signed
 * before records existed, the checked publication's own leaf (`publication`), each with its
 * inclusion in its first witnessed checkpoint (null while none); `none` when a publication is
 * checked and the log holds neither (a row written behind the log's back), `unknown` otherwise.
 */
async function signOffLeafOf(
  db: DbOrTx,
  drawId: string,
  of: 'draw' | 'void',
  publicationId: string | null,
): Promise<
  | { leaf: 'record' | 'publication'; inclusion: LogInclusion | null }
  | { leaf: 'none' | 'unknown'; inclusion: null }
> {
  const record = await signatureRecordLeaf(db, drawId, of);
  if (record)
    return {
      leaf: 'record',
      inclusion: (await publicationInclusion(db, record, 'first-witnessed')).inclusion,
    };
  if (!publicationId) return { leaf: 'unknown', inclusion: null };
  const [own] = await db
    .select({ seq: logLeaves.seq })
    .from(logLeaves)
    .where(eq(logLeaves.publicationId, publicationId));
  if (!own) return { leaf: 'none', inclusion: null };
  return {
    leaf: 'publication',
    inclusion: (await publicationInclusion(db, publicationId, 'first-witnessed')).inclusion,
  };
}

/** What {@link logVerificationInputs} reads: plain data, so that a check can run on another thread. */
export type LogVerificationInputs = Awaited<ReturnType<typeof logVerificationInputs>>;

/**
 * The bundle and options of core's v2 verifier from {@link logVerificationInputs}; `contentDigest`
 * is the digest of the publication's content as the check read it (the content holding `bundle`),
 * needed only when the publication's own leaf dates the sign-off ({@link wholeContentNeeded}).
 */
export function verificationFrom<B extends object>(
  bundle: B,
  inputs: LogVerificationInputs,
  contentDigest: string | null = null,
) {
  const { signOff } = inputs;
  return {
    bundle: withInclusion(bundle, inputs.inclusion),
    options: {
      // A v2 draw is signed with a registered key: a bureau with no registry gets an empty one (a
      // publication moved to another bureau's name is checked against that bureau's, and fails).
      registry: inputs.registry ?? { spec: KEY_REGISTRY_SPEC, bureau: inputs.bureauCode, keys: [] },
      verifyInclusion: commitmentInclusionVerifier(inputs.witnesses),
      registryInclusion: inputs.registryInclusion ?? undefined,
      registryHistory: inputs.registryHistory,
      verifyRegistryInclusion: registryInclusionVerifier(inputs.witnesses),
      verifySignOffInclusion: signOffInclusionVerifier(inputs.witnesses),
      ...(signOff.leaf === 'none'
        ? { signOffInclusion: null }
        : signOff.inclusion
          ? {
              signOffInclusion: signOff.inclusion,
              ...(signOff.leaf === 'publication' && contentDigest !== null
                ? { signOffContentDigest: contentDigest }
                : {}),
            }
          : signOff.leaf !== 'unknown' && inputs.readAt
            ? { signOffPendingAt: inputs.readAt }
            : {}),
      ...(inputs.currentRegistry !== undefined
        ? {
            currentRegistry: inputs.currentRegistry,
            currentRegistryHistory: inputs.currentRegistryHistory,
            ...(inputs.currentRegistryInclusion
              ? { currentRegistryInclusion: inputs.currentRegistryInclusion }
              : {}),
          }
        : {}),
    },
  };
}

/** Whether a check needs its publication's whole content hashed: its own leaf dates the sign-off. */
export function wholeContentNeeded(inputs: LogVerificationInputs): boolean {
  return inputs.signOff.leaf === 'publication' && inputs.signOff.inclusion !== null;
}
