import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import { fail } from '../lib/errors';

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

/** Lowest zxcvbn score (0–4) accepted for a new password: 3 = "safely unguessable" online. */
export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | null = null;
let commonPasswords: Set<string> | null = null;

function strengthEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  });
  return estimator;
}

/** Whether a password is on the common/breached password list shipped with zxcvbn-ts. */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(zxcvbnCommon.dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return commonPasswords.has(password.toLowerCase());
}

/**
 * Refuses a weak new password with BAD_REQUEST naming `field`: shorter than
 * {@link MIN_PASSWORD_LENGTH}, on the common/breached list, containing the account's username
 * (or another of `userInputs`), or scored below {@link MIN_PASSWORD_SCORE} by zxcvbn-ts.
 */
export function checkPasswordStrength(password: string, field: string, userInputs: string[] = []): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    fail('BAD_REQUEST', field, 'password.tooShort', { min: MIN_PASSWORD_LENGTH });
  if (isCommonPassword(password)) fail('BAD_REQUEST', field, 'password.common');
  const lower = password.toLowerCase();
  for (const input of userInputs) {
    const v = input.trim().toLowerCase();
    if (v.length >= 3 && lower.includes(v)) fail('BAD_REQUEST', field, 'password.containsName');
  }
  // zxcvbn's cost grows with length; the first 100 characters decide the score anyway.
  const result = strengthEstimator().check(password.slice(0, 100), userInputs);
  if (result.score < MIN_PASSWORD_SCORE)
    fail('BAD_REQUEST', field, 'password.weak', {
      score: result.score,
      min: MIN_PASSWORD_SCORE,
      warning: result.feedback.warning ?? '',
    });
}
