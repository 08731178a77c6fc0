import { fromHex } from '../draw/canonical';
import { digestOf } from '../json';
import {
  isValidKeyName,
  MIN_WITNESSES,
  verifyCheckpointSignature,
  witnessesOf,
  type Cosignature,
  type SignedCheckpoint,
  type WitnessKey,
} from './checkpoint';
import { leafHashHex, parseLeaf, type PublicationLeaf } from './leaf';
import { verifyInclusion } from './merkle';
import type { AcceptedLeaf } from '../draw/v2/types';

/**
 * A publication's proof of inclusion: its leaf, its index, the audit path and the signed,
 * co-signed checkpoint it leads to. Carried as the `inclusion` key of an sr-draw/v2 bundle.
 */
export interface LogInclusion {
  spec: 'spotcheck/log-inclusion/v1';
  leaf: PublicationLeaf;
  leafIndex: number;
  /** Audit path, lowercase hex hashes, leaf to root (RFC 9162 §2.1.3). */
  proof: string[];
  checkpoint: SignedCheckpoint;
}

/** Outcome of an inclusion check. `time` is the checkpoint time (whole seconds, `Z`) when ok. */
export interface InclusionCheck {
  ok: boolean;
  time?: string;
  reason?: string;
  /** Trusted witnesses whose co-signatures are valid (even when too few). */
  witnesses?: WitnessKey[];
  leaf?: PublicationLeaf;
}

const HEX64 = /^[0-9a-f]{64}$/;

function parseCheckpoint(x: unknown): SignedCheckpoint | string {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return 'checkpoint is not an object';
  const c = x as Record<string, unknown>;
  if (typeof c.origin !== 'string' || !c.origin) return 'checkpoint.origin must be a string';
  if (!Number.isSafeInteger(c.size) || (c.size as number) < 1)
    return 'checkpoint.size must be a positive integer';
  if (typeof c.rootHash !== 'string' || !HEX64.test(c.rootHash))
    return 'checkpoint.rootHash must be 64 lowercase hex';
  for (const k of ['time', 'logKey', 'signature'] as const) {
    if (typeof c[k] !== 'string') return `checkpoint.${k} must be a string`;
  }
  if (!Array.isArray(c.cosignatures)) return 'checkpoint.cosignatures must be an array';
  const cosignatures: Cosignature[] = [];
  for (const [i, s] of (c.cosignatures as unknown[]).entries()) {
    const o = s as Record<string, unknown> | null;
    if (!o || typeof o !== 'object') return `checkpoint.cosignatures[${i}] is not an object`;
    for (const k of ['witness', 'publicKey', 'time', 'signature'] as const) {
      if (typeof o[k] !== 'string') return `checkpoint.cosignatures[${i}].${k} must be a string`;
    }
    if (!isValidKeyName(o.witness as string))
      return `checkpoint.cosignatures[${i}].witness is not a valid name`;
    cosignatures.push({
      witness: o.witness as string,
      publicKey: o.publicKey as string,
      time: o.time as string,
      signature: o.signature as string,
    });
  }
  return {
    origin: c.origin,
    size: c.size as number,
    rootHash: c.rootHash,
    time: c.time as string,
    logKey: c.logKey as string,
    signature: c.signature as string,
    cosignatures,
  };
}

/** Parses an untrusted `inclusion` value. */
export function parseInclusion(
  x: unknown,
): { ok: true; value: LogInclusion } | { ok: false; reason: string } {
  if (!x || typeof x !== 'object' || Array.isArray(x))
    return { ok: false, reason: 'inclusion is not an object' };
  const o = x as Record<string, unknown>;
  if (o.spec !== 'spotcheck/log-inclusion/v1')
    return { ok: false, reason: 'inclusion.spec must be spotcheck/log-inclusion/v1' };
  const leaf = parseLeaf(o.leaf);
  if (!leaf.ok) return leaf;
  if (!Number.isSafeInteger(o.leafIndex) || (o.leafIndex as number) < 0)
    return { ok: false, reason: 'inclusion.leafIndex must be a non-negative integer' };
  if (!Array.isArray(o.proof) || o.proof.some((h) => typeof h !== 'string' || !HEX64.test(h))) {
    return { ok: false, reason: 'inclusion.proof must be an array of 64-hex hashes' };
  }
  const checkpoint = parseCheckpoint(o.checkpoint);
  if (typeof checkpoint === 'string') return { ok: false, reason: checkpoint };
  return {
    ok: true,
    value: {
      spec: 'spotcheck/log-inclusion/v1',
      leaf: leaf.leaf,
      leafIndex: o.leafIndex as number,
      proof: o.proof as string[],
      checkpoint,
    },
  };
}

/** Options of {@link verifyPublicationInclusion}. */
export interface InclusionTrust {
  /** The witnesses the verifier trusts (the city's published registry). */
  witnesses: readonly WitnessKey[];
  /** The log's public key, when the verifier has pinned it; else the checkpoint's own key is only checked for a valid signature. */
  logKey?: string;
  /** The log's origin, when pinned. */
  origin?: string;
  /** Co-signatures needed (default {@link MIN_WITNESSES}); 0 checks the proof and signature only. */
  minWitnesses?: number;
  /**
   * Keys (raw, base64) that are never independent witnesses whatever a witness list says: the
   * bureau's officials' keys (from its key registry). The log's own key never counts either.
   */
  notWitnesses?: readonly string[];
}

/**
 * Verifies that a publication's leaf is in a checkpoint signed by the log and co-signed by enough
 * trusted witnesses. The witnessed checkpoint time is when the publication is proven public.
 */
export function verifyPublicationInclusion(inclusion: unknown, trust: InclusionTrust): InclusionCheck {
  const parsed = parseInclusion(inclusion);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const inc = parsed.value;
  const cp = inc.checkpoint;
  if (trust.origin !== undefined && cp.origin !== trust.origin) {
    return { ok: false, reason: `checkpoint is from log ${cp.origin}, not ${trust.origin}` };
  }
  if (trust.logKey !== undefined && cp.logKey !== trust.logKey)
    return { ok: false, reason: 'checkpoint is signed by another log key' };
  const sigOk = verifyCheckpointSignature(cp, cp.logKey, cp.signature);
  if (!sigOk) return { ok: false, reason: 'the log signature of the checkpoint is not valid' };
  if (inc.leafIndex >= cp.size)
    return { ok: false, reason: `leaf ${inc.leafIndex} is not in a tree of ${cp.size} leaves` };
  const leafHash = fromHex(leafHashHex(inc.leaf));
  if (
    !verifyInclusion(
      inc.leafIndex,
      cp.size,
      leafHash,
      inc.proof.map((h) => fromHex(h)),
      fromHex(cp.rootHash),
    )
  ) {
    return { ok: false, reason: 'the inclusion proof does not lead to the checkpoint root' };
  }
  const excluded = new Set(trust.notWitnesses ?? []);
  const witnesses = witnessesOf(
    cp,
    trust.witnesses.filter((w) => !excluded.has(w.publicKey)),
  );
  const need = trust.minWitnesses ?? MIN_WITNESSES;
  if (witnesses.length < need) {
    return {
      ok: false,
      witnesses,
      leaf: inc.leaf,
      reason: `the checkpoint has ${witnesses.length} valid co-signature(s) of trusted witnesses; ${need} needed`,
    };
  }
  return { ok: true, time: cp.time, witnesses, leaf: inc.leaf };
}

/**
 * The injected `verifyInclusion` of sr-draw/v2 (SPEC §9.1): the commitment counts as published at
 * the time of the checkpoint when that checkpoint includes a `commitment` publication whose content
 * carries `commitmentDigest`, and is co-signed by at least two trusted witnesses independent of
 * the bureau (a key of the bureau's registry, passed as `context.bureauKeys`, never counts).
 */
export function verifyCommitmentInclusion(
  inclusion: unknown,
  commitmentDigest: string,
  trustedWitnessKeys: readonly WitnessKey[],
  options: Omit<InclusionTrust, 'witnesses'> = {},
): { ok: boolean; time?: string; reason?: string } {
  const r = verifyPublicationInclusion(inclusion, { ...options, witnesses: trustedWitnessKeys });
  if (r.leaf && r.leaf.kind !== 'commitment')
    return { ok: false, reason: `the logged publication is a ${r.leaf.kind}, not a commitment` };
  if (r.leaf && r.leaf.subject !== commitmentDigest) {
    return { ok: false, reason: 'the logged commitment has another commitment digest' };
  }
  if (!r.ok) return { ok: false, reason: r.reason };
  return { ok: true, time: r.time };
}

/** Bureau keys of an injected verifier's context, added to `notWitnesses`. */
function withContext(
  options: Omit<InclusionTrust, 'witnesses'>,
  context?: { bureauKeys: readonly string[] },
): Omit<InclusionTrust, 'witnesses'> {
  return context
    ? { ...options, notWitnesses: [...(options.notWitnesses ?? []), ...context.bureauKeys] }
    : options;
}

/**
 * The `verifyInclusion` option of sr-draw/v2's verifier, bound to the trusted witnesses (the
 * city's published registry): `verifyBundleV2(bundle, { verifyInclusion: commitmentInclusionVerifier(ws) })`.
 */
export function commitmentInclusionVerifier(
  trustedWitnessKeys: readonly WitnessKey[],
  options: Omit<InclusionTrust, 'witnesses'> = {},
): (
  inclusion: unknown,
  commitmentDigest: string,
  context?: { bureauKeys: readonly string[] },
) => { ok: boolean; time?: string; reason?: string } {
  return (inclusion, commitmentDigest, context) =>
    verifyCommitmentInclusion(inclusion, commitmentDigest, trustedWitnessKeys, withContext(options, context));
}

/**
 * The log inclusion of a bureau's key registry (SPEC §9.7): the leaf is a `key-registry`
 * publication of the registry's bureau whose content digest is that of exactly this registry, in
 * a checkpoint co-signed by at least two trusted witnesses; its time is when the registry was
 * provably public.
 */
export function verifyRegistryInclusion(
  inclusion: unknown,
  registry: unknown,
  trustedWitnessKeys: readonly WitnessKey[],
  options: Omit<InclusionTrust, 'witnesses'> = {},
): { ok: boolean; time?: string; reason?: string } {
  const r = verifyPublicationInclusion(inclusion, { ...options, witnesses: trustedWitnessKeys });
  if (r.leaf) {
    if (r.leaf.kind !== 'key-registry')
      return { ok: false, reason: `the logged publication is a ${r.leaf.kind}, not a key registry` };
    const bureau = (registry as { bureau?: unknown } | null)?.bureau;
    if (r.leaf.bureauCode !== bureau)
      return {
        ok: false,
        reason: `the logged registry is of bureau ${r.leaf.bureauCode}, not ${String(bureau)}`,
      };
    if (r.leaf.contentDigest !== digestOf(registry))
      return { ok: false, reason: 'the logged registry is not the registry given (its digest differs)' };
  }
  if (!r.ok) return { ok: false, reason: r.reason };
  return { ok: true, time: r.time };
}

/** The `verifyRegistryInclusion` option of sr-draw/v2's verifier, bound to the trusted witnesses. */
export function registryInclusionVerifier(
  trustedWitnessKeys: readonly WitnessKey[],
  options: Omit<InclusionTrust, 'witnesses'> = {},
): (
  inclusion: unknown,
  registry: unknown,
  context?: { bureauKeys: readonly string[] },
) => { ok: boolean; time?: string; reason?: string } {
  return (inclusion, registry, context) =>
    verifyRegistryInclusion(inclusion, registry, trustedWitnessKeys, withContext(options, context));
}

/**
 * The log inclusion of a sign-off (SPEC §9.7, its log time): the leaf is of one of the `accepted`
 * kinds with that content digest (its signature record's, rebuilt from the bundle; or the draw's or
 * void's own publication, digested by the caller from the content holding the bundle), in a
 * checkpoint co-signed by at least two trusted witnesses.
 */
export function verifySignOffInclusion(
  inclusion: unknown,
  accepted: readonly AcceptedLeaf[],
  trustedWitnessKeys: readonly WitnessKey[],
  options: Omit<InclusionTrust, 'witnesses'> = {},
): { ok: boolean; time?: string; reason?: string } {
  const r = verifyPublicationInclusion(inclusion, { ...options, witnesses: trustedWitnessKeys });
  if (r.leaf) {
    const leaf = r.leaf;
    const kinds = accepted.filter((a) => a.kind === leaf.kind);
    if (!kinds.length)
      return {
        ok: false,
        reason: `the logged publication is a ${leaf.kind}, not a ${accepted.map((a) => a.kind).join(' or ')}`,
      };
    if (!kinds.some((a) => a.contentDigest === leaf.contentDigest))
      return { ok: false, reason: `the logged ${leaf.kind} has another content (its digest differs)` };
  }
  if (!r.ok) return { ok: false, reason: r.reason };
  return { ok: true, time: r.time };
}

/** The `verifySignOffInclusion` option of sr-draw/v2's verifier, bound to the trusted witnesses. */
export function signOffInclusionVerifier(
  trustedWitnessKeys: readonly WitnessKey[],
  options: Omit<InclusionTrust, 'witnesses'> = {},
): (
  inclusion: unknown,
  accepted: readonly AcceptedLeaf[],
  context?: { bureauKeys: readonly string[] },
) => { ok: boolean; time?: string; reason?: string } {
  return (inclusion, accepted, context) =>
    verifySignOffInclusion(inclusion, accepted, trustedWitnessKeys, withContext(options, context));
}
