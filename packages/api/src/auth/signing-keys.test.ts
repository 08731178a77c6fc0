import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as signingKeys from './signing-keys';
import { decryptSecret, drawSignatureMessage, encryptSecret, verifyEd25519 } from './signing-keys';

describe('server secrets and v1 sign-off verification', () => {
  it('verifies a stored sr-draw/v1 signature against its public key, and only for its digests', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const msg = drawSignatureMessage('a'.repeat(64), 'b'.repeat(64));
    const sig = sign(null, msg, privateKey).toString('base64');
    expect(verifyEd25519(spki, msg, sig)).toBe(true);
    expect(verifyEd25519(spki, drawSignatureMessage('a'.repeat(64), 'c'.repeat(64)), sig)).toBe(false);
  });

  it('offers no way to make or use a server-side draw signing key (the server signs nothing)', () => {
    expect(Object.keys(signingKeys).sort()).toEqual([
      'KEY_SECRET_FILE',
      'dataDirKeySecret',
      'decryptSecret',
      'drawSignatureMessage',
      'encryptSecret',
      'keySecretFor',
      'keySecretFromEnv',
      'keySecretOf',
      'verifyEd25519',
    ]);
  });

  it('refuses a wrong server secret or altered ciphertext', () => {
    const enc = encryptSecret(Buffer.from('private'), 'right');
    expect(decryptSecret(enc, 'right').toString()).toBe('private');
    expect(() => decryptSecret(enc, 'wrong')).toThrow();
    const parts = enc.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => decryptSecret(parts.join('.'), 'right')).toThrow();
  });
});
