import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';

/** Development default of `SPOTCHECK_KEY_SECRET`; production deployments must set their own. */
export const DEV_KEY_SECRET = 'spotcheck-dev-key-secret-change-me';

/** The server secret that encrypts users' signing keys at rest (`SPOTCHECK_KEY_SECRET`). */
export function keySecretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.SPOTCHECK_KEY_SECRET && env.SPOTCHECK_KEY_SECRET.length > 0
    ? env.SPOTCHECK_KEY_SECRET
    : DEV_KEY_SECRET;
}

function kek(secret: string): Buffer {
  return createHash('sha256').update('spotcheck/signing-key-kek/v1\0').update(secret).digest();
}

/** A new Ed25519 key pair: public key as base64 SPKI DER, private key as PKCS#8 DER encrypted with the secret. */
export function generateSigningKeyPair(secret: string): { publicKey: string; privateKeyEnc: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  return { publicKey: spki.toString('base64'), privateKeyEnc: encryptSecret(pkcs8, secret) };
}

/** AES-256-GCM encryption: `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function encryptSecret(plain: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek(secret), iv);
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [
    'v1',
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    ct.toString('base64url'),
  ].join('.');
}

/** Reverses {@link encryptSecret}; throws when the secret is wrong or the data was altered. */
export function decryptSecret(enc: string, secret: string): Buffer {
  const [v, iv, tag, ct] = enc.split('.');
  if (v !== 'v1' || !iv || !tag || !ct) throw new Error('unknown encrypted key format');
  const decipher = createDecipheriv('aes-256-gcm', kek(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
}

/** The message an approver signs for a draw (R24): both digests, labelled. */
export function drawSignatureMessage(commitmentDigest: string, resultDigest: string): Buffer {
  return Buffer.from(
    `sr-draw/v1 sign-off\ncommitmentDigest=${commitmentDigest}\nresultDigest=${resultDigest}\n`,
    'utf8',
  );
}

/** Signs a message with an encrypted Ed25519 private key; returns the base64 signature. */
export function signWithEncryptedKey(privateKeyEnc: string, secret: string, message: Buffer): string {
  const key = createPrivateKey({ key: decryptSecret(privateKeyEnc, secret), format: 'der', type: 'pkcs8' });
  return sign(null, message, key).toString('base64');
}

/** Verifies a base64 Ed25519 signature against a base64 SPKI public key. Anyone can run this. */
export function verifyEd25519(publicKeySpkiB64: string, message: Buffer, signatureB64: string): boolean {
  try {
    const key = createPublicKey({
      key: Buffer.from(publicKeySpkiB64, 'base64'),
      format: 'der',
      type: 'spki',
    });
    return verify(null, message, key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}
