import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveDrawKeys } from '@spotcheck/core';
import { drawKeysInSql, ensurePgcrypto } from '@spotcheck/db';
import { openTestDatabase, testDrivers, type TestDatabase } from '../support/databases';

const ids = Array.from({ length: 500 }, (_, i) => `91120116MA${String(i).padStart(6, '0')}X${i % 10}`);
const idsSql = `SELECT unnest(ARRAY[${ids.map((id) => `'${id}'`).join(',')}]) AS id`;
const digest = 'a'.repeat(64);
const randomness = '9319./2.5.8.10.12./';

describe.each(testDrivers())('sr-draw/v1 keys in SQL (pgcrypto) on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    await ensurePgcrypto(t.owner);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const keys = deriveDrawKeys(digest, randomness);
  const ranked = (hex: string[]) =>
    ids
      .map((id, i) => ({ id, key: hex[i]! }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : 1));

  it('gives the same select keys and ranking as the JavaScript implementation', async () => {
    const sql = await drawKeysInSql(t.database, keys.prk, { kind: 'select', stratumId: 'credit-a' }, idsSql);
    expect(sql).toEqual(ranked(keys.select('credit-a', ids)));
  });

  it('gives the same order and assign keys', async () => {
    expect(await drawKeysInSql(t.database, keys.prk, { kind: 'order' }, idsSql)).toEqual(
      ranked(keys.order(ids)),
    );
    const unit = ids[7]!;
    expect(await drawKeysInSql(t.database, keys.prk, { kind: 'assign', unitId: unit }, idsSql)).toEqual(
      ranked(keys.assign(unit, ids)),
    );
  });

  it('changes every key when one byte of the randomness changes', async () => {
    const other = deriveDrawKeys(digest, '9319./2.5.8.10.13./');
    const a = await drawKeysInSql(t.database, keys.prk, { kind: 'order' }, idsSql);
    const b = await drawKeysInSql(t.database, other.prk, { kind: 'order' }, idsSql);
    const before = new Map(a.map((r) => [r.id, r.key]));
    expect(b.every((r) => before.get(r.id) !== r.key)).toBe(true);
  });

  it('rejects a malformed PRK with a clear message', async () => {
    await expect(drawKeysInSql(t.database, 'xyz', { kind: 'order' }, idsSql)).rejects.toThrow(/prkHex/);
  });
});
