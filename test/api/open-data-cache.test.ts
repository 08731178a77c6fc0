/**
 * The `results` open dataset built once per version of its publications (apps/api open-data.ts):
 * anyone may ask for every quarter a province published, as often as they like, so a repeated
 * request reads the publications' headers only; a new quarter, a supplement or an edited row is
 * served at once; the bytes are the uncached builder's, with a strong ETag and 304 on revalidation.
 */
import { randomBytes } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_DATASETS, openDataRows, toCsv, type OpenDataset } from '@spotcheck/api';
import { publish } from '@spotcheck/api/testing';
import { startServer, type RunningServer } from '@spotcheck/server';
import { BINHAI, HEPING, openTestDb, type TestDb } from './harness';
import { toastReadsOf } from './toast-reads';

let t: TestDb;
let server: RunningServer;
const results = OPEN_DATASETS.find((d) => d.name === 'results') as OpenDataset;
let published = 0;

/**
 * Publishes a bureau's quarter of `n` inspected units. Each summary is 4 kB of random hex, which
 * compression leaves about as large: the content is stored out of line (TOAST), so reading it
 * shows in the block count.
 */
async function quarter(
  bureauCode: string,
  period: string,
  at: string,
  opts: { n?: number; supplement?: boolean; name?: string } = {},
) {
  const n = opts.n ?? 12;
  published++;
  return publish(t.database.db, {
    bureauCode,
    kind: 'quarterly-results',
    refId: `${bureauCode}:${period}:${published}`,
    period,
    title: `${period} 随机抽查结果${opts.supplement ? '（补充公开）' : ''}`,
    content: {
      period,
      supplement: !!opts.supplement,
      inspected: n,
      items: Array.from({ length: n }, (_, i) => ({
        unit: {
          id: `91120116MA0${String(published).padStart(3, '0')}${String(i).padStart(4, '0')}`,
          name: `${opts.name ?? '缓存测试单位'}${published}-${i}`,
          industry: 'C26',
        },
        inspectedOn: `${period.slice(0, 4)}-0${Number(period.slice(-1)) * 3}-1${i % 10}`,
        outcome: i % 3 ? 'compliant' : 'violations',
        team: [
          { name: '张三', certificateNo: `12010${i}` },
          { name: '李四', certificateNo: `12011${i}` },
        ],
        counts: { violation: i % 3 ? 0 : 1, hazard: i % 2, majorHazard: 0 },
        summary:
          i === 0 ? { withheld: true, reason: 'commercial-secret' } : randomBytes(2048).toString('hex'),
      })),
    },
    by: null,
    at: new Date(at),
  });
}

beforeAll(async () => {
  t = await openTestDb();
  await quarter(BINHAI, '2026-Q1', '2026-04-20T02:00:00Z');
  await quarter(BINHAI, '2026-Q2', '2026-07-20T02:00:00Z');
  await quarter(HEPING, '2026-Q1', '2026-04-21T02:00:00Z');
  await quarter(HEPING, '2026-Q2', '2026-07-21T02:00:00Z', { n: 30 });
  server = await startServer({ database: t.database, port: 0, staticMounts: [] });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await t?.close();
});

/** A request with exactly these headers (fetch would ask for and undo compression itself). */
const raw = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((done, failed) => {
    request(server.url + path, { method, headers }, (res) => {
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

const text = async (path: string) => (await raw(path)).body.toString('utf8');

/** What the uncached builder makes of a filter, as the server writes it. */
async function built(format: 'csv' | 'json', f: { bureauCode?: string; period?: string }) {
  const rows = (await openDataRows(t.database.db, 'results', f))!;
  return format === 'csv'
    ? toCsv(results, rows)
    : JSON.stringify({ dataset: 'results', schema: `${server.url}/open/schema.json`, rows });
}

/** The query string of a filter (`bureau`, `period`). */
const query = (f: { bureauCode?: string; period?: string }) =>
  new URLSearchParams({
    ...(f.bureauCode ? { bureau: f.bureauCode } : {}),
    ...(f.period ? { period: f.period } : {}),
  }).toString();

describe('the results download, kept per version of its publications', () => {
  // Fails on the old code: each request read every selected quarter's items again.
  it('answers a repeated request with one query of headers, reading no content', async () => {
    for (const path of [
      '/open/results.csv',
      `/open/results.csv?bureau=${BINHAI}`,
      `/open/results.json?bureau=${HEPING}&period=2026-Q2`,
    ]) {
      const first = await toastReadsOf(t, () => text(path));
      // The measure sees the build read the quarters' items.
      expect(first.contentReads, path).toBe(1);
      expect(first.blocks, path).toBeGreaterThan(0);
      const again = await toastReadsOf(t, () => text(path));
      expect(again, path).toMatchObject({ statements: 1, contentReads: 0, blocks: 0 });
      expect(again.value === first.value, path).toBe(true);
    }
  });

  // Passes on the old code too (nothing was kept): the kept bytes are the builder's.
  it('serves the rows of the uncached builder, as CSV and as JSON', async () => {
    const filters = [
      {},
      { bureauCode: BINHAI },
      { bureauCode: HEPING, period: '2026-Q2' },
      { period: '2026-Q1' },
      { bureauCode: '130102' }, // no such bureau: an empty list
      { period: '2026' },
    ];
    for (const f of filters)
      for (const format of ['csv', 'json'] as const) {
        const path = `/open/results.${format}?${query(f)}`;
        const expected = await built(format, f);
        for (let i = 0; i < 2; i++) expect((await text(path)) === expected, `${path} #${i}`).toBe(true);
      }
    // Every quarter is listed: 12 + 12 + 12 + 30 units.
    expect((await built('csv', {})).trim().split('\r\n')).toHaveLength(1 + 66);
  });

  // Passes on the old code too (nothing was kept); fails on a cache keyed by less than every
  // selected publication and its row version.
  it('serves a new quarter, a backdated one, a supplement and an edited row at once', async () => {
    const paths = [
      '/open/results.csv',
      `/open/results.csv?bureau=${BINHAI}`,
      `/open/results.json?bureau=${BINHAI}`,
    ];
    const check = async (why: string) => {
      for (const path of paths) {
        const f = path.includes('bureau') ? { bureauCode: BINHAI } : {};
        const expected = await built(path.includes('.csv') ? 'csv' : 'json', f);
        expect((await text(path)) === expected, `${why}: ${path}`).toBe(true);
      }
    };
    await check('kept');
    await quarter(BINHAI, '2026-Q3', '2026-10-27T02:00:00Z', { name: '新季度单位' });
    for (const path of paths) expect(await text(path), path).toContain('新季度单位');
    await check('a new quarter');
    // Published with an earlier time than the newest (a quarter entered late): the newest
    // publication is the same as before.
    await quarter(BINHAI, '2025-Q4', '2026-01-20T02:00:00Z', { name: '补录季度单位' });
    for (const path of paths) expect(await text(path), path).toContain('补录季度单位');
    await check('a backdated quarter');
    const supplement = await quarter(BINHAI, '2026-Q3', '2026-11-10T02:00:00Z', {
      n: 2,
      supplement: true,
      name: '补充公开单位',
    });
    const csv = await text(`/open/results.csv?bureau=${BINHAI}&period=2026-Q3`);
    expect(csv).toContain(`${supplement.id},${BINHAI},2026-Q3,true,`);
    await check('a supplement');
    // Edited behind the platform's back: as many publications, the same newest one, a new row
    // version. The open data is what the database now holds (as a publication's own file is).
    await t.owner.exec(
      `update publications set content = jsonb_set(content, '{items,1,summary}', '"已被改写"') where id = $1`,
      [supplement.id],
    );
    for (const path of paths) expect(await text(path), path).toContain('已被改写');
    await check('an edited row');
    // Another bureau's new quarter leaves this bureau's kept download as it was, unread.
    await text(`/open/results.csv?bureau=${BINHAI}`);
    await quarter(HEPING, '2026-Q3', '2026-10-28T02:00:00Z');
    const other = await toastReadsOf(t, () => text(`/open/results.csv?bureau=${BINHAI}`));
    expect(other).toMatchObject({ statements: 1, contentReads: 0, blocks: 0 });
    await check('another bureau’s quarter');
  });

  // Fails on the old code: it sent no ETag (and so no 304).
  it('sends a strong ETag per encoding and answers If-None-Match with 304, reading no content', async () => {
    const path = `/open/results.csv?bureau=${HEPING}`;
    const plain = await raw(path);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('no-cache, no-transform');
    expect(plain.headers['access-control-allow-origin']).toBe('*');
    expect(plain.headers['content-disposition']).toBe(`attachment; filename="results-${HEPING}.csv"`);
    expect(plain.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    expect(plain.body.toString('utf8') === (await built('csv', { bureauCode: HEPING }))).toBe(true);
    const gz = await raw(path, { 'accept-encoding': 'gzip, br' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(gz.headers.etag).toBe(`${plain.headers.etag!.slice(0, -1)}-gzip"`);
    for (const [etag, encoding] of [
      [plain.headers.etag!, 'identity'],
      [gz.headers.etag!, 'gzip'],
      [`W/${plain.headers.etag!}`, 'identity'],
    ] as const) {
      const again = await toastReadsOf(t, () =>
        raw(path, { 'if-none-match': etag, 'accept-encoding': encoding }),
      );
      expect(again.value.status, etag).toBe(304);
      expect(again.value.body.length).toBe(0);
      expect(again).toMatchObject({ statements: 1, contentReads: 0, blocks: 0 });
    }
    // Compressed once: the same bytes again, with no read.
    const gzAgain = await toastReadsOf(t, () => raw(path, { 'accept-encoding': 'gzip' }));
    expect(gzAgain.value.body.equals(gz.body)).toBe(true);
    expect(gzAgain).toMatchObject({ statements: 1, contentReads: 0, blocks: 0 });
    const head = await raw(path, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe(plain.headers.etag);
    expect(Number(head.headers['content-length'])).toBe(plain.body.length);
    // The JSON answer names the schema at the origin asked; its ETag changes with it.
    const json = await raw(`/open/results.json?bureau=${HEPING}`);
    expect(json.body.toString('utf8') === (await built('json', { bureauCode: HEPING }))).toBe(true);
    expect(Number(json.headers['content-length'])).toBe(json.body.length);
    const elsewhere = await raw(`/open/results.json?bureau=${HEPING}`, { host: 'open.example.gov.cn' });
    expect(elsewhere.body.toString('utf8')).toContain(
      '"schema":"http://open.example.gov.cn/open/schema.json"',
    );
    expect(elsewhere.headers.etag).not.toBe(json.headers.etag);
    // A new quarter: the old validator gets the new bytes, never a 304.
    await quarter(HEPING, '2026-Q4', '2027-01-20T02:00:00Z', { name: '四季度单位' });
    const changed = await raw(path, { 'if-none-match': plain.headers.etag! });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(plain.headers.etag);
    expect(changed.body.toString('utf8')).toContain('四季度单位');
    const changedGz = await raw(path, { 'if-none-match': gz.headers.etag!, 'accept-encoding': 'gzip' });
    expect(changedGz.status).toBe(200);
    expect(gunzipSync(changedGz.body).equals(changed.body)).toBe(true);
  });

  // Fails on the old code: each of the requests read the contents.
  it('builds once for concurrent identical requests', async () => {
    // A new quarter: the kept downloads of the whole province are out of date.
    await quarter(BINHAI, '2026-Q4', '2027-01-21T02:00:00Z', { n: 200 });
    const path = '/open/results.csv';
    const all = await toastReadsOf(t, () => Promise.all([1, 2, 3, 4, 5, 6].map(() => text(path))));
    expect(all.contentReads).toBe(1);
    expect(all.statements).toBe(6 + 1);
    for (const body of all.value) expect(body === all.value[0]).toBe(true);
    expect(all.value[0] === (await built('csv', {}))).toBe(true);
  });
});
