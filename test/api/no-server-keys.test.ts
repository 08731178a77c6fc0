import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserStyleKey } from '../support/official-keys';
import { BINHAI, CITY, codeOf, openTestDb, signedInUser, type TestDb } from './harness';

/** The server signs nothing: officials' keys are made in browsers, and they stay the bureau's. */
describe('no server-side signing keys', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => t?.close());

  it('creates accounts without any key, and an official’s registered browser key cannot pose as a log witness', async () => {
    const admin = await signedInUser(t.database, 'nk-admin', BINHAI, ['district-admin']);
    const city = await signedInUser(t.database, 'nk-city', CITY, ['city-admin']);
    const approver = await signedInUser(t.database, 'nk-approver', BINHAI, ['approver']);
    const { rows: before } = await t.database.exec('select count(*)::int as n from signing_keys');
    await admin.caller.users.create({
      username: 'nk-new',
      displayName: '新审批人',
      password: 'Spotcheck@2027-long',
      bureauCode: BINHAI,
      roles: [{ role: 'approver', bureauCode: BINHAI }],
    });
    // No key appeared anywhere on the server for the new account.
    expect((await t.database.exec('select count(*)::int as n from signing_keys')).rows).toEqual(before);
    // A browser-made key, proposed and registered: the only kind of signing key the bureau has.
    const key = await browserStyleKey();
    await approver.caller.keys.propose({ bureauCode: BINHAI, publicKey: key.publicKey });
    await admin.caller.keys.register({ keyId: key.keyId });
    const asWitness = city.caller.transparency.addWitness({
      name: 'witness.example.org',
      label: '伪装的见证人',
      publicKey: Buffer.from(key.publicKey, 'hex').toString('base64'),
    });
    const err = await asWitness.catch((e: unknown) => e as { code: string; message: string });
    expect((err as { code: string }).code).toBe('BAD_REQUEST');
    expect((err as { message: string }).message).toContain("is an official's signing key");
    // A key of its own is accepted as a witness.
    const own = await browserStyleKey();
    expect(
      await codeOf(
        city.caller.transparency.addWitness({
          name: 'witness.example.org',
          label: '独立见证人',
          publicKey: Buffer.from(own.publicKey, 'hex').toString('base64'),
        }),
      ),
    ).toBe('OK');
  });
});
