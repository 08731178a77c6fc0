/**
 * The HTTP surface as an attacker meets it (issue 11): cross-site requests, NUL characters and
 * hostile nesting, stack traces and SQL in responses, secrets, cookies, proxies.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '@spotcheck/server';
import { BINHAI, openTestDb, PASSWORD, signedInUser, type TestDb } from '../api/harness';

let t: TestDb;
let server: RunningServer;
let prod: RunningServer;
beforeAll(async () => {
  t = await openTestDb();
  server = await startServer({ database: t.database, port: 0, staticMounts: [] });
  prod = await startServer({
    database: t.database,
    port: 0,
    staticMounts: [],
    production: true,
    keySecret: 'k'.repeat(40),
    secureCookies: false,
    // Production refuses the unpinned demo beacon; this suite is about HTTP hygiene, not draws.
    beacon: null,
  });
  await signedInUser(t.database, 'webuser', BINHAI, ['district-admin']);
});
afterAll(async () => {
  await server?.close();
  await prod?.close();
  await t?.close();
});

const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function login(base = server.url): Promise<string> {
  const res = await post(base, 'auth.login', { username: 'webuser', password: PASSWORD });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** No response body may carry a stack trace, SQL or a secret. */
function expectClean(text: string) {
  expect(text).not.toMatch(/\bat [\w.<>]+ \(|node:internal|\.ts:\d+/);
  expect(text).not.toMatch(/\b(select|insert into|update \S+ set)\b.*\b(from|values|where)\b/i);
  expect(text).not.toMatch(/Failed query|params:/);
  expect(text).not.toMatch(/\$argon2id\$|v1\.[\w-]{16}\.[\w-]{22}\./);
}

describe('cross-site requests', () => {
  it('refuses state-changing requests from a foreign Origin, multipart included', async () => {
    const cookie = await login();
    const form = new FormData();
    form.append('x', '1');
    for (const path of ['auth.logout', 'auth.logoutEverywhere']) {
      const res = await fetch(`${server.url}/trpc/${path}`, {
        method: 'POST',
        headers: { cookie, origin: 'http://evil.example' },
        body: form,
      });
      expect(res.status, path).toBe(403);
    }
    const viaFetchMeta = await fetch(`${server.url}/trpc/auth.logout`, {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
    });
    expect(viaFetchMeta.status).toBe(403);
    for (const route of ['/upload/evidence?name=a.jpg', '/upload/import/units?format=csv']) {
      const res = await fetch(`${server.url}${route}`, {
        method: 'POST',
        headers: { cookie, origin: 'https://evil.example', 'content-type': 'text/csv' },
        body: 'x',
      });
      expect(res.status, route).toBe(403);
    }
    // The session survived every attempt; the same origin still signs out.
    const me = await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie } });
    expect((await me.json()).result.data.username).toBe('webuser');
    const own = await post(
      server.url,
      'auth.logout',
      {},
      {
        cookie,
        origin: server.url,
        'sec-fetch-site': 'same-origin',
      },
    );
    expect(own.status).toBe(200);
  });
});

describe('hostile input', () => {
  it('NUL characters are a 400 naming the field, anonymously, never a 500 with SQL', async () => {
    for (const base of [server.url, prod.url]) {
      const a = await post(base, 'auth.login', { username: 'web\u0000user', password: 'x' });
      const at = await a.text();
      expect(a.status).toBe(400);
      expect(at).toMatch(/username: must not contain a NUL/);
      expectClean(at);
      const b = await fetch(
        `${base}/trpc/publications.list?input=${encodeURIComponent(JSON.stringify({ period: '2027\u0000' }))}`,
      );
      expect(b.status).toBe(400);
      expectClean(await b.text());
    }
  });

  it('a batch of more than 100 calls is refused before any runs', async () => {
    const paths = (n: number) => Array(n).fill('health').join(',');
    const ok = await fetch(`${server.url}/trpc/${paths(100)}?batch=1`);
    expect(ok.status).toBe(200);
    const tooMany = await fetch(`${server.url}/trpc/${paths(101)}?batch=1`);
    expect(tooMany.status).toBe(400);
    expectClean(await tooMany.text());
  });

  it('a body over 1 MiB is refused unread unless the caller is signed in', async () => {
    const big = JSON.stringify({ username: 'webuser', password: 'x'.repeat(1_100_000) });
    const anon = await post(server.url, 'auth.login', big);
    expect(anon.status).toBe(413);
    expect(await anon.text()).toMatch(/body: larger than 1048576 bytes/);
    const forged = await post(server.url, 'auth.login', big, { cookie: 'spotcheck_session=forged' });
    expect(forged.status).toBe(413);
    const cookie = await login();
    const signed = await post(server.url, 'auth.login', big, { cookie });
    expect(signed.status).toBe(400); // read and validated: the password is too long
  });

  it('20,000 levels of nesting are a 400', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    for (const base of [server.url, prod.url]) {
      const res = await post(base, 'auth.login', `{"username":"a","password":"b","x":${deep}}`);
      expect(res.status).toBe(400);
      expectClean(await res.text());
      const q = await post(base, 'publications.list', `{"period":${deep}}`);
      expect(q.status).toBe(400);
    }
  });

  it('production mode answers errors without stack traces', async () => {
    const bad = await post(prod.url, 'auth.login', { username: 'webuser' });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error.data.stack).toBeUndefined();
    const unauth = await fetch(`${prod.url}/trpc/users.list`);
    expect((await unauth.json()).error.data.stack).toBeUndefined();
  });

  it('never echoes password hashes or encrypted keys', async () => {
    const cookie = await login();
    const created = await post(
      server.url,
      'users.create',
      {
        username: 'echo-check',
        displayName: 'Echo',
        password: 'Zq8!vertical-lemon-drift',
        bureauCode: BINHAI,
        roles: [],
      },
      { cookie },
    );
    expect(created.status).toBe(200);
    const text = await created.text();
    expectClean(text);
    expect(text).not.toMatch(/passwordHash|signingPrivateKeyEnc/);
    const list = await fetch(`${server.url}/trpc/users.list?input=${encodeURIComponent('{}')}`, {
      headers: { cookie },
    });
    const listText = await list.text();
    expect(listText).toMatch(/echo-check/);
    expectClean(listText);
  });
});

describe('startup, cookies and proxies', () => {
  it('a production server refuses to start without its secret, naming it', async () => {
    const saved = process.env.SPOTCHECK_KEY_SECRET;
    delete process.env.SPOTCHECK_KEY_SECRET;
    try {
      await expect(
        startServer({ database: t.database, port: 0, staticMounts: [], production: true, beacon: null }),
      ).rejects.toThrow(/SPOTCHECK_KEY_SECRET/);
    } finally {
      if (saved !== undefined) process.env.SPOTCHECK_KEY_SECRET = saved;
    }
  });

  it('cookies are Secure by default except on a loopback development server', async () => {
    const lan = await startServer({ database: t.database, port: 0, host: '0.0.0.0', staticMounts: [] });
    try {
      const port = new URL(lan.url).port;
      const res = await post(`http://127.0.0.1:${port}`, 'auth.login', {
        username: 'webuser',
        password: PASSWORD,
      });
      expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
    } finally {
      await lan.close();
    }
    const local = await post(server.url, 'auth.login', { username: 'webuser', password: PASSWORD });
    expect(local.headers.get('set-cookie')).not.toMatch(/; Secure/);
  });

  it('trustProxy is settable: the forwarded address is what sign-in throttling sees', async () => {
    const proxied = await startServer({ database: t.database, port: 0, staticMounts: [], trustProxy: true });
    try {
      for (let i = 0; i < 5; i++)
        await post(
          proxied.url,
          'auth.login',
          { username: 'webuser', password: `wrong ${i}` },
          {
            'x-forwarded-for': '203.0.113.99',
          },
        );
      const blocked = await post(
        proxied.url,
        'auth.login',
        { username: 'webuser', password: PASSWORD },
        {
          'x-forwarded-for': '203.0.113.99',
        },
      );
      expect(blocked.status).toBe(429);
      const other = await post(
        proxied.url,
        'auth.login',
        { username: 'webuser', password: PASSWORD },
        {
          'x-forwarded-for': '203.0.113.100',
        },
      );
      expect(other.status).toBe(200);
    } finally {
      await proxied.close();
    }
  });

  it('behind a proxy the address is what the proxy saw, not what the client claims in X-Forwarded-For', async () => {
    const proxied = await startServer({ database: t.database, port: 0, staticMounts: [], trustProxy: true });
    try {
      // The proxy appends the real address; the attacker varies the entries in front of it.
      const fwd = (claimed: string) => ({ 'x-forwarded-for': `${claimed}, 203.0.113.150` });
      for (let i = 0; i < 5; i++)
        await post(
          proxied.url,
          'auth.login',
          { username: 'webuser', password: `wrong ${i}` },
          fwd(`10.9.9.${i}`),
        );
      const next = await post(
        proxied.url,
        'auth.login',
        { username: 'webuser', password: PASSWORD },
        fwd('10.9.9.200'),
      );
      expect(next.status).toBe(429);
    } finally {
      await proxied.close();
    }
    const twoHops = await startServer({ database: t.database, port: 0, staticMounts: [], trustProxy: 2 });
    try {
      // Two proxies: the second from the right is the client's address as the outer proxy saw it.
      const login = (fwd: string) =>
        post(
          twoHops.url,
          'auth.login',
          { username: 'webuser', password: PASSWORD },
          { 'x-forwarded-for': fwd },
        );
      expect((await login('1.2.3.4, 203.0.113.150, 10.0.0.1')).status).toBe(429);
      expect((await login('203.0.113.151, 10.0.0.1')).status).toBe(200);
    } finally {
      await twoHops.close();
    }
  });
});

describe('static files', () => {
  it('a malformed %-escape is a 404, not a crash; the admin refuses framing, the portal may be framed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'spotcheck-static-'));
    for (const app of ['admin', 'portal']) {
      mkdirSync(join(root, app));
      writeFileSync(join(root, app, 'index.html'), `<!doctype html><title>${app}</title>`);
    }
    const s = await startServer({
      database: t.database,
      port: 0,
      staticMounts: [
        { prefix: '/admin/', dir: join(root, 'admin') },
        { prefix: '/', dir: join(root, 'portal'), frameable: true },
      ],
    });
    try {
      for (const path of ['/%E0%A4%A', '/admin/%ff', '/admin/x%00.js'])
        expect((await fetch(`${s.url}${path}`)).status, path).toBe(404);
      const admin = await fetch(`${s.url}/admin/plans`);
      expect(admin.status).toBe(200);
      expect(admin.headers.get('x-frame-options')).toBe('DENY');
      expect(admin.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
      const portal = await fetch(`${s.url}/`);
      expect(portal.status).toBe(200);
      expect(portal.headers.get('x-frame-options')).toBeNull();
      expect((await fetch(`${s.url}/trpc/health`)).status).toBe(200); // still serving
    } finally {
      await s.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
