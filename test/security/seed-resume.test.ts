/**
 * An interrupted demo seed (issue 11, Low): the roster is one transaction; accounts and rule-pack
 * publication are resumable, so `db seed` (or `start`) run again completes a half-seeded demo
 * instead of refusing, and the audit chain still verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { rulePackVersions, users, type Database } from '@spotcheck/db';
import { openMigratedPglite } from '../support/databases';
import { seedDemoCity, demoAccounts } from '@spotcheck/demo';
import { createUser, verifyAuditChain } from '@spotcheck/api';
import { seedDemo } from '@spotcheck/cli/testing';
import { discoverPacks } from '@spotcheck/rules/load';
import { resolve } from 'node:path';

let database: Database;
beforeAll(async () => {
  database = await openMigratedPglite();
}, 120_000);
afterAll(() => database?.close());

describe('resumable demo seeding', () => {
  it('a seed cut off after the roster and two accounts is completed by seeding again', async () => {
    await seedDemoCity(database, { units: 300, inspectors: 60, experts: 10 });
    // What a kill -9 in the middle of the account step leaves: two of the logins.
    for (const a of demoAccounts({ binhai: '', jinghai: '' }).slice(0, 2))
      await createUser(database.db, { ...a, inspectorId: undefined });
    const again = await seedDemo(database, { units: 300, seed: 20270101 });
    expect(again).toEqual({ resumed: true });
    const [n] = await database.db.select({ n: count() }).from(users);
    expect(n!.n).toBe(demoAccounts({ binhai: '', jinghai: '' }).length);
    const packs = discoverPacks(resolve(__dirname, '../../rules'), resolve(__dirname, '../..'));
    const published = await database.db
      .select({ id: rulePackVersions.packId })
      .from(rulePackVersions)
      .where(eq(rulePackVersions.status, 'published'));
    expect(published.length).toBe(packs.length);
    // Once more: nothing left to do, nothing duplicated.
    expect(await seedDemo(database, { units: 300, seed: 20270101 })).toEqual({ resumed: true });
    const [m] = await database.db.select({ n: count() }).from(users);
    expect(m!.n).toBe(n!.n);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  }, 300_000);
});
