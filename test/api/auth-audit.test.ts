import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain, SESSION_COOKIE } from '@spotcheck/api';
import {
  anonymousCaller,
  BINHAI,
  callerWithToken,
  CITY,
  codeOf,
  HEPING,
  openTestDb,
  PASSWORD,
  signedInUser,
  type TestDb,
} from './harness';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => t?.close());

describe('accounts and sessions', () => {
  it('signs in with a cookie that only stores a hash, and logs out', async () => {
    await signedInUser(t.database, 'alice', BINHAI, ['district-admin']);
    const cookies: string[] = [];
    const anon = await anonymousCaller(t.database, { setCookie: (c) => cookies.push(c) });
    const res = await anon.auth.login({ username: 'alice', password: PASSWORD });
    expect(res.user.roles).toEqual([{ role: 'district-admin', bureauCode: BINHAI }]);
    const cookie = cookies[0]!;
    expect(cookie).toMatch(
      new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax`),
    );
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const { rows } = await t.database.exec(
      'select token_hash from sessions where token_hash = $1 or token_hash = $2',
      [token, 'x'],
    );
    expect(rows).toHaveLength(0);
    const me = await callerWithToken(t.database, token);
    expect((await me.auth.me())?.username).toBe('alice');
    await me.auth.logout();
    expect(await (await callerWithToken(t.database, token)).auth.me()).toBeNull();
  });

  it('rejects wrong passwords and rate-limits repeated failures', async () => {
    await signedInUser(t.database, 'bob', HEPING, ['auditor']);
    const anon = await anonymousCaller(t.database, { clientAddress: '10.0.0.9' });
    for (let i = 0; i < 5; i++)
      expect(await codeOf(anon.auth.login({ username: 'bob', password: 'wrong password!' }))).toBe(
        'UNAUTHORIZED',
      );
    expect(await codeOf(anon.auth.login({ username: 'bob', password: PASSWORD }))).toBe('TOO_MANY_REQUESTS');
    expect(await codeOf(anon.auth.login({ username: 'nobody', password: 'x' }))).toBe('UNAUTHORIZED');
  });

  it('logs out everywhere', async () => {
    const a = await signedInUser(t.database, 'carol', CITY, ['city-admin']);
    const second = await (
      await anonymousCaller(t.database)
    ).auth.login({ username: 'carol', password: PASSWORD });
    expect(second.user.username).toBe('carol');
    expect(await a.caller.auth.logoutEverywhere()).toEqual({ revoked: 2 });
    expect(await codeOf(a.caller.users.list())).toBe('UNAUTHORIZED');
  });

  it('lets a district admin manage only its own bureau', async () => {
    const admin = await signedInUser(t.database, 'dave', BINHAI, ['district-admin']);
    const created = await admin.caller.users.create({
      username: 'op1',
      displayName: 'Op',
      password: PASSWORD,
      bureauCode: BINHAI,
      roles: [{ role: 'draw-operator', bureauCode: BINHAI }],
    });
    // The server signs nothing: an account carries no signing key (officials make theirs in the browser).
    expect(created).not.toHaveProperty('signingPublicKey');
    // Nor does the database: no key column on accounts, and creating one stored no key material anywhere.
    const { rows: cols } = await t.database.exec(
      "select column_name from information_schema.columns where table_name = 'users' and column_name like '%sign%'",
    );
    expect(cols).toEqual([]);
    const { rows: keys } = await t.database.exec(
      'select count(*)::int as n from signing_keys where user_id = $1',
      [created.id],
    );
    expect(keys).toEqual([{ n: 0 }]);
    const { rows: stored } = await t.database.exec(
      'select row_to_json(u)::text as j from users u where id = $1',
      [created.id],
    );
    expect((stored[0] as { j: string }).j).not.toMatch(
      /MCowBQYDK2Vw|MC4CAQAwBQYDK2Vw|v1\.[A-Za-z0-9_-]{16}\./,
    );
    expect(
      await codeOf(
        admin.caller.users.create({
          username: 'op2',
          displayName: 'Op',
          password: PASSWORD,
          bureauCode: HEPING,
          roles: [],
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await codeOf(
        admin.caller.users.create({
          username: 'op1',
          displayName: 'Op',
          password: PASSWORD,
          bureauCode: BINHAI,
          roles: [],
        }),
      ),
    ).toBe('BAD_REQUEST');
    const err = await admin.caller.users
      .create({ username: 'op3', displayName: 'Op', password: 'short', bureauCode: BINHAI, roles: [] })
      .catch((e: unknown) => e as Error & { code: string });
    expect((err as Error).message).toMatch(/^password: /);
    const list = await admin.caller.users.list();
    expect(list.every((u) => u.bureauCode === BINHAI)).toBe(true);
  });
});

describe('audit trail', () => {
  it('chains every mutation', async () => {
    const report = await verifyAuditChain(t.database.db);
    expect(report.ok).toBe(true);
    expect(report.count).toBeGreaterThan(5);
  });
});
