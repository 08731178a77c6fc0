/** The demo beacon (演示信标) served like a drand relay, and production's refusal of unpinned chains. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBeacon, verifyDrandSignature } from '@spotcheck/core';
import { beaconFromEnv, localDemoBeacon } from '@spotcheck/api';
import { checkPlannedSources } from '@spotcheck/api/testing';
import { startServer, type RunningServer } from '@spotcheck/server';
import { openTestDb, type TestDb } from './harness';

const genesis = Math.floor(Date.now() / 1000) - 600;
const beacon = localDemoBeacon(demoBeacon('beacon test', genesis, 3));
let t: TestDb;
let server: RunningServer;
beforeAll(async () => {
  t = await openTestDb();
  server = await startServer({ database: t.database, port: 0, staticMounts: [], beacon, production: false });
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

describe('demo beacon over HTTP', () => {
  it('serves its info and past rounds, verifiable against its key, and no future round', async () => {
    const info = (await (await fetch(`${server.url}/beacon/${beacon.chain}/info`)).json()) as {
      publicKey: string;
      period: number;
      demo: boolean;
    };
    expect(info).toMatchObject({ period: 3, demo: true, publicKey: beacon.info.publicKey });
    const past = (await (await fetch(`${server.url}/beacon/${beacon.chain}/public/10`)).json()) as {
      round: number;
      signature: string;
    };
    expect(past.round).toBe(10);
    expect(verifyDrandSignature(info.publicKey, 10, past.signature).valid).toBe(true);
    expect(verifyDrandSignature(info.publicKey, 11, past.signature).valid).toBe(false);
    const future = await fetch(`${server.url}/beacon/${beacon.chain}/public/${10_000_000}`);
    expect(future.status).toBe(425);
    expect((await fetch(`${server.url}/beacon/${'0'.repeat(64)}/info`)).status).toBe(404);
  });
});

describe('production refuses unpinned chains', () => {
  it('refuses the demo beacon at start and demo sources in plans', async () => {
    expect(() => beaconFromEnv('/nonexistent', { NODE_ENV: 'production' })).toThrow(/SPOTCHECK_DRAND_URL/);
    await expect(
      startServer({
        database: t.database,
        port: 0,
        staticMounts: [],
        beacon,
        production: true,
        keySecret: 'k'.repeat(40),
      }),
    ).rejects.toThrow(/refuses the unpinned demo beacon/);
    const round = Math.ceil((Date.now() / 1000 + 3600 - genesis) / 3) + 1;
    const source = { kind: 'drand' as const, chain: beacon.chain, round, info: beacon.info };
    expect(() => checkPlannedSources([source], new Date(), true)).toThrow(/accepts only pinned drand chains/);
    expect(() => checkPlannedSources([source], new Date(), false)).not.toThrow();
  });
});
