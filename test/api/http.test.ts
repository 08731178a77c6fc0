import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackDir } from '@spotcheck/rules/load';
import { startServer, type RunningServer } from '@spotcheck/server';
import { BINHAI, openTestDb, PASSWORD, signedInUser, type TestDb } from './harness';
import { publish } from '@spotcheck/api/testing';

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

describe('compression', () => {
  /** A GET with an explicit Accept-Encoding; the raw (still encoded) body and the headers. */
  const rawGet = (url: string, encoding: string | null, post?: { body: string; cookie: string }) =>
    new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((done, failed) => {
      const headers: Record<string, string> = encoding ? { 'accept-encoding': encoding } : {};
      if (post) Object.assign(headers, { 'content-type': 'application/json', cookie: post.cookie });
      request(url, { method: post ? 'POST' : 'GET', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', failed);
      })
        .on('error', failed)
        .end(post?.body);
    });
  let spa: RunningServer;
  let dir: string;
  const script = Buffer.from(
    `export const 名单 = ${JSON.stringify(Array.from({ length: 4000 }, (_, i) => `单位${i}`))};\n`,
  );
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spa-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), script);
    spa = await startServer({ database: t.database, port: 0, staticMounts: [{ prefix: '/', dir }] });
  });
  afterAll(async () => {
    await spa?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves JavaScript brotli- or gzip-compressed as the client asks, byte-identical once decoded', async () => {
    const br = await rawGet(`${spa.url}/assets/app.js`, 'gzip, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(br.body).equals(script)).toBe(true);
    const gz = await rawGet(`${spa.url}/assets/app.js`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(script)).toBe(true);
    const plain = await rawGet(`${spa.url}/assets/app.js`, null);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(script)).toBe(true);
  });

  it('compresses large API answers and leaves evidence downloads as stored', async () => {
    // A batch of eight bureau lists: a few kB of JSON, as the admin's first screen asks.
    const batch = Array.from({ length: 8 }, () => 'bureaus.list').join(',');
    const answer = await rawGet(`${spa.url}/trpc/${batch}?batch=1&input=%7B%7D`, 'gzip');
    expect(answer.headers['content-encoding']).toBe('gzip');
    const text = gunzipSync(answer.body).toString('utf8');
    expect(text.length).toBeGreaterThan(1024);
    expect(answer.body.length).toBeLessThan(text.length / 2);
    const data = JSON.parse(text) as { result: { data: { code: string }[] } }[];
    expect(data).toHaveLength(8);
    expect(data[7]!.result.data.map((b) => b.code)).toContain(BINHAI);
    const evidence = await rawGet(`${spa.url}/evidence/${'a'.repeat(64)}`, 'gzip, br');
    expect(evidence.headers['content-encoding']).toBeUndefined();
  });
});

describe('publication files (GET /open/publication/<id>.json)', () => {
  const raw = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((done, failed) => {
      request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', failed);
      })
        .on('error', failed)
        .end();
    });
  let id: string;
  beforeAll(async () => {
    const row = await publish(t.database.db, {
      bureauCode: BINHAI,
      kind: 'procedure',
      refId: 'file-test',
      title: '随机抽查工作细则（文件下载测试）',
      content: { items: Array.from({ length: 3000 }, (_, i) => `第${i}条：检查事项与方式`) },
      by: null,
      at: new Date('2027-01-05T02:00:00Z'),
    });
    id = row.id;
  });

  it('is the record publications.get returns, gzip-encoded when asked, immutable', async () => {
    const viaApi = (await (await get('publications.get', { id })).json()) as { result: { data: unknown } };
    const plain = await raw(`${server.url}/open/publication/${id}.json`);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(plain.body.toString('utf8'))).toEqual(viaApi.result.data);
    const gz = await raw(`${server.url}/open/publication/${id}.json`, { 'accept-encoding': 'gzip, br' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.length).toBeLessThan(plain.body.length / 4);
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    // Each encoding has its own strong validator, and both revalidate to 304 with no body.
    expect(gz.headers.etag).not.toBe(plain.headers.etag);
    for (const etag of [plain.headers.etag!, gz.headers.etag!]) {
      const again = await raw(`${server.url}/open/publication/${id}.json`, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
    }
    expect(
      (await raw(`${server.url}/open/publication/${id}.json`, { 'if-none-match': '"other"' })).status,
    ).toBe(200);
  });

  it('serves byte ranges of the plain file, refuses an unsatisfiable one, and 404s an unknown id', async () => {
    const whole = (await raw(`${server.url}/open/publication/${id}.json`)).body;
    const part = await raw(`${server.url}/open/publication/${id}.json`, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${whole.length}`);
    expect(part.body.equals(whole.subarray(100, 200))).toBe(true);
    const tail = await raw(`${server.url}/open/publication/${id}.json`, {
      range: `bytes=${whole.length - 10}-`,
    });
    expect(tail.body.equals(whole.subarray(whole.length - 10))).toBe(true);
    const beyond = await raw(`${server.url}/open/publication/${id}.json`, {
      range: `bytes=${whole.length + 5}-`,
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${whole.length}`);
    const head = await raw(`${server.url}/open/publication/${id}.json`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(whole.length);
    const missing = await raw(`${server.url}/open/publication/00000000-0000-4000-8000-000000000000.json`);
    expect(missing.status).toBe(404);
    // Not a publication id: the open-data router's 404, never a database error.
    expect((await raw(`${server.url}/open/publication/x'or'1.json`)).status).toBe(404);
    expect((await raw(`${server.url}/open/publication/${id}.json`, {}, 'POST')).status).not.toBe(200);
  });

  it('serves a publication as the database now holds it, not the bytes cached before it was edited', async () => {
    const url = `${server.url}/open/publication/${id}.json`;
    const first = await raw(url);
    const before = JSON.parse(first.body.toString('utf8')) as {
      digest: string;
      content: { items: string[] };
    };
    expect(before.content.items).toHaveLength(3000);
    // An insider edits the stored record behind the platform's back (the log's leaf still holds
    // the old digest): a monitor reading the file must see the edit now, not after a restart.
    const edited = { items: ['第0条：已被改写'] };
    await t.owner.exec(`update publications set content = $2 where id = $1`, [id, JSON.stringify(edited)]);
    try {
      const plain = JSON.parse((await raw(url)).body.toString('utf8')) as { content: unknown };
      expect(plain.content).toEqual(edited);
      // A client revalidating the bytes it read before the edit is sent the edited ones, not a 304;
      // one resuming a download of the old bytes gets the whole new file, never a splice of both.
      const revalidated = await raw(url, { 'if-none-match': first.headers.etag! });
      expect(revalidated.status).toBe(200);
      expect(JSON.parse(revalidated.body.toString('utf8')).content).toEqual(edited);
      const resumed = await raw(url, { range: 'bytes=10-', 'if-range': first.headers.etag! });
      expect(resumed.status).toBe(200);
      expect(JSON.parse(resumed.body.toString('utf8')).content).toEqual(edited);
      const current = await raw(url, { range: 'bytes=10-', 'if-range': revalidated.headers.etag! });
      expect(current.status).toBe(206);
      expect(current.body.equals(revalidated.body.subarray(10))).toBe(true);
      // Even a stored digest no longer a digest is served as the record holds it, valid JSON.
      await t.owner.exec(`update publications set digest = 'abc "def' where id = $1`, [id]);
      const odd = await raw(url);
      expect(JSON.parse(odd.body.toString('utf8'))).toMatchObject({
        id,
        digest: 'abc "def',
        content: edited,
      });
      const gz = await raw(url, { 'accept-encoding': 'gzip' });
      expect(JSON.parse(gunzipSync(gz.body).toString('utf8')).content).toEqual(edited);
    } finally {
      await t.owner.exec(`update publications set content = $2, digest = $3 where id = $1`, [
        id,
        JSON.stringify(before.content),
        before.digest,
      ]);
    }
    expect(JSON.parse((await raw(url)).body.toString('utf8')).content).toEqual(before.content);
  });
});
