/**
 * The absolute links of the open data (the JSON's schema) and the Atom feeds (apps/api
 * open-data.ts) never come from what a client puts in `Host`: with a public URL configured
 * (`SPOTCHECK_PUBLIC_URL`) every link starts with it; without one (the demo) a `Host` that is not
 * a host and port is refused, and an answer built from `Host` says `Vary: Host`. Otherwise a cache
 * in front that keys without Host would hand every reader links to the attacker's site.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from '@spotcheck/api/testing';
import { startServer, type RunningServer } from '@spotcheck/server';
import { BINHAI, openTestDb, type TestDb } from './harness';

const PUBLIC_URL = 'https://portal.example.gov.cn/spotcheck';

let t: TestDb;
/** Started with `SPOTCHECK_PUBLIC_URL` (with a trailing slash, which links do not double). */
let configured: RunningServer;
/** Started without a public URL: the zero-setup demo. */
let demo: RunningServer;

beforeAll(async () => {
  t = await openTestDb();
  await publish(t.database.db, {
    bureauCode: BINHAI,
    kind: 'quarterly-results',
    refId: `${BINHAI}:2026-Q1`,
    period: '2026-Q1',
    title: '2026-Q1 随机抽查结果',
    content: {
      period: '2026-Q1',
      supplement: false,
      inspected: 1,
      items: [
        {
          unit: { id: '91120116MA0LINK0001', name: '链接测试单位', industry: 'C26' },
          inspectedOn: '2026-03-10',
          outcome: 'compliant',
          team: [{ name: '张三', certificateNo: '120101' }],
          counts: { violation: 0, hazard: 0, majorHazard: 0 },
          summary: '无问题',
        },
      ],
    },
    by: null,
    at: new Date('2026-04-20T02:00:00Z'),
  });
  const saved = process.env.SPOTCHECK_PUBLIC_URL;
  process.env.SPOTCHECK_PUBLIC_URL = `${PUBLIC_URL}/`;
  try {
    configured = await startServer({ database: t.database, port: 0, staticMounts: [] });
  } finally {
    if (saved === undefined) delete process.env.SPOTCHECK_PUBLIC_URL;
    else process.env.SPOTCHECK_PUBLIC_URL = saved;
  }
  demo = await startServer({ database: t.database, port: 0, staticMounts: [] });
}, 120_000);

afterAll(async () => {
  await configured?.close();
  await demo?.close();
  await t?.close();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A GET with exactly this `Host` (and other headers), the body gunzipped when it came so. */
const get = (server: RunningServer, path: string, host: string, headers: Record<string, string> = {}) =>
  new Promise<Answer & { raw: Buffer }>((done, failed) => {
    request(server.url + path, { headers: { ...headers, host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        done({ status: res.statusCode!, headers: res.headers, body: body.toString('utf8'), raw });
      });
      res.on('error', failed);
    })
      .on('error', failed)
      .end();
  });

/** The status of an HTTP/1.0 GET without a `Host` header (which HTTP/1.0 allows). */
const statusWithoutHost = (server: RunningServer, path: string) =>
  new Promise<number>((done, failed) => {
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => done(Number(/^HTTP\/1\.\d (\d{3})/.exec(Buffer.concat(chunks).toString())?.[1])));
    socket.on('error', failed);
    socket.end(`GET ${path} HTTP/1.0\r\n\r\n`);
  });

/** Every absolute URL an answer names (feed links, ids, the JSON's schema). */
const absoluteLinks = (body: string) => body.match(/[a-z][a-z0-9+.-]*:\/\/[^"'<>\s]+/gi) ?? [];

const FEED = `/feed/${BINHAI}.atom`;
/** The answers that carry absolute links. */
const LINKED = [FEED, '/open/results.json', `/open/results.json?bureau=${BINHAI}`, '/open/publications.json'];

/** Hosts a client may send: an attacker's site, with a path, with credentials, with spaces. */
const HOSTILE = [
  'evil.example',
  'evil.example/path',
  'a@b',
  ' spaced',
  'evil.example spaced',
  'portal.example.gov.cn@evil.example',
  'evil.example:8080',
];

describe('with a public URL configured', () => {
  // Fails on the old code: every link started with `http://` and the client's Host.
  it('builds every link from it, whatever the Host', async () => {
    const normal = new URL(configured.url).host;
    for (const host of [normal, ...HOSTILE])
      for (const path of LINKED) {
        const a = await get(configured, path, host);
        expect(a.status, `${host} ${path}`).toBe(200);
        const links = absoluteLinks(a.body);
        expect(links.length, `${host} ${path}`).toBeGreaterThan(0);
        for (const link of links) {
          // The feed's own links, and the xmlns/generator URLs the feed library writes.
          if (/^https?:\/\/(www\.w3\.org|github\.com)\//.test(link)) continue;
          expect(link.startsWith(`${PUBLIC_URL}/`), `${host} ${path}: ${link}`).toBe(true);
        }
        for (const word of ['evil', 'a@b', 'spaced', normal])
          expect(a.body.includes(word), `${host} ${path} names ${word}`).toBe(false);
        expect(String(a.headers.vary ?? ''), `${host} ${path}`).not.toMatch(/\bhost\b/i);
      }
    const feed = await get(configured, FEED, 'evil.example');
    expect(feed.body).toContain(`<id>${PUBLIC_URL}/feed/${BINHAI}.atom</id>`);
    expect(feed.body).toContain(`href="${PUBLIC_URL}/?bureau=${BINHAI}"`);
    expect(feed.body).toMatch(
      new RegExp(`href="${PUBLIC_URL}/publication/[0-9a-f-]{36}\\?bureau=${BINHAI}"`),
    );
    const json = await get(configured, '/open/publications.json', 'a@b');
    expect(JSON.parse(json.body).schema).toBe(`${PUBLIC_URL}/open/schema.json`);
  });

  // Fails on the old code: each Host framed the JSON anew (its own bytes, ETag and gzip).
  it('serves the kept results download alike to every Host: one ETag, one gzip', async () => {
    const path = `/open/results.json?bureau=${BINHAI}`;
    const plain = await Promise.all(HOSTILE.map((host) => get(configured, path, host)));
    const zipped = await Promise.all(
      HOSTILE.map((host) => get(configured, path, host, { 'accept-encoding': 'gzip' })),
    );
    for (const a of [...plain, ...zipped]) expect(a.body).toBe(plain[0]!.body);
    for (const a of plain) expect(a.headers.etag).toBe(plain[0]!.headers.etag);
    for (const a of zipped) {
      expect(a.headers['content-encoding']).toBe('gzip');
      expect(a.headers.etag).toBe(zipped[0]!.headers.etag);
      expect(a.raw.equals(zipped[0]!.raw)).toBe(true);
    }
    // Revalidated under another Host: still the same bytes.
    const again = await get(configured, path, 'other.example', { 'if-none-match': plain[0]!.headers.etag! });
    expect(again.status).toBe(304);
  });

  // Fails on the old code: it started with any value and ignored it.
  it('refuses to start with an address links cannot be built from', async () => {
    for (const publicUrl of [
      'portal.example.gov.cn',
      'ftp://portal.example.gov.cn',
      'https://user:secret@portal.example.gov.cn',
      'https://portal.example.gov.cn/?x=1',
      'https://portal.example.gov.cn/#top',
    ]) {
      const started = startServer({ database: t.database, port: 0, staticMounts: [], publicUrl });
      // An old server that started anyway is closed again.
      const outcome = await started.then(
        async (s) => (await s.close(), 'started'),
        (e: Error) => e.message,
      );
      expect(outcome, publicUrl).toContain('SPOTCHECK_PUBLIC_URL');
    }
  });
});

describe('without a public URL (the demo)', () => {
  // Fails on the old code: it answered 200 with links to whatever Host said.
  it('refuses a Host that is not a host name or address and a port', async () => {
    for (const host of [
      'evil.example/path',
      'a@b',
      'evil.example spaced',
      'portal.example.gov.cn@evil.example',
      'http://evil.example',
      'evil.example:99999',
      'evil.example:80:81',
      'evil.example?x',
      'evil.example#x',
      '[::1',
      '[evil.example]',
    ])
      for (const path of LINKED) {
        const a = await get(demo, path, host);
        expect(a.status, `${host} ${path}`).toBe(400);
        expect(a.body, `${host} ${path}`).toMatch(/^Host: /);
        expect(a.body, `${host} ${path}`).not.toContain('evil');
        expect(a.headers['content-disposition'], `${host} ${path}`).toBeUndefined();
      }
    // Nothing links to a made-up `localhost` either.
    for (const path of LINKED) expect(await statusWithoutHost(demo, path), path).toBe(400);
    // The CSV links nowhere: it is served whatever the Host.
    const csv = await get(demo, `/open/results.csv?bureau=${BINHAI}`, 'a@b');
    expect(csv.status).toBe(200);
    expect(csv.body).toContain('链接测试单位');
    expect((await get(demo, '/open/schema.json', 'a@b')).status).toBe(200);
  });

  // Fails on the old code: the answers, built from Host, did not say `Vary: Host`.
  it('builds links from a host and port as before, and says the answer varies with Host', async () => {
    const port = new URL(demo.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'open.example.gov.cn'])
      for (const path of LINKED) {
        const a = await get(demo, path, host);
        expect(a.status, `${host} ${path}`).toBe(200);
        expect(String(a.headers.vary), `${host} ${path}`).toMatch(/\bHost\b/);
        for (const link of absoluteLinks(a.body)) {
          if (/^https?:\/\/(www\.w3\.org|github\.com)\//.test(link)) continue;
          expect(link.startsWith(`http://${host}/`), `${host} ${path}: ${link}`).toBe(true);
        }
      }
    const feed = await get(demo, FEED, `localhost:${port}`);
    expect(feed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(feed.body).toContain(`<id>http://localhost:${port}/feed/${BINHAI}.atom</id>`);
    expect(feed.body).toContain('2026-Q1 随机抽查结果');
    const json = await get(demo, `/open/results.json?bureau=${BINHAI}`, `localhost:${port}`);
    expect(JSON.parse(json.body).schema).toBe(`http://localhost:${port}/open/schema.json`);
    expect(json.headers.vary).toBe('Accept-Encoding, Host');
  });
});
