import { fromHex, toHex, utf8, wordsToHex } from './canonical';
import { nobleHasher, packIds, type DrawHasher } from './hash';
import { assertDrawId } from './ids';
import { assignPrefix, orderPrefix, selectPrefix, type DrawKeys } from './keys';

/**
 * Key derivation of sr-draw/v1 §2–§3 from a commitment digest (hex) and the randomness
 * string R: the PRK and the select, order and assign keys as hex.
 */
export function deriveDrawKeys(
  commitmentDigest: string,
  randomness: string,
  hasher: DrawHasher = nobleHasher,
): DrawKeys {
  const prk = hasher.hmacSha256(fromHex(commitmentDigest, 'commitmentDigest'), utf8(randomness));
  const expander = hasher.expander(prk);
  const run = (prefix: Uint8Array, ids: readonly string[], what: string): string[] => {
    ids.forEach((id, i) => assertDrawId(id, `${what}[${i}]`, what));
    const out = new Uint32Array(ids.length * 8);
    expander.expand(prefix, packIds(ids), null, ids.length, out, 0);
    return ids.map((_, i) => wordsToHex(out, i * 8));
  };
  return {
    prk: toHex(prk),
    select: (stratumId, unitIds) => {
      assertDrawId(stratumId, 'stratumId', 'stratum id');
      return run(selectPrefix(stratumId), unitIds, 'unitIds');
    },
    order: (unitIds) => run(orderPrefix(), unitIds, 'unitIds'),
    assign: (unitId, inspectorIds) => {
      assertDrawId(unitId, 'unitId', 'unitId');
      return run(assignPrefix(unitId), inspectorIds, 'inspectorIds');
    },
  };
}
