import { describe, expect, it } from 'vitest';
import {
  decryptSecret,
  drawSignatureMessage,
  encryptSecret,
  generateSigningKeyPair,
  signWithEncryptedKey,
  verifyEd25519,
} from './signing-keys';

describe('signing keys', () => {
  it('signs with the encrypted private key and verifies with the public key', () => {
    const { publicKey, privateKeyEnc } = generateSigningKeyPair('secret-1');
    const msg = drawSignatureMessage('a'.repeat(64), 'b'.repeat(64));
    const sig = signWithEncryptedKey(privateKeyEnc, 'secret-1', msg);
    expect(verifyEd25519(publicKey, msg, sig)).toBe(true);
    expect(verifyEd25519(publicKey, drawSignatureMessage('a'.repeat(64), 'c'.repeat(64)), sig)).toBe(false);
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
