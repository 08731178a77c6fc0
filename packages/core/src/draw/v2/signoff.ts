/**
 * Sign-offs, voids and key registries of sr-draw/v2 (SPEC §II.6, §II.8.11, §II.9.4, §II.9.7, §II.9.9):
 * Ed25519 verified strictly per RFC 8032 (canonical encodings, S < L, small-order keys refused).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonical, fromHex, toHex, utf8 } from '../canonical';
import { DrawInputError } from '../errors';
import { validateKeyRegistry } from './parse';
import {
  SIGN_OFF_SPEC,
  VOID_SPEC,
  type KeyRegistry,
  type KeyRegistryEntry,
  type SignerRef,
  type SignerWithKey,
  type SignOff,
  type VoidEnvelope,
} from './types';

/** `keyId`: lowercase hex SHA-256 of the raw 32-byte public key. */
export function keyIdOf(publicKeyHex: string): string {
  return toHex(sha256(fromHex(publicKeyHex, 'publicKey')));
}

/** The bytes an approver signs: UTF-8 of `canonical({spec, signer, signedAt, commitmentDigest, resultDigest})`. */
export function signOffMessage(
  signer: SignerWithKey,
  signedAt: string,
  commitmentDigest: string,
  resultDigest: string,
): Uint8Array {
  return utf8(canonical({ spec: SIGN_OFF_SPEC, signer, signedAt, commitmentDigest, resultDigest }));
}

/** The bytes a void signer signs: UTF-8 of the canonical envelope without `signature`. */
export function voidMessage(v: Omit<VoidEnvelope, 'signature'>): Uint8Array {
  const { spec, commitmentDigest, reason, requestedBy, signer, signedAt } = v;
  return utf8(canonical({ spec, commitmentDigest, reason, requestedBy, signer, signedAt }));
}

/**
 * Strict Ed25519 verification (RFC 8032 §5.1.7 with canonical point encodings and S < L, and
 * small-order public keys refused). Never throws.
 */
export function verifyEd25519(publicKeyHex: string, message: Uint8Array, signatureHex: string): boolean {
  try {
    const pk = fromHex(publicKeyHex, 'publicKey');
    const sig = fromHex(signatureHex, 'signature');
    if (pk.length !== 32 || sig.length !== 64) return false;
    const A = ed25519.Point.fromBytes(pk, false);
    if (A.isSmallOrder()) return false;
    return ed25519.verify(sig, message, pk, { zip215: false });
  } catch {
    return false;
  }
}

/** A fresh or seeded Ed25519 key pair as hex, with its keyId (for tests, demos and the CLI). */
export function ed25519KeyPair(seed?: Uint8Array): { secretKey: string; publicKey: string; keyId: string } {
  const secretKey = seed ? sha256(seed) : ed25519.utils.randomSecretKey();
  const publicKey = toHex(ed25519.getPublicKey(secretKey));
  return { secretKey: toHex(secretKey), publicKey, keyId: keyIdOf(publicKey) };
}

/** Signs a draw: the sign-off of `commitmentDigest` and `resultDigest` by `signer` at `signedAt`. */
export function signOff(
  secretKeyHex: string,
  signer: SignerRef,
  signedAt: string,
  commitmentDigest: string,
  resultDigest: string,
): SignOff {
  const sk = fromHex(secretKeyHex, 'secretKey');
  const keyId = toHex(sha256(ed25519.getPublicKey(sk)));
  const s: SignerWithKey = { id: signer.id, name: signer.name, keyId };
  const signature = toHex(ed25519.sign(signOffMessage(s, signedAt, commitmentDigest, resultDigest), sk));
  return { signer: s, signedAt, signature };
}

/** Signs a void of the attempt with `commitmentDigest`, requested by `requestedBy`. */
export function signVoid(
  secretKeyHex: string,
  signer: SignerRef,
  signedAt: string,
  fields: { commitmentDigest: string; reason: string; requestedBy: string },
): VoidEnvelope {
  const sk = fromHex(secretKeyHex, 'secretKey');
  const keyId = toHex(sha256(ed25519.getPublicKey(sk)));
  const body = {
    spec: VOID_SPEC,
    commitmentDigest: fields.commitmentDigest,
    reason: fields.reason,
    requestedBy: fields.requestedBy,
    signer: { id: signer.id, name: signer.name, keyId },
    signedAt,
  } as const;
  return { ...body, signature: toHex(ed25519.sign(voidMessage(body), sk)) };
}

/**
 * Validates a registry: structure, `keyId = SHA-256(publicKey)` for every entry, each keyId under
 * one signer only (same id and name). Throws a DrawInputError naming the entry.
 */
export function checkKeyRegistry(value: unknown, path = 'registry'): asserts value is KeyRegistry {
  validateKeyRegistry(value, path);
  const owner = new Map<string, SignerRef>();
  value.keys.forEach((k, i) => {
    const id = keyIdOf(k.publicKey);
    if (id !== k.keyId)
      throw new DrawInputError(`${path}.keys[${i}].keyId`, `is not SHA-256 of publicKey (${id})`);
    const o = owner.get(k.keyId);
    if (o && (o.id !== k.signer.id || o.name !== k.signer.name))
      throw new DrawInputError(
        `${path}.keys[${i}].signer`,
        `keyId ${k.keyId} is already registered to ${o.id} (${o.name})`,
      );
    owner.set(k.keyId, k.signer);
  });
}

/** Outcome of checking a signature against a registry. */
export type SignerCheck =
  | { ok: true; entry: KeyRegistryEntry }
  | { ok: false; rule: 'registry' | 'bureau' | 'key' | 'signer' | 'window' | 'signature'; reason: string };

/**
 * Checks a signer's claim against a registry for `bureau` at `signedAt` and the signature over
 * `message` (SPEC §II.8.11): bureau matches, an entry has the keyId with the same signer id and
 * name (compared by code points), `validFrom ≤ signedAt < validUntil`, and the signature verifies.
 */
export function checkSigner(
  registry: unknown,
  bureau: string,
  signer: SignerWithKey,
  signedAt: string,
  message: Uint8Array,
  signatureHex: string,
): SignerCheck {
  try {
    checkKeyRegistry(registry);
  } catch (err) {
    return {
      ok: false,
      rule: 'registry',
      reason: `the key registry is malformed: ${(err as Error).message}`,
    };
  }
  if (registry.bureau !== bureau)
    return {
      ok: false,
      rule: 'bureau',
      reason: `the registry is for bureau ${registry.bureau}, the plan for ${bureau}`,
    };
  const entries = registry.keys.filter((k) => k.keyId === signer.keyId);
  if (entries.length === 0)
    return {
      ok: false,
      rule: 'key',
      reason: `key ${signer.keyId.slice(0, 16)}… is not in the bureau's registry`,
    };
  const same = entries.filter((k) => k.signer.id === signer.id && k.signer.name === signer.name);
  if (same.length === 0) {
    const e = entries[0]!;
    return {
      ok: false,
      rule: 'signer',
      reason: `key ${signer.keyId.slice(0, 16)}… belongs to ${e.signer.id} (${e.signer.name}), not ${signer.id} (${signer.name})`,
    };
  }
  const at = Date.parse(signedAt);
  const entry = same.find(
    (k) => Date.parse(k.validFrom) <= at && (k.validUntil === null || at < Date.parse(k.validUntil)),
  );
  if (!entry) return { ok: false, rule: 'window', reason: `the key was not valid at ${signedAt}` };
  if (!verifyEd25519(entry.publicKey, message, signatureHex))
    return { ok: false, rule: 'signature', reason: 'the Ed25519 signature does not verify' };
  return { ok: true, entry };
}

/**
 * Verifies a void envelope against a registry: the signature and registry rules of
 * {@link checkSigner}, and a signer other than the requester (SPEC §II.9.4).
 */
export function verifyVoid(v: VoidEnvelope, registry: unknown, bureau: string): SignerCheck {
  if (v.signer.id === v.requestedBy)
    return {
      ok: false,
      rule: 'signer',
      reason: `the void is signed by its requester ${v.requestedBy}; a second official must sign`,
    };
  return checkSigner(registry, bureau, v.signer, v.signedAt, voidMessage(v), v.signature);
}
