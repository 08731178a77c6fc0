/**
 * node:crypto hashing backends: the key expander for sr-draw/v1 and v2, and (installed on import)
 * the SHA-256 of canonical text behind every digest. Node only: import it as
 * `@spotcheck/core/node`, never from code that a browser bundles.
 */
import * as crypto from 'node:crypto';
import { useTextSha256, type TextSha256 } from './canonical';
import { hmacPads, type DrawHasher, type KeyExpander, type PackedIds } from './hash';

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

const sha256 = (data: Uint8Array): Uint8Array =>
  new Uint8Array(crypto.createHash('sha256').update(data).digest());

/** Keys via two one-shot `crypto.hash` calls over precomputed pad blocks (or `createHmac` on older Node). */
class NodeExpander implements KeyExpander {
  private readonly prk: Uint8Array;
  private inner: Buffer;
  private readonly outer: Buffer;

  constructor(prk: Uint8Array) {
    this.prk = prk;
    const [ipad, opad] = hmacPads(prk, sha256);
    this.inner = Buffer.alloc(512);
    this.inner.set(ipad, 0);
    this.outer = Buffer.alloc(96);
    this.outer.set(opad, 0);
  }

  expand(
    prefix: Uint8Array,
    ids: PackedIds,
    index: ArrayLike<number> | null,
    count: number,
    out: Uint32Array,
    outOffset: number,
  ): void {
    if (this.inner.length < 64 + prefix.length + 4 + 65) {
      const bigger = Buffer.alloc(2 * (64 + prefix.length + 69));
      this.inner.copy(bigger, 0, 0, 64);
      this.inner = bigger;
    }
    const inner = this.inner;
    const outer = this.outer;
    inner.set(prefix, 64);
    const p = 64 + prefix.length;
    const { bytes, start } = ids;
    for (let j = 0; j < count; j++) {
      const id = index === null ? j : index[j]!;
      const s = start[id]!;
      const len = start[id + 1]! - s;
      inner.writeUInt32BE(len, p);
      let at = p + 4;
      for (let c = 0; c < len; c++) inner[at++] = bytes[s + c]!;
      inner[at++] = 0x01;
      let digest: Buffer;
      if (oneShot) {
        oneShot('sha256', inner.subarray(0, at), 'buffer').copy(outer, 64);
        digest = oneShot('sha256', outer, 'buffer');
      } else {
        digest = crypto.createHmac('sha256', this.prk).update(inner.subarray(64, at)).digest();
      }
      const o = (outOffset + j) * 8;
      for (let w = 0; w < 8; w++) out[o + w] = digest.readUInt32BE(w * 4);
    }
  }
}

/** Hashing backend on node:crypto (OpenSSL). Same outputs as the default backend. */
export const nodeCryptoHasher: DrawHasher = {
  name: 'node:crypto',
  sha256,
  hmacSha256: (key, data) => new Uint8Array(crypto.createHmac('sha256', key).update(data).digest()),
  expander: (prk) => new NodeExpander(prk),
};

/** SHA-256 of canonical text through node:crypto: the same digests as noble's, without copying each chunk into a Uint8Array first. */
export const nodeTextSha256 = (): TextSha256 => {
  const h = crypto.createHash('sha256');
  return {
    update: (text) => void h.update(text, 'utf8'),
    digest: () => new Uint8Array(h.digest()),
  };
};

useTextSha256(nodeTextSha256);
