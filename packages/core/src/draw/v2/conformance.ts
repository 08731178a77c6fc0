/** Conformance modes added by sr-draw/v2 (SPEC §II.7, §II.8.12). */
import { DrawInputError } from '../errors';
import { assertInt, assertKeys, assertObject, describe } from '../ids';
import { completeBundleV2 } from './draw';
import { validateSources } from './parse';
import { shuffleIds } from './shuffle';
import {
  drandRandomness,
  drandRoundTime,
  instantOf,
  lotteryString,
  resolveDrandChain,
  verifyDrandSignature,
} from './sources';
import type { DrandSource } from './types';

/** Mode `drand`: `{chain, round, signature, info?}` → `{valid, randomness, roundTime}`. */
export function drandConformance(input: unknown): {
  valid: boolean;
  randomness: string | null;
  roundTime: string;
} {
  assertObject(input, 'input');
  assertKeys(input, 'input', ['chain', 'round', 'signature'], ['info']);
  assertInt(input.round, 'input.round', 1, 2 ** 32);
  const source = { kind: 'drand', chain: input.chain, round: input.round } as Record<string, unknown>;
  if (input.info !== undefined) source.info = input.info;
  validateSources([source], 'input');
  const { info } = resolveDrandChain(source as unknown as DrandSource, 'input');
  const roundTime = instantOf(drandRoundTime(info, input.round));
  const sig = verifyDrandSignature(info.publicKey, input.round, input.signature as string);
  return {
    valid: sig.valid,
    randomness: sig.valid ? drandRandomness(input.signature as string) : null,
    roundTime,
  };
}

/** Mode `lottery`: `{game, value}` → `{string}` (the contribution, with its final `/`). */
export function lotteryConformance(input: unknown): { string: string } {
  assertObject(input, 'input');
  assertKeys(input, 'input', ['game', 'value']);
  return { string: lotteryString(input.game, input.value) };
}

/** Mode `shuffle`: `{key, ids}` → `{order}`. */
export function shuffleConformance(input: unknown): { order: string[] } {
  assertObject(input, 'input');
  assertKeys(input, 'input', ['key', 'ids']);
  return { order: shuffleIds(input.key, input.ids) };
}

/** The v2 modes, by name. */
export const CONFORMANCE_MODES_V2 = {
  'sr-draw-v2': (input: unknown) => completeBundleV2(input),
  drand: drandConformance,
  lottery: lotteryConformance,
  shuffle: shuffleConformance,
} as const;

/** Runs a v2 mode; throws a DrawInputError for unknown modes and bad input. */
export function runConformanceV2(mode: string, input: unknown): unknown {
  const f = (CONFORMANCE_MODES_V2 as Record<string, (x: unknown) => unknown>)[mode];
  if (!f) throw new DrawInputError('mode', `unknown conformance mode ${describe(mode)}`);
  return f(input);
}
