/**
 * Checks of officials' signatures on draws and voids (sr-draw/v2 §6, §9.4, §9.7). The envelope is
 * built and signed in the official's browser with a key that never leaves it; the server checks
 * the signature, the keyId and the bureau's published registry before storing anything, and
 * signs nothing itself (core's `checkSigner` / `verifyVoid` do the checking).
 */
import { z } from 'zod';
import { fail } from './errors';

const ZIdent = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'expected an identifier');
const ZInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'expected whole seconds UTC, e.g. 2027-01-04T09:00:00Z');

/** The signer block: `{id, name, keyId}`. */
export const ZSignerSchema = z.strictObject({
  id: ZIdent,
  name: z.string().min(1).max(200),
  keyId: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
});

/** A sign-off as sent by the browser. */
export const ZSignOffSchema = z.strictObject({
  signer: ZSignerSchema,
  signedAt: ZInstant,
  signature: z.string().regex(/^[0-9a-f]{128}$/, 'expected 128 lowercase hex digits'),
});

/** Whole-second sign time close to the server clock (±5 min), so no one back- or forward-dates a signature. */
export function checkSignedAtNear(field: string, signedAt: string, now: Date): void {
  const t = Date.parse(signedAt);
  if (!Number.isFinite(t) || Math.abs(t - now.getTime()) > 5 * 60_000)
    fail('BAD_REQUEST', `${field}.signedAt`, 'signOff.clockSkew', { now: now.toISOString() });
}
