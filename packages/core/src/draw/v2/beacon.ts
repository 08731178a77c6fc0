/**
 * A demo drand-style beacon (an unpinned chain, SPEC §II.2) and source planning. Pure: the
 * workflow serves it over HTTP; nothing here does I/O or reads the clock.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { fromHex, toHex, utf8 } from '../canonical';
import { DrawInputError } from '../errors';
import {
  DRAND_DST,
  drandChainHash,
  drandMessage,
  drandRandomness,
  drandRoundTime,
  resolveDrandChain,
} from './sources';
import { DRAND_SCHEME, type DrandChainInfo, type DrandSource } from './types';

/** A local beacon: its chain info and hash, and a signer for rounds. */
export interface DemoBeacon {
  info: DrandChainInfo;
  /** `sha256hex(info)`. */
  chain: string;
  /** The BLS secret key (hex); keep it out of anything published. */
  secretKey: string;
  /** Unix seconds of a round. */
  roundTime(round: number): number;
  /** The latest round at Unix time `seconds` (0 before genesis). */
  roundAt(seconds: number): number;
  /** The round's signature (96 hex digits) and randomness, like drand's `/public/<round>`. */
  sign(round: number): { round: number; signature: string; randomness: string };
  /** The `drand` source naming `round` on this chain (with `info`). */
  source(round: number): DrandSource;
}

/**
 * Derives a demo beacon from a seed (any string or bytes; the BLS secret key is derived from it
 * deterministically), with `genesis` in Unix seconds and `period` seconds (default 3).
 */
export function demoBeacon(seed: string | Uint8Array, genesis: number, period = 3): DemoBeacon {
  if (!Number.isSafeInteger(genesis) || genesis < 0)
    throw new DrawInputError('genesis', 'expected Unix seconds ≥ 0');
  if (!Number.isSafeInteger(period) || period < 1) throw new DrawInputError('period', 'expected seconds ≥ 1');
  const sigs = bls12_381.shortSignatures;
  // keygen wants 48 bytes of key material (BLS KeyGen, IKM ≥ 32 bytes).
  const ikm = sha512(typeof seed === 'string' ? utf8(`sr-draw/v2 demo beacon ${seed}`) : seed).subarray(
    0,
    48,
  );
  const { secretKey } = sigs.keygen(ikm);
  const info: DrandChainInfo = {
    publicKey: toHex(sigs.getPublicKey(secretKey).toBytes(true)),
    genesis,
    period,
    scheme: DRAND_SCHEME,
  };
  const chain = drandChainHash(info);
  return {
    info,
    chain,
    secretKey: toHex(secretKey),
    roundTime: (round) => drandRoundTime(info, round),
    roundAt: (seconds) => (seconds < genesis ? 0 : Math.floor((seconds - genesis) / period) + 1),
    sign(round) {
      if (!Number.isSafeInteger(round) || round < 1)
        throw new DrawInputError('round', 'expected an integer ≥ 1');
      const point = sigs.sign(sigs.hash(drandMessage(round), DRAND_DST), fromHex(toHex(secretKey)));
      const signature = sigs.Signature.toHex(point);
      return { round, signature, randomness: drandRandomness(signature) };
    },
    source: (round) => ({ kind: 'drand', chain, round, info }),
  };
}

/** Minimum gap between the commitment time and any source time (SPEC §II.2). */
export const SOURCE_MIN_DELAY_SECONDS = 60;
/** Maximum gap between the commitment time and any source time (SPEC §II.9.1). */
export const SOURCE_MAX_DELAY_SECONDS = 7 * 86_400;

/**
 * Proposes the drand source for a draw: the first round of the chain whose time is at least
 * `max(plannedAt, committedAt + 60 s)`. `chain` is a pinned chain hash, or an unpinned chain's
 * hash with its `info`. Throws when that round would be more than 7 days after the commitment.
 */
export function planSources(input: {
  chain: string;
  info?: DrandChainInfo;
  /** When the draw is planned to happen (instant `…Z`). */
  plannedAt: string;
  /** The commitment time (instant `…Z`). */
  committedAt: string;
}): { source: DrandSource; roundTime: string } {
  const { info } = resolveDrandChain({ chain: input.chain, info: input.info }, 'chain');
  const planned = Date.parse(input.plannedAt) / 1000;
  const committed = Date.parse(input.committedAt) / 1000;
  if (Number.isNaN(planned))
    throw new DrawInputError('plannedAt', 'expected an instant like 2027-01-04T09:00:00Z');
  if (Number.isNaN(committed))
    throw new DrawInputError('committedAt', 'expected an instant like 2027-01-04T09:00:00Z');
  const notBefore = Math.max(Math.ceil(planned), Math.ceil(committed) + SOURCE_MIN_DELAY_SECONDS);
  const round = notBefore <= info.genesis ? 1 : Math.ceil((notBefore - info.genesis) / info.period) + 1;
  const time = drandRoundTime(info, round);
  if (time - committed > SOURCE_MAX_DELAY_SECONDS)
    throw new DrawInputError('plannedAt', 'the first usable round is more than 7 days after the commitment');
  const source: DrandSource = { kind: 'drand', chain: input.chain, round };
  if (input.info) source.info = input.info;
  return { source, roundTime: new Date(time * 1000).toISOString().replace('.000Z', 'Z') };
}
