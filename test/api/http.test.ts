import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackDir } from '../../packages/rules/src/load';
import { startServer, type RunningServer } from '../../apps/api/src';
import { BINHAI, openTestDb, PASSWORD, signedInUser, type TestDb } from './harness';

let t: TestDb;
let server: RunningServer;
beforeAll(async () => {
  t = await openTestDb();
  server = await startServer({ database: t.database, port: 0, staticMounts: [] });
  await signedInUser(t.database, 'webuser', BINHAI, ['district-admin']);
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

const post = (path: string, body: unknown, cookie?: string) =>
  fetch(`${server.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
const get = (path: string, input: unknown, cookie?: string) =>
  fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: cookie ? { cookie } : {},
  });

describe('HTTP', () => {
  it('signs in with an HttpOnly SameSite=Lax cookie and uses it', async () => {
    const res = await post('auth.login', { username: 'webuser', password: PASSWORD });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^spotcheck_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const cookie = setCookie.split(';')[0]!;
    const me = await (await get('auth.me', undefined, cookie)).json();
    expect(me.result.data.username).toBe('webuser');
    const out = await post('auth.logout', undefined, cookie);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const after = await (await get('auth.me', undefined, cookie)).json();
    expect(after.result.data).toBeNull();
  });

  it('answers a bad input with a 400 naming the field, and anonymous calls with 401', async () => {
    const res = await post('auth.login', { username: 'webuser' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.message).toMatch(/^password: /);
    expect((await get('users.list', {})).status).toBe(401);
  });

  it('accepts queries whose input is too large for a URL as POST (method override)', async () => {
    const login = await post('auth.login', { username: 'webuser', password: PASSWORD });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const files = readPackDir(resolve(__dirname, '../../rules/tianjin/city')).files;
    expect(JSON.stringify(files).length).toBeGreaterThan(16 * 1024);
    const res = await post('rulePacks.validate', { files }, cookie);
    expect(res.status).toBe(200);
    expect((await res.json()).result.data).toMatchObject({ ok: true, pack: { id: 'tianjin/city' } });
  });

  it('serves 404 outside the API when no SPA is built', async () => {
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
  });
});
