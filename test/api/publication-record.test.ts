/**
 * The kept JSON of a publication record and its gzip (packages/api publication-record.ts): a
 * record whose JSON fits the cache stays kept when it is compressed, whether or not its gzip fits
 * beside it (issue 16: a city draw's record is ~1.5·10^8 bytes against a 512 MiB cache).
 */
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicationRecordLoader, publicationRecordReads, publish } from '@spotcheck/api/testing';
import { BINHAI, openTestDb, type TestDb } from './harness';

let t: TestDb;
let id: string;

beforeAll(async () => {
  t = await openTestDb();
  // Random hex: gzip halves it at best, so JSON and gzip together are ~1.5 times the JSON.
  const pub = await publish(t.database.db, {
    bureauCode: BINHAI,
    kind: 'key-registry',
    refId: BINHAI,
    title: '缓存',
    content: { noise: randomBytes(100_000).toString('hex') },
    by: null,
    at: new Date(),
  });
  id = pub.id;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('a kept publication record and its gzip', () => {
  it('keeps the gzip with the JSON when both fit, and reads the record once', async () => {
    const load = publicationRecordLoader(t.database.db, 10 * 1024 * 1024);
    const reads = publicationRecordReads();
    const record = (await load(id))!;
    const z = await record.gzip();
    expect(gunzipSync(z).equals(record.json)).toBe(true);
    const again = (await load(id))!;
    expect(publicationRecordReads()).toBe(reads + 1);
    expect(again.json).toBe(record.json);
    expect(await again.gzip()).toBe(z);
  });

  it('keeps the JSON without its gzip when both would not fit, and compresses again on each ask', async () => {
    const size = (await publicationRecordLoader(t.database.db)(id))!.json.length;
    const load = publicationRecordLoader(t.database.db, Math.ceil(size * 1.2));
    const reads = publicationRecordReads();
    const record = (await load(id))!;
    const z = await record.gzip();
    expect(size + z.length).toBeGreaterThan(size * 1.2);
    expect(gunzipSync(z).equals(record.json)).toBe(true);
    // Still kept: the next reader does not read the database again.
    const again = (await load(id))!;
    expect(publicationRecordReads()).toBe(reads + 1);
    expect(again.json).toBe(record.json);
    const z2 = await again.gzip();
    expect(z2).not.toBe(z);
    expect(z2.equals(z)).toBe(true);
  });
});
