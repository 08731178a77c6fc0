import { hash, verify } from '@node-rs/argon2';

/** argon2id (the `Algorithm.Argon2id` const enum value, inlined for isolatedModules). */
const ARGON2ID = 2;

/** Minimum password length accepted for local accounts. */
export const MIN_PASSWORD_LENGTH = 10;

/** Hashes a password with argon2id (OWASP parameters: 19 MiB, 2 passes). */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

/** Checks a password against an argon2 hash; false (never throws) on a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, to spend the same time when the user does not exist. */
let dummyHash: Promise<string> | null = null;

/** Runs one verification against a dummy hash so unknown usernames cost as much as known ones. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password-' + Math.random());
  await verifyPassword(await dummyHash, password);
}
