import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../canonical';
import { buildSignOff, buildVoidSignature, wholeSecondsOf, type EnvelopeKey } from './envelope';
import { ed25519KeyPair, signOff, signOffMessage, verifyEd25519, voidMessage } from './signoff';
import { VOID_SPEC } from './types';

const pair = ed25519KeyPair(new TextEncoder().encode('envelope'));
/** A key whose signing function records what it was asked to sign (as the browser's would). */
const recording = () => {
  const seen: Uint8Array[] = [];
  const key: EnvelopeKey = {
    keyId: pair.keyId,
    sign: (m) => {
      seen.push(m);
      return toHex(ed25519.sign(m, fromHex(pair.secretKey)));
    },
  };
  return { key, seen };
};
const who = { id: 'u-approver', name: '滨海新区分管领导' };
const C = 'a'.repeat(64);
const R = 'b'.repeat(64);

describe('sr-draw/v2 envelopes around an injected signer', () => {
  it('a sign-off signs exactly core’s sign-off bytes and equals the one core signs itself', async () => {
    const { key, seen } = recording();
    const s = await buildSignOff(key, who, '2027-01-06T08:00:00Z', C, R);
    expect(seen).toHaveLength(1);
    expect(toHex(seen[0]!)).toBe(toHex(signOffMessage(s.signer, s.signedAt, C, R)));
    expect(s.signer).toEqual({ ...who, keyId: pair.keyId });
    expect(verifyEd25519(pair.publicKey, signOffMessage(s.signer, s.signedAt, C, R), s.signature)).toBe(true);
    expect(s).toEqual(signOff(pair.secretKey, who, '2027-01-06T08:00:00Z', C, R));
    // The signature binds the digests: another result digest does not verify.
    expect(
      verifyEd25519(pair.publicKey, signOffMessage(s.signer, s.signedAt, C, 'c'.repeat(64)), s.signature),
    ).toBe(false);
  });

  it('a void signs the void bytes with requester, reason and digest, and an async signer works too', async () => {
    const key: EnvelopeKey = {
      keyId: pair.keyId,
      sign: async (m) => toHex(ed25519.sign(m, fromHex(pair.secretKey))),
    };
    const fields = { commitmentDigest: C, reason: 'frame-error', requestedBy: 'u-operator' };
    const v = await buildVoidSignature(key, who, '2027-01-05T01:02:03Z', fields);
    const body = { spec: VOID_SPEC as typeof VOID_SPEC, ...fields, signer: v.signer, signedAt: v.signedAt };
    expect(verifyEd25519(pair.publicKey, voidMessage(body), v.signature)).toBe(true);
    expect(verifyEd25519(pair.publicKey, voidMessage({ ...body, reason: 'emergency' }), v.signature)).toBe(
      false,
    );
  });

  it('wholeSecondsOf drops milliseconds and keeps the Z form', () => {
    expect(wholeSecondsOf(new Date('2027-01-04T09:00:00.987Z'))).toBe('2027-01-04T09:00:00Z');
  });
});
