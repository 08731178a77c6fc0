// The committed worked example of sr-draw/v2 (test/vectors/sr-draw-v2-example.json and its key
// registry), checked against the library and, for digests, keys and the signature, against
// node:crypto computed by hand here (an independent SHA-256, HMAC and Ed25519).
import { createHash, createHmac, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonical,
  completeBundleV2,
  keyedShuffle,
  verifyBundleV2,
  type DrawBundleV2,
} from '../../packages/core/src/index';
import example from '../vectors/sr-draw-v2-example.json' with { type: 'json' };
import registry from '../vectors/sr-draw-v2-example-keys.json' with { type: 'json' };

const bundle = example as unknown as DrawBundleV2;
const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const enc = (...parts: string[]) =>
  Buffer.concat(parts.flatMap((p) => [u32(Buffer.byteLength(p)), Buffer.from(p)]));
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest();

describe('sr-draw/v2 worked example', () => {
  it('verifies line by line against its registry, on the pinned quicknet chain', () => {
    const r = verifyBundleV2(example, { registry, production: true });
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checks.find((c) => c.id === 'source.0.drand.chain')!.message).toContain('quicknet (pinned)');
  });

  it('recomputing it from its inputs reproduces the file exactly', () => {
    const { result: _r, resultDigest: _d, signOff: _s, ...inputs } = bundle;
    const { signOff: _x, ...computed } = bundle;
    expect(canonical(completeBundleV2(inputs))).toBe(canonical(computed));
  });

  it('has digests, R, keys and a shuffle one can recompute by hand', () => {
    // Rows contain no objects, so JSON.stringify is already canonical for them.
    expect(bundle.commitment.frame.digest).toBe(sha(JSON.stringify(bundle.frame)).toString('hex'));
    expect(bundle.commitment.excluded.digest).toBe(sha(JSON.stringify(bundle.excluded)).toString('hex'));
    expect(bundle.commitment.inspectors.digest).toBe(sha(JSON.stringify(bundle.inspectors)).toString('hex'));
    expect(bundle.commitmentDigest).toBe(sha(canonical(bundle.commitment)).toString('hex'));
    const sig = bundle.randomness.values[0] as string;
    expect(bundle.randomness.string).toBe(`${sha(Buffer.from(sig, 'hex')).toString('hex')}/7.0.3./`);
    expect(bundle.randomness.string.slice(0, 64)).toBe(
      'fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587',
    );
    const prk = createHmac('sha256', Buffer.from(bundle.commitmentDigest, 'hex'))
      .update(bundle.randomness.string)
      .digest();
    const K = (...parts: string[]) =>
      createHmac('sha256', prk)
        .update(Buffer.concat([enc(...parts), Buffer.from([1])]))
        .digest();
    for (const s of bundle.result.selected)
      expect(s.key).toBe(K('sr-draw/v2', 'select', s.stratum, s.unit).toString('hex'));
    // The first team member of the first unit without a specialty is its shuffle's first
    // eligible inspector (nobody is at capacity yet at sequence 1).
    const first = bundle.result.selected[0]!;
    const row = bundle.frame.find((r) => r[0] === first.unit)!;
    expect(row[4]).toBe('');
    const eligible = bundle.inspectors.filter((i) => !i[3].some((e) => e[0] === first.unit)).map((i) => i[0]);
    const order = keyedShuffle(K('sr-draw/v2', 'assign', first.unit), eligible.length);
    expect(first.team).toEqual([eligible[order[0]!], eligible[order[1]!]]);
  });

  it('has a sign-off that node:crypto’s Ed25519 verifies with the registered key', () => {
    const entry = registry.keys[0]!;
    expect(entry.keyId).toBe(sha(Buffer.from(entry.publicKey, 'hex')).toString('hex'));
    const spki = Buffer.concat([
      Buffer.from('302a300506032b6570032100', 'hex'),
      Buffer.from(entry.publicKey, 'hex'),
    ]);
    const message = canonical({
      spec: 'sr-draw/v2/sign-off',
      signer: bundle.signOff.signer,
      signedAt: bundle.signOff.signedAt,
      commitmentDigest: bundle.commitmentDigest,
      resultDigest: bundle.resultDigest,
    });
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(verify(null, Buffer.from(message), key, Buffer.from(bundle.signOff.signature, 'hex'))).toBe(true);
  });
});
