// The committed worked example of sr-draw/v1 (test/vectors/sr-draw-v1-example.json), checked
// against the library and, for digests and keys, against node:crypto computed by hand here.
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonical, completeBundle, verifyBundle, type DrawBundle } from '@spotcheck/core';
import example from '../vectors/sr-draw-v1-example.json' with { type: 'json' };

const bundle = example as unknown as DrawBundle;
const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const enc = (...parts: string[]) =>
  Buffer.concat(parts.flatMap((p) => [u32(Buffer.byteLength(p)), Buffer.from(p)]));

describe('sr-draw/v1 worked example', () => {
  it('verifies, and recomputing it from its inputs reproduces the file exactly', () => {
    expect(verifyBundle(bundle)).toMatchObject({
      ok: true,
      summary: { units: 12, inspectors: 5, selected: 5, overloads: 1 },
    });
    const { result: _r, resultDigest: _d, ...inputs } = bundle;
    expect(canonical(completeBundle(inputs))).toBe(canonical(bundle));
  });

  it('has the key string and digests one can recompute by hand', () => {
    expect(bundle.randomness.string).toBe(
      '0.3.7./8f2a61c0e5b3d9741a6e0c2f9b8d4e17a3c5f0b2d6e8a1c4f7b0d3e6a9c2f5b8/',
    );
    // Rows contain no objects, so JSON.stringify is already canonical for them.
    expect(bundle.commitment.frame.digest).toBe(
      createHash('sha256').update(JSON.stringify(bundle.frame)).digest('hex'),
    );
    expect(bundle.commitment.inspectors.digest).toBe(
      createHash('sha256').update(JSON.stringify(bundle.inspectors)).digest('hex'),
    );
    const commitmentDigest = createHash('sha256').update(canonical(bundle.commitment)).digest();
    expect(bundle.commitmentDigest).toBe(commitmentDigest.toString('hex'));
    expect(canonical(bundle.commitment).startsWith('{"algorithm":"sr-draw/v1","checklist":{"digest":"')).toBe(
      true,
    );

    const prk = createHmac('sha256', commitmentDigest).update(bundle.randomness.string).digest();
    const K = (...parts: string[]) =>
      createHmac('sha256', prk)
        .update(Buffer.concat([enc('sr-draw/v1', ...parts), Buffer.from([1])]))
        .digest('hex');
    for (const s of bundle.result.selected) expect(s.key).toBe(K('select', s.stratum, s.unit));
    const order = bundle.result.selected.map((s) => K('order', s.unit));
    expect([...order].sort()).toEqual(order);
    const first = bundle.result.selected[0]!;
    const ranked = bundle.inspectors
      .filter((i) => !i[3].includes(first.unit))
      .map((i) => ({
        id: i[0],
        key: K('assign', first.unit, i[0]),
        chem: i[2].includes('hazardous-chemicals'),
      }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    // The first unit needs a hazardous-chemicals specialist; every load is still 0.
    const lead = ranked.find((r) => r.chem)!.id;
    expect(first.team).toEqual([lead, ranked.find((r) => r.id !== lead)!.id]);
    expect(bundle.resultDigest).toBe(createHash('sha256').update(canonical(bundle.result)).digest('hex'));
  });

  it('records the plan kind, the suspended inspector left out and the avoidance sets', () => {
    expect(bundle.commitment.plan).toMatchObject({ kind: 'general', mode: 'double-random' });
    expect(bundle.inspectors.map((i) => i[0])).not.toContain('TJ-BH-0105');
    expect(bundle.inspectors.find((i) => i[0] === 'TJ-BH-0103')![3]).toEqual(['91120116MA000709XN']);
    for (const s of bundle.result.selected) expect(s.team).toHaveLength(2);
  });
});
