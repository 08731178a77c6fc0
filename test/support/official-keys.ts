/**
 * An official's sign-off key made the way the admin SPA makes it in the browser: WebCrypto
 * Ed25519, non-extractable, only the raw public key exported. Node's WebCrypto runs the same calls.
 */
import {
  buildSignOff,
  buildVoidSignature,
  wholeSecondsOf,
  type EnvelopeKey,
  type SignOff,
  type VoidSignature,
} from '@spotcheck/core';

export { wholeSecondsOf };

/** A browser-style key: the private half is a non-extractable CryptoKey. */
export interface OfficialKey extends EnvelopeKey {
  publicKey: string;
  sign(message: Uint8Array): Promise<string>;
}

const hex = (b: ArrayBuffer | Uint8Array) =>
  Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');

/** Generates a key pair as the browser does (`extractable: false`). */
export async function browserStyleKey(): Promise<OfficialKey> {
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  const raw = await crypto.subtle.exportKey('raw', pair.publicKey);
  const keyId = hex(await crypto.subtle.digest('SHA-256', raw));
  return {
    publicKey: hex(raw),
    keyId,
    sign: async (message) =>
      hex(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, new Uint8Array(message))),
  };
}

/** Builds and signs a draw sign-off in the browser's way (core's envelope, the key's signature). */
export function browserSignOff(
  key: OfficialKey,
  signer: { id: string; name: string },
  signedAt: string,
  commitmentDigest: string,
  resultDigest: string,
): Promise<SignOff> {
  return buildSignOff(key, signer, signedAt, commitmentDigest, resultDigest);
}

/** Builds and signs a void envelope in the browser's way (what `draws.signVoid` receives). */
export function browserVoidSignature(
  key: OfficialKey,
  signer: { id: string; name: string },
  signedAt: string,
  fields: { commitmentDigest: string; reason: string; requestedBy: string },
): Promise<VoidSignature> {
  return buildVoidSignature(key, signer, signedAt, fields);
}
