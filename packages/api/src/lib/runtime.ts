/**
 * Runtime mode and input hygiene shared by the HTTP server and every procedure.
 * Production mode is explicit: `NODE_ENV=production` or `SPOTCHECK_PRODUCTION=1` (`--production`).
 */

import { fail } from './errors';

/** Whether the process runs in production mode (no stack traces; secrets required). */
export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'production' || env.SPOTCHECK_PRODUCTION === '1';
}

/** Secrets a production server cannot run without, with why each is needed. */
export const REQUIRED_SECRETS: Record<string, string> = {
  SPOTCHECK_KEY_SECRET:
    'encrypts signing keys at rest and derives the audit checkpoint key (at least 32 characters)',
};

/** The required secrets missing from `env` (empty or too short values count as missing). */
export function missingSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.keys(REQUIRED_SECRETS).filter((name) => (env[name] ?? '').length < 32);
}

/** Thrown when production mode lacks a secret; the message is one line naming it. */
export class MissingSecretError extends Error {
  override name = 'MissingSecretError';
}

/** Throws {@link MissingSecretError} naming each missing secret, in production mode only. */
export function assertProductionSecrets(env: NodeJS.ProcessEnv = process.env): void {
  if (!isProduction(env)) return;
  const missing = missingSecrets(env);
  if (missing.length)
    throw new MissingSecretError(
      `production mode needs ${missing.map((m) => `${m} (${REQUIRED_SECRETS[m]})`).join(', ')}; set it and start again`,
    );
}

/** Deepest nesting accepted in a procedure's input. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Refuses input PostgreSQL or the validators cannot take, before anything parses it: a NUL
 * character in any string or key (PostgreSQL text cannot hold it) and nesting deeper than
 * {@link MAX_INPUT_DEPTH}. Iterative, so hostile depth cannot overflow the stack.
 */
export function checkInputShape(input: unknown): void {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: input, path: 'input', depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) fail('BAD_REQUEST', path, 'input.nul');
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) fail('BAD_REQUEST', path, 'input.tooDeep', { max: MAX_INPUT_DEPTH });
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], path: `${path}.${i}`, depth: depth + 1 });
    } else if (!(v instanceof Uint8Array) && !(v instanceof Date)) {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000')) fail('BAD_REQUEST', path, 'input.keyNul');
        stack.push({ v: child, path: `${path}.${k}`, depth: depth + 1 });
      }
    }
  }
}
