/**
 * Where drand values come from (sr-draw/v2 §2). A beacon names one chain and returns the BLS
 * signature of a round once the round's time has come. Two kinds:
 * - the **demo beacon** (演示信标): a local, unpinned chain with its own BLS key (from a seed kept in
 *   `.data`), a round every 3 s, so a draw completes offline. It publishes `info`, and every page
 *   that shows it says so. A production deployment refuses it.
 * - a **drand HTTP relay** (`SPOTCHECK_DRAND_URL`, e.g. `https://api.drand.sh`) of a pinned chain
 *   (quicknet): `GET {url}/{chain}/public/{round}` → `{round, signature}`.
 * Values fetched either way are verified (BLS) before anything uses them, like typed ones.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '@spotcheck/db';
import {
  demoBeacon,
  drandRoundTime,
  PINNED_DRAND_CHAINS,
  type DemoBeacon,
  type DrandChainInfo,
} from '@spotcheck/core';

/** A source of drand rounds for one chain. */
export interface Beacon {
  /** Chain hash: drand's own for pinned chains, `sha256hex(info)` for the demo beacon. */
  chain: string;
  /** Chain parameters. */
  info: DrandChainInfo;
  /** Whether this is the unpinned local demo beacon (演示信标). */
  demo: boolean;
  /** The round's signature (96 lowercase hex digits), or null while the round does not exist yet. */
  fetchRound(round: number, now: Date): Promise<string | null>;
}

/** The demo beacon over core's pure signer: a round exists once its time has come (server clock). */
export function localDemoBeacon(demo: DemoBeacon): Beacon {
  const cache = new Map<number, string>();
  return {
    chain: demo.chain,
    info: demo.info,
    demo: true,
    fetchRound(round, now) {
      if (!Number.isSafeInteger(round) || round < 1) return Promise.resolve(null);
      if (demo.roundTime(round) > now.getTime() / 1000) return Promise.resolve(null);
      let sig = cache.get(round);
      if (!sig) {
        sig = demo.sign(round).signature;
        if (cache.size > 10_000) cache.clear();
        cache.set(round, sig);
      }
      return Promise.resolve(sig);
    },
  };
}

/**
 * The demo beacon of a data folder: seed and genesis kept in `<dir>/demo-beacon.json` (made on
 * first use), so its chain hash stays the same across restarts. Period 3 s.
 */
export function demoBeaconFromDir(dir: string, now = new Date()): DemoBeacon {
  const file = join(dir, 'demo-beacon.json');
  let state: { seed: string; genesis: number } | null = null;
  if (existsSync(file)) state = JSON.parse(readFileSync(file, 'utf8')) as { seed: string; genesis: number };
  if (!state) {
    state = { seed: randomBytes(32).toString('hex'), genesis: Math.floor(now.getTime() / 1000) - 3600 };
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
  }
  return demoBeacon(state.seed, state.genesis, 3);
}

/**
 * The beacon of a deployment: a drand relay when `SPOTCHECK_DRAND_URL` is set (quicknet unless
 * `SPOTCHECK_DRAND_CHAIN` names another pinned chain), else the demo beacon of `dataDir` — which
 * a production deployment (`NODE_ENV=production`) refuses.
 */
export function beaconFromEnv(dataDir = beaconDirFromEnv(), env: NodeJS.ProcessEnv = process.env): Beacon {
  const url = env.SPOTCHECK_DRAND_URL;
  if (url) {
    const chain = env.SPOTCHECK_DRAND_CHAIN ?? QUICKNET;
    const pinned = PINNED_DRAND_CHAINS[chain];
    if (!pinned) throw new Error(`SPOTCHECK_DRAND_CHAIN ${chain} is not a pinned drand chain`);
    const { publicKey, genesis, period, scheme } = pinned;
    return relayBeacon(url, chain, { publicKey, genesis, period, scheme });
  }
  if (env.NODE_ENV === 'production')
    throw new Error(
      'NODE_ENV=production refuses the unpinned demo beacon: set SPOTCHECK_DRAND_URL to a drand relay (e.g. https://api.drand.sh)',
    );
  return localDemoBeacon(demoBeaconFromDir(dataDir));
}

/** Where the demo beacon keeps its seed: beside the PGlite folder, else `.data`. */
export function beaconDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPOTCHECK_DATA_DIR && !env.SPOTCHECK_DATA_DIR.startsWith('memory://'))
    return resolve(env.SPOTCHECK_DATA_DIR, '..');
  return resolve(projectRoot, '.data');
}

/** drand quicknet's chain hash. */
export const QUICKNET = '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971';

/** A drand HTTP relay of a pinned chain (production), e.g. `https://api.drand.sh`. */
export function relayBeacon(url: string, chain: string, info: DrandChainInfo): Beacon {
  const base = url.replace(/\/+$/, '');
  return {
    chain,
    info,
    demo: false,
    async fetchRound(round, now) {
      if (drandRoundTime(info, round) > now.getTime() / 1000) return null;
      const res = await fetch(`${base}/${chain}/public/${round}`, { signal: AbortSignal.timeout(10_000) });
      if (res.status === 404 || res.status === 425) return null;
      if (!res.ok) throw new Error(`drand relay ${base} answered ${res.status} for round ${round}`);
      const body = (await res.json()) as { round?: number; signature?: string };
      if (body.round !== round || typeof body.signature !== 'string')
        throw new Error(`drand relay ${base} returned an unexpected body for round ${round}`);
      return body.signature.toLowerCase();
    },
  };
}
