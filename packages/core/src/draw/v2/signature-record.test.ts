import { describe, expect, it } from 'vitest';
import {
  checkSignatureRecord,
  ed25519KeyPair,
  KEY_REGISTRY_SPEC,
  signatureRecord,
  signOff,
  signVoid,
  type KeyRegistry,
} from '..';

const C = 'c'.repeat(64);
const R = 'd'.repeat(64);
const official = { id: 'u-approver', name: '滨海新区分管领导' };
const key = ed25519KeyPair(new TextEncoder().encode('approver'));
const other = ed25519KeyPair(new TextEncoder().encode('someone else'));
const registryOf = (bureau: string, entries: KeyRegistry['keys']): KeyRegistry => ({
  spec: KEY_REGISTRY_SPEC,
  bureau,
  keys: entries,
});
const entry = (k: typeof key, signer = official, validUntil: string | null = null) => ({
  keyId: k.keyId,
  publicKey: k.publicKey,
  signer,
  validFrom: '2026-01-01T00:00:00Z',
  validUntil,
});
const registry = registryOf('120116', [entry(key)]);
const signed = signOff(key.secretKey, official, '2027-01-05T02:00:00Z', C, R);
const record = signatureRecord('draw', '120116', C, R, signed);

describe('checkSignatureRecord: whether a logged record carries the official’s signature', () => {
  it('accepts the official’s sign-off and void, also under a registry that ended the key since', () => {
    expect(checkSignatureRecord(record, [registry])).toEqual({
      ok: true,
      signer: official,
      keyId: key.keyId,
    });
    const ended = registryOf('120116', [entry(key, official, '2027-02-01T00:00:00Z')]);
    expect(checkSignatureRecord(record, [ended]).ok).toBe(true);
    const envelope = signVoid(key.secretKey, official, '2027-01-06T00:00:00Z', {
      commitmentDigest: C,
      reason: 'source-failed',
      requestedBy: 'u-operator',
    });
    expect(checkSignatureRecord(signatureRecord('void', '120116', C, null, envelope), [registry]).ok).toBe(
      true,
    );
  });

  it('refuses a record anyone could have logged: an unregistered key, another bureau’s registry, another signer, edited digests', () => {
    const forged = signatureRecord(
      'draw',
      '120116',
      C,
      R,
      signOff(other.secretKey, official, signed.signedAt, C, R),
    );
    expect(checkSignatureRecord(forged, [registry])).toEqual({ ok: false, rule: 'key' });
    expect(checkSignatureRecord(record, [registryOf('120101', [entry(key)])])).toEqual({
      ok: false,
      rule: 'key',
    });
    expect(checkSignatureRecord(record, [])).toEqual({ ok: false, rule: 'key' });
    const impostor = registryOf('120116', [entry(key, { id: 'u-other', name: '他人' })]);
    expect(checkSignatureRecord(record, [impostor])).toEqual({ ok: false, rule: 'signer' });
    // The signature is the official's, over other digests than the record names.
    expect(checkSignatureRecord({ ...record, resultDigest: 'e'.repeat(64) }, [registry])).toEqual({
      ok: false,
      rule: 'signature',
    });
    expect(
      checkSignatureRecord({ ...record, signature: { ...signed, signedAt: '2027-01-04T00:00:00Z' } }, [
        registry,
      ]),
    ).toEqual({ ok: false, rule: 'signature' });
  });

  it('calls anything else no record, and skips malformed registries without failing', () => {
    for (const bad of [
      null,
      'x',
      {},
      { ...record, spec: 'sr-draw/v2' },
      { ...record, of: 'void' },
      { ...record, resultDigest: null },
    ])
      expect(checkSignatureRecord(bad, [registry])).toEqual({ ok: false, rule: 'record' });
    expect(checkSignatureRecord(record, [null, { keys: 'x' }, registry]).ok).toBe(true);
  });
});
