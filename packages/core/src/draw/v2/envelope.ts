/**
 * Building the signed envelopes of sr-draw/v2 (SPEC §II.6 sign-off, §II.9.4 void) around a signing
 * function supplied by the caller. Pure: no WebCrypto, no key material here — the admin SPA passes
 * a function that signs with its non-extractable browser key, tests pass Node's WebCrypto, and the
 * bytes signed are always core's {@link signOffMessage} / {@link voidMessage}.
 */
import { signOffMessage, voidMessage } from './signoff';
import { VOID_SPEC, type SignerRef, type SignerWithKey, type SignOff, type VoidEnvelope } from './types';

/** Signs bytes with an Ed25519 key held elsewhere; returns the 64-byte signature as lowercase hex. */
export type SignBytes = (message: Uint8Array) => Promise<string> | string;

/** The key an envelope is built for: its keyId and a function that signs with it. */
export interface EnvelopeKey {
  /** Lowercase hex SHA-256 of the raw public key. */
  keyId: string;
  sign: SignBytes;
}

/** Whole seconds UTC `YYYY-MM-DDTHH:MM:SSZ` of a date (the form `signedAt` must take). */
export function wholeSecondsOf(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The signer block of an envelope: id and name exactly as given, with the key's id. */
function signerBlock(key: EnvelopeKey, signer: SignerRef): SignerWithKey {
  return { id: signer.id, name: signer.name, keyId: key.keyId };
}

/** Builds and signs a draw's sign-off (`sr-draw/v2/sign-off`) over both digests. */
export async function buildSignOff(
  key: EnvelopeKey,
  signer: SignerRef,
  signedAt: string,
  commitmentDigest: string,
  resultDigest: string,
): Promise<SignOff> {
  const s = signerBlock(key, signer);
  return {
    signer: s,
    signedAt,
    signature: await key.sign(signOffMessage(s, signedAt, commitmentDigest, resultDigest)),
  };
}

/** What a void signer adds to a void request: the signer block, the time and the signature. */
export type VoidSignature = Pick<VoidEnvelope, 'signer' | 'signedAt' | 'signature'>;

/** Builds and signs a void (`sr-draw/v2/void`) of the attempt with `commitmentDigest`. */
export async function buildVoidSignature(
  key: EnvelopeKey,
  signer: SignerRef,
  signedAt: string,
  fields: { commitmentDigest: string; reason: string; requestedBy: string },
): Promise<VoidSignature> {
  const body = {
    spec: VOID_SPEC,
    commitmentDigest: fields.commitmentDigest,
    reason: fields.reason,
    requestedBy: fields.requestedBy,
    signer: signerBlock(key, signer),
    signedAt,
  } as const;
  return { signer: body.signer, signedAt, signature: await key.sign(voidMessage(body)) };
}
