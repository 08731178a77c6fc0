/**
 * Server-side secrets and the verification of sr-draw/v1 sign-offs. The server signs no draw: v2
 * sign-offs and voids are made with keys that never leave the officials' browsers. What remains
 * here is the secret that encrypts the transparency log's own key at rest, and checking the
 * signatures stored on older v1 draws.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPublicKey,
  randomBytes,
  verify,
} from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KEY_SECRET_FILE, projectRoot } from '@spotcheck/db';

export { KEY_SECRET_FILE };

let processSecret: string | null = null;

/**
 * The server secret that encrypts the transparency log's key at rest (never a draw signer's key:
 * the server signs no draw): `SPOTCHECK_KEY_SECRET`, else a random secret of this process — never a
 * constant (a public default let anyone who read the code decrypt the keys and forge signatures).
 * Enough for in-memory databases; data that outlives the process uses {@link keySecretFor}.
 */
export function keySecretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPOTCHECK_KEY_SECRET && env.SPOTCHECK_KEY_SECRET.length > 0) return env.SPOTCHECK_KEY_SECRET;
  processSecret ??= randomBytes(32).toString('base64url');
  return processSecret;
}

/**
 * The key secret for a database: `SPOTCHECK_KEY_SECRET` when set; otherwise a random secret
 * generated on first start and kept with the data (file `spotcheck-key-secret`, mode 0600) — in the
 * embedded database's data directory, or for PostgreSQL in `.data/` of the project — so keys
 * encrypted by `db seed` still open in `start`, and no two installations share one.
 */
export function keySecretFor(
  database: { kind: 'pglite' | 'postgres'; dataDir?: string; db?: object },
  env: NodeJS.ProcessEnv = process.env,
): string {
  let secret: string;
  if (env.SPOTCHECK_KEY_SECRET && env.SPOTCHECK_KEY_SECRET.length > 0) secret = env.SPOTCHECK_KEY_SECRET;
  else if (database.dataDir) secret = dataDirKeySecret(join(database.dataDir, KEY_SECRET_FILE));
  else if (database.kind === 'postgres')
    secret = dataDirKeySecret(join(projectRoot, '.data', `postgres-${KEY_SECRET_FILE}`));
  else secret = keySecretFromEnv(env);
  // Jobs see only the drizzle handle: they find the secret of their database through it.
  if (database.db) secretOfDb.set(database.db, secret);
  return secret;
}

const secretOfDb = new WeakMap<object, string>();

/**
 * The key secret of the database behind `db`, as {@link keySecretFor} chose it for its server or
 * job runtime (so scheduled checkpoints encrypt and open the log's key with the same secret the
 * server uses, restart after restart); else {@link keySecretFromEnv}.
 */
export function keySecretOf(db: object, env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPOTCHECK_KEY_SECRET && env.SPOTCHECK_KEY_SECRET.length > 0) return env.SPOTCHECK_KEY_SECRET;
  return secretOfDb.get(db) ?? keySecretFromEnv(env);
}

/** Reads the secret in `file`, creating it (random, 0600, atomically: never half-written) when absent. */
export function dataDirKeySecret(file: string): string {
  const read = () => readFileSync(file, 'utf8').trim();
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(tmp, file); // fails if another process created it first: theirs wins
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
  }
  const secret = read();
  if (secret.length < 32)
    throw new Error(
      `${file} holds no usable key secret (fewer than 32 characters); restore it from a backup`,
    );
  return secret;
}

function kek(secret: string): Buffer {
  return createHash('sha256').update('spotcheck/signing-key-kek/v1\0').update(secret).digest();
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

/** The message an approver signed for an sr-draw/v1 draw (R24): both digests, labelled (verification only). */
export function drawSignatureMessage(commitmentDigest: string, resultDigest: string): Buffer {
  return Buffer.from(
    `sr-draw/v1 sign-off\ncommitmentDigest=${commitmentDigest}\nresultDigest=${resultDigest}\n`,
    'utf8',
  );
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
