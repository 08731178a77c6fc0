// The committed worked example of sr-draw/v2 (test/vectors/sr-draw-v2-example.json and its key
// registry), checked against the library and, for digests, keys and the signature, against
// node:crypto computed by hand here (an independent SHA-256, HMAC and Ed25519).
import { spawnSync } from 'node:child_process';
import { createHash, createHmac, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonical,
  completeBundleV2,
  keyedShuffle,
  verifyBundleV2,
  type DrawBundleV2,
} from '@spotcheck/core';
import example from '../vectors/sr-draw-v2-example.json' with { type: 'json' };
import registry from '../vectors/sr-draw-v2-example-keys.json' with { type: 'json' };
import { makeCaseV2, signedBundle } from '@spotcheck/core/testing';

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

describe('an independent recomputation in Python (test/vectors/verify_sr_draw_v2.py)', () => {
  const script = join(import.meta.dirname, '..', 'vectors', 'verify_sr_draw_v2.py');
  const py = (file: string) => spawnSync('python3', [script, file], { encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'sr-draw-v2-py-'));

  it('recomputes the example, and a larger draw with overloads, specialists and experts', () => {
    expect(py(join(import.meta.dirname, '..', 'vectors', 'sr-draw-v2-example.json')).stdout).toMatch(
      /^draw recomputed/,
    );
    const big = signedBundle(
      makeCaseV2({
        units: Array.from({ length: 150 }, (_, i) => ({
          n: 2000 + i,
          stratum: i % 3,
          weight: 1 + (i % 7),
          mandatory: i % 19 === 0,
          specialty: i % 4,
          expert: i % 3 === 0,
        })),
        excluded: [1, 2, 3, 4],
        strata: [
          { method: 'srs', quota: 25 },
          { method: 'pareto', quota: 20 },
          { method: 'pareto', quota: 10 },
        ],
        inspectors: Array.from({ length: 25 }, (_, i) => ({
          capacity: i === 0 ? 200 : 1 + (i % 4),
          specialties: [i % 2 === 0, i % 3 === 0, i % 5 === 0],
          excluded: [i, i + 13, i + 29],
        })),
        experts: Array.from({ length: 5 }, (_, i) => ({
          capacity: 3,
          specialties: [i > 2, i === 1, true],
          excluded: [i, i + 7],
        })),
        team: { assign: true, size: 3, specialist: true },
        kl8: [3, 14, 15, 92 % 80],
      }),
    );
    expect(big.result.overloads.length).toBeGreaterThan(0);
    writeFileSync(join(dir, 'big.json'), JSON.stringify(big));
    const r = py(join(dir, 'big.json'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^draw recomputed/);
    big.result.selected[3]!.team.reverse();
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(big));
    const t = py(join(dir, 'tampered.json'));
    expect(t.status).toBe(1);
    expect(t.stdout).toMatch(/NOT recomputed: result mismatch/);
  });
});
