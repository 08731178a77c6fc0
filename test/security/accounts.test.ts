/**
 * Account takeover and password abuse (issue 11, High + Low): cross-bureau account management,
 * parallel password guessing, lockout denial of service, weak passwords, covert unsealing through
 * a linked inspector account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '@spotcheck/db';
import { eq } from 'drizzle-orm';
import { createUser } from '@spotcheck/api';
import {
  anonymousCaller,
  BINHAI,
  CITY,
  codeOf,
  HEPING,
  openTestDb,
  PASSWORD,
  signedInUser,
  type TestDb,
} from '../api/harness';
import { buildWorld, issuedPlan, type World } from '../api/fixtures';

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await openTestDb();
  w = await buildWorld(t.database, 24);
});
afterAll(() => t?.close());

describe('account management is scoped to every bureau the target belongs to', () => {
  it('a district admin cannot reset, disable or re-role an account homed in its district holding a city role', async () => {
    // The account lives in Binhai but holds city-admin: only the city may manage it.
    const hybrid = await createUser(t.database.db, {
      username: 'hybrid-city',
      displayName: 'hybrid',
      password: PASSWORD,
      bureauCode: BINHAI,
      roles: [{ role: 'city-admin', bureauCode: CITY }],
    });
    const other = await createUser(t.database.db, {
      username: 'hybrid-heping',
      displayName: 'hybrid2',
      password: PASSWORD,
      bureauCode: BINHAI,
      roles: [{ role: 'district-admin', bureauCode: HEPING }],
    });
    const admin = w.admin.caller; // district-admin of Binhai
    for (const target of [hybrid, other]) {
      expect(
        await codeOf(
          admin.users.resetPassword({ userId: target.id, newPassword: 'Zq8!vertical-lemon-drift' }),
        ),
      ).toBe('FORBIDDEN');
      expect(await codeOf(admin.users.setStatus({ userId: target.id, status: 'disabled' }))).toBe(
        'FORBIDDEN',
      );
      expect(
        await codeOf(
          admin.users.setRoles({ userId: target.id, roles: [{ role: 'inspector', bureauCode: BINHAI }] }),
        ),
      ).toBe('FORBIDDEN');
    }
    const [row] = await t.database.db.select().from(users).where(eq(users.id, hybrid.id));
    expect(row!.status).toBe('active');
    // The city admin still manages it.
    expect(
      await codeOf(
        w.cityAdmin.caller.users.resetPassword({
          userId: hybrid.id,
          newPassword: 'Zq8!vertical-lemon-drift',
        }),
      ),
    ).toBe('OK');
  });
});

describe('own account through the admin procedures', () => {
  it('an admin cannot reset their own password (a stolen session is no takeover) nor change their own roles', async () => {
    const me = await signedInUser(t.database, 'self-admin', BINHAI, ['district-admin']);
    expect(
      await codeOf(
        me.caller.users.resetPassword({ userId: me.user.id, newPassword: 'Zq8!vertical-lemon-drift' }),
      ),
    ).toBe('BAD_REQUEST');
    expect(
      await codeOf(
        me.caller.users.setRoles({
          userId: me.user.id,
          roles: [
            { role: 'district-admin', bureauCode: BINHAI },
            { role: 'approver', bureauCode: BINHAI },
          ],
        }),
      ),
    ).toBe('BAD_REQUEST');
    const anon = await anonymousCaller(t.database, { clientAddress: '192.0.2.201' });
    expect(await codeOf(anon.auth.login({ username: 'self-admin', password: PASSWORD }))).toBe('OK');
    const [row] = await t.database.db.select().from(users).where(eq(users.id, me.user.id));
    expect(row!.status).toBe('active');
  });
});

describe('sign-in throttling', () => {
  it('60 parallel guesses on one account: at most the limit are evaluated, the right password among them fails', async () => {
    await signedInUser(t.database, 'victim1', HEPING, ['auditor']);
    const anon = await anonymousCaller(t.database, { clientAddress: '203.0.113.7' });
    const codes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        codeOf(anon.auth.login({ username: 'victim1', password: i === 59 ? PASSWORD : `wrong guess ${i}` })),
      ),
    );
    expect(codes.filter((c) => c === 'UNAUTHORIZED').length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS').length).toBeGreaterThanOrEqual(55);
    expect(codes[59]).toBe('TOO_MANY_REQUESTS');
  });

  it('100 parallel guesses from one address over many accounts: at most 30 evaluated', async () => {
    const anon = await anonymousCaller(t.database, { clientAddress: '198.51.100.1' });
    const codes = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        codeOf(anon.auth.login({ username: `spray${i}`, password: 'x' })),
      ),
    );
    expect(codes.filter((c) => c === 'UNAUTHORIZED').length).toBeLessThanOrEqual(30);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS').length).toBeGreaterThanOrEqual(70);
  });

  it('failures from other addresses do not lock the owner out of their known address', async () => {
    await signedInUser(t.database, 'victim2', HEPING, ['auditor']);
    const home = await anonymousCaller(t.database, { clientAddress: '192.0.2.10' });
    expect(await codeOf(home.auth.login({ username: 'victim2', password: PASSWORD }))).toBe('OK');
    for (let a = 0; a < 12; a++) {
      const attacker = await anonymousCaller(t.database, { clientAddress: `192.0.2.${100 + a}` });
      for (let i = 0; i < 5; i++)
        await codeOf(attacker.auth.login({ username: 'victim2', password: `nope ${i}` }));
    }
    // 60 failures on the account from elsewhere: strangers are throttled, the owner is not.
    const stranger = await anonymousCaller(t.database, { clientAddress: '192.0.2.250' });
    expect(await codeOf(stranger.auth.login({ username: 'victim2', password: PASSWORD }))).toBe(
      'TOO_MANY_REQUESTS',
    );
    expect(await codeOf(home.auth.login({ username: 'victim2', password: PASSWORD }))).toBe('OK');
  });

  it('spraying from a shared address (one office NAT) does not lock out its known users', async () => {
    await signedInUser(t.database, 'office-user', HEPING, ['auditor']);
    const office = await anonymousCaller(t.database, { clientAddress: '198.51.100.77' });
    expect(await codeOf(office.auth.login({ username: 'office-user', password: PASSWORD }))).toBe('OK');
    // A colleague behind the same address sprays 30 other accounts: the address is spent...
    for (let i = 0; i < 30; i++)
      await codeOf(office.auth.login({ username: `office-spray${i}`, password: 'x' }));
    expect(await codeOf(office.auth.login({ username: 'office-spray99', password: 'x' }))).toBe(
      'TOO_MANY_REQUESTS',
    );
    // ...but not for an account that signed in from it before.
    expect(await codeOf(office.auth.login({ username: 'office-user', password: PASSWORD }))).toBe('OK');
  });

  it('the limit ends with the window (no permanent lockout)', async () => {
    await signedInUser(t.database, 'victim3', HEPING, ['auditor']);
    let clock = Date.parse('2027-03-01T08:00:00Z');
    const { createCallerFactory, appRouter, createContextInner } = await import('@spotcheck/api');
    const caller = createCallerFactory(appRouter)(() =>
      createContextInner({ db: t.database.db, clientAddress: '192.0.2.77', now: () => new Date(clock) }),
    );
    for (let i = 0; i < 5; i++)
      await codeOf(caller.auth.login({ username: 'victim3', password: `bad ${i}` }));
    expect(await codeOf(caller.auth.login({ username: 'victim3', password: PASSWORD }))).toBe(
      'TOO_MANY_REQUESTS',
    );
    clock += 16 * 60 * 1000;
    expect(await codeOf(caller.auth.login({ username: 'victim3', password: PASSWORD }))).toBe('OK');
  });

  it('changePassword is throttled like sign-in', async () => {
    const u = await signedInUser(t.database, 'victim4', HEPING, ['auditor']);
    const codes: string[] = [];
    for (let i = 0; i < 8; i++)
      codes.push(
        await codeOf(
          u.caller.auth.changePassword({
            currentPassword: `guess ${i}`,
            newPassword: 'Zq8!vertical-lemon-drift',
          }),
        ),
      );
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('BAD_REQUEST'));
    expect(codes.slice(5)).toEqual(Array(3).fill('TOO_MANY_REQUESTS'));
  });
});

describe('password strength', () => {
  it('refuses repeated characters, common passwords and the username', async () => {
    const weak = ['aaaaaaaaaa', 'password123', 'qwertyuiop1', 'weakling-user-1', '1234567890'];
    for (const password of weak) {
      const code = await codeOf(
        w.admin.caller.users.create({
          username: 'weakling-user',
          displayName: 'Weak',
          password: password.replace('weakling-user-1', 'weakling-user2026'),
          bureauCode: BINHAI,
          roles: [],
        }),
      );
      expect(code, password).toBe('BAD_REQUEST');
    }
    const target = await createUser(t.database.db, {
      username: 'reset-me',
      displayName: 'Reset',
      password: PASSWORD,
      bureauCode: BINHAI,
      roles: [{ role: 'auditor', bureauCode: BINHAI }],
    });
    expect(
      await codeOf(w.admin.caller.users.resetPassword({ userId: target.id, newPassword: 'aaaaaaaaaa' })),
    ).toBe('BAD_REQUEST');
    expect(
      await codeOf(
        w.admin.caller.users.resetPassword({ userId: target.id, newPassword: 'reset-me-reset-me' }),
      ),
    ).toBe('BAD_REQUEST');
    const u = await signedInUser(t.database, 'changer', HEPING, ['auditor']);
    expect(
      await codeOf(u.caller.auth.changePassword({ currentPassword: PASSWORD, newPassword: 'aaaaaaaaaaaa' })),
    ).toBe('BAD_REQUEST');
  });
});

describe('users.create inspectorId', () => {
  const create = (inspectorId: string, username: string) =>
    w.admin.caller.users.create({
      username,
      displayName: username,
      password: 'Zq8!vertical-lemon-drift',
      bureauCode: BINHAI,
      roles: [{ role: 'inspector', bureauCode: BINHAI }],
      inspectorId,
    });

  it('refuses an unknown inspector, another bureau’s, one already linked, and a sealed covert team member', async () => {
    expect(await codeOf(create('I999999-0001', 'link-none'))).toBe('BAD_REQUEST');
    await w.cityAdmin.caller.inspectors.create({
      id: 'I120101-0001',
      certificateNo: 'TJ-ZF-9001',
      name: '和平执法员',
      bureauCode: HEPING,
      department: '执法支队',
      specialties: [],
      capacityPerQuarter: 10,
    });
    expect(await codeOf(create('I120101-0001', 'link-other'))).toBe('BAD_REQUEST');
    expect(await codeOf(create('I120116-0008', 'link-ok'))).toBe('OK');
    expect(await codeOf(create('I120116-0008', 'link-twice'))).toBe('CONFLICT');

    const covert = await issuedPlan(w, { title: '暗查暗访', kind: 'covert' });
    const member = covert.selected[0]!.team.find((id) => id !== 'I120116-0008')!;
    expect(await codeOf(create(member, 'link-covert'))).toBe('CONFLICT');
  });
});
