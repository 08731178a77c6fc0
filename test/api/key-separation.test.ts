/**
 * Separation of duties for officials' keys: a key is registered by an administrator independent of
 * its owner, not by an account the owner made or can sign in as (its password set by them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '@spotcheck/api';
import { BINHAI, callerWithToken, CITY, openTestDb, PASSWORD, signedInUser, type TestDb } from './harness';
import { browserStyleKey } from '../support/official-keys';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => t?.close());

/** Signs in as an account made through the API. */
async function signIn(userId: string) {
  const { token } = await createSession(t.database.db, userId, new Date());
  return callerWithToken(t.database, token);
}

/** The error (code and message) of a rejected call. */
async function refusal(p: Promise<unknown>) {
  return p.then(
    () => ({ code: 'OK', message: '' }),
    (err: { code: string; message: string }) => ({ code: err.code, message: err.message }),
  );
}

describe('keys.register', () => {
  it('refuses an administrator the key’s owner made or reset, directly or through another account, and takes an independent one', async () => {
    // A Binhai administrator who is also an official (approver) proposes a key of their own.
    const owner = await signedInUser(t.database, 'ks-owner', BINHAI, ['district-admin', 'approver']);
    const key = await browserStyleKey();
    await owner.caller.keys.propose({ bureauCode: BINHAI, publicKey: key.publicKey });
    const admin = (username: string) => ({
      username,
      displayName: username,
      password: PASSWORD,
      bureauCode: BINHAI,
      roles: [{ role: 'district-admin' as const, bureauCode: BINHAI }],
    });
    // A second administrator account the owner creates, and one that account creates in turn.
    const second = await owner.caller.users.create(admin('ks-second'));
    const third = await (await signIn(second.id)).users.create(admin('ks-third'));
    // An administrator someone else made, whose password the owner then resets.
    const reset = await signedInUser(t.database, 'ks-reset', BINHAI, ['district-admin']);
    await owner.caller.users.resetPassword({ userId: reset.user.id, newPassword: 'Another horse 2027!' });
    for (const id of [second.id, third.id, reset.user.id]) {
      const r = await refusal((await signIn(id)).keys.register({ keyId: key.keyId }));
      expect(r.code).toBe('FORBIDDEN');
      expect(r.message).toMatch(/^keyId: .*independent of its owner/);
    }
    // An independent administrator (the district's other, or the city's) registers it.
    const city = await signedInUser(t.database, 'ks-city', CITY, ['city-admin']);
    const other = await signedInUser(t.database, 'ks-other', BINHAI, ['district-admin']);
    expect(await refusal(other.caller.keys.register({ keyId: key.keyId }))).toEqual({
      code: 'OK',
      message: '',
    });
    expect(
      (await city.caller.keys.list({ bureauCode: BINHAI })).find((k) => k.keyId === key.keyId)?.status,
    ).toBe('active');
  });
});
