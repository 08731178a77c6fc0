import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical, sha256Canonical } from '../canonical';
import { nodeCryptoHasher } from '../node';
import { computeResultV2 } from './engine';
import { drawSrV2 } from './draw';
import { randomnessStringV2 } from './sources';
import { drawCaseV2Arb, makeCaseV2, type DrawCaseV2 } from './testing/fixtures';
import { referenceResultV2 } from './testing/reference';

const rOf = (c: DrawCaseV2) => randomnessStringV2(c.commitment.sources, c.values);

describe('sr-draw/v2 engine', () => {
  it('matches a naive line-by-line implementation of the spec on random draws', () => {
    fc.assert(
      fc.property(drawCaseV2Arb, (c) => {
        const b = drawSrV2(c);
        expect(b.result).toEqual(referenceResultV2(c.commitment, c.frame, c.inspectors, c.experts, rOf(c)));
      }),
      { numRuns: 150 },
    );
  });

  it('gives identical results with the node:crypto backend', () => {
    fc.assert(
      fc.property(drawCaseV2Arb, (c) => {
        expect(drawSrV2(c, { hasher: nodeCryptoHasher }).resultDigest).toBe(drawSrV2(c).resultDigest);
      }),
      { numRuns: 40 },
    );
  });

  it('builds the result with its keys in canonical order (its canonical text is one JSON.stringify)', () => {
    fc.assert(
      fc.property(drawCaseV2Arb, (c) => {
        const r = drawSrV2(c).result;
        expect(JSON.stringify(r)).toBe(canonical(r));
      }),
      { numRuns: 40 },
    );
  });

  it('does not depend on the order in which rows are offered (rows are sorted before committing)', () => {
    fc.assert(
      fc.property(drawCaseV2Arb, fc.integer(), (c, seed) => {
        // Shuffle every row list, then sort by id again as the platform must: same digests, same result.
        let x = seed >>> 0;
        const rnd = () => (x = (x * 1103515245 + 12345) >>> 0);
        const shuffled = <T>(a: T[]) =>
          a
            .map((v) => [rnd(), v] as const)
            .sort((p, q) => p[0] - q[0])
            .map((p) => p[1]);
        const byId = <T extends readonly unknown[]>(a: T[]) =>
          [...a].sort((p, q) => ((p[0] as string) < (q[0] as string) ? -1 : 1));
        const again = {
          ...c,
          frame: byId(shuffled(c.frame)),
          excluded: byId(shuffled(c.excluded)),
          inspectors: byId(shuffled(c.inspectors)),
          experts: byId(shuffled(c.experts)),
        };
        expect(drawSrV2(again).resultDigest).toBe(drawSrV2(c).resultDigest);
      }),
      { numRuns: 40 },
    );
  });

  it('selection does not depend on the inspectors and experts (keys per unit only, no per-pair keys)', () => {
    fc.assert(
      fc.property(drawCaseV2Arb, (c) => {
        const a = drawSrV2(c).result;
        const input = {
          commitment: c.commitment,
          commitmentDigest: sha256Canonical(c.commitment),
          frame: c.frame,
          inspectors: [],
          experts: [],
          randomness: rOf(c),
        };
        const bare = computeResultV2({
          ...input,
          commitment: { ...c.commitment, team: { assign: false, size: 0, specialist: false } },
          frame: c.frame.map((r) => [r[0], r[1], r[2], r[3], r[4], 0] as typeof r),
        });
        expect(bare.selected.map((s) => [s.unit, s.reason, s.sequence, s.key])).toEqual(
          a.selected.map((s) => [s.unit, s.reason, s.sequence, s.key]),
        );
        expect(bare.strata).toEqual(a.strata);
      }),
      { numRuns: 60 },
    );
  });

  it('a walk over a larger roster matches the reference, with overloads and specialists', () => {
    const units = Array.from({ length: 120 }, (_, i) => ({
      n: 1000 + i,
      stratum: i % 3,
      weight: 1 + (i % 7),
      mandatory: i % 17 === 0,
      specialty: i % 4,
      expert: i % 3 === 0,
    }));
    const c = makeCaseV2({
      units,
      excluded: [1, 2, 3],
      strata: [
        { method: 'srs', quota: 20 },
        { method: 'pareto', quota: 15 },
        { method: 'srs', quota: 10 },
      ],
      inspectors: Array.from({ length: 30 }, (_, i) => ({
        capacity: i === 0 ? 200 : 1 + (i % 3),
        specialties: [i % 2 === 0, i % 3 === 0, i % 5 === 0],
        excluded: [i, i + 11, i + 23],
      })),
      experts: Array.from({ length: 4 }, (_, i) => ({
        capacity: 2,
        specialties: [i === 3, false, true],
        excluded: [i],
      })),
      team: { assign: true, size: 3, specialist: true },
      kl8: [5, 9, 77],
    });
    const b = drawSrV2(c);
    expect(b.result).toEqual(
      referenceResultV2(c.commitment, c.frame, c.inspectors, c.experts, b.randomness.string),
    );
    expect(b.result.overloads.some((o) => o.kind === 'expert')).toBe(true);
    const kinds = b.result.overloads.map((o) => `${o.kind}:${o.id}`);
    expect(kinds).toEqual([...kinds].sort());
    for (const s of b.result.selected) {
      expect(new Set(s.team).size).toBe(3);
      const row = c.frame.find((r) => r[0] === s.unit)!;
      if (row[4] !== '') expect(c.inspectors.find((i) => i[0] === s.team[0])![2]).toContain(row[4]);
      expect(s.expert === null).toBe(row[5] === 0);
      for (const id of s.team)
        expect(c.inspectors.find((i) => i[0] === id)![3].some((e) => e[0] === s.unit)).toBe(false);
    }
  });
});

describe('inclusion frequencies (χ²)', () => {
  // 10 srs units, quota 3, over 4000 R strings: Pearson's statistic against p = 3/10 for each unit.
  // 29.59 is the 0.999 quantile of χ² with 10 degrees of freedom.
  it('srs draws every unit with probability quota/count', () => {
    const c = makeCaseV2({
      units: Array.from({ length: 10 }, (_, i) => ({
        n: 10 + i,
        stratum: 0,
        weight: 1,
        mandatory: false,
        specialty: 9,
        expert: false,
      })),
      excluded: [],
      strata: [{ method: 'srs', quota: 3 }],
      inspectors: [],
      experts: [
        { capacity: 1, specialties: [], excluded: [] },
        { capacity: 1, specialties: [], excluded: [] },
      ],
      team: { assign: false, size: 0, specialist: false },
      kl8: [],
    });
    const S = 4000;
    const count = new Map(c.frame.map((r) => [r[0], 0]));
    const digest = sha256Canonical(c.commitment);
    for (let s = 0; s < S; s++) {
      const r = computeResultV2({
        commitment: c.commitment,
        commitmentDigest: digest,
        frame: c.frame,
        inspectors: [],
        experts: [],
        randomness: `${s}./`,
      });
      for (const x of r.selected) count.set(x.unit, count.get(x.unit)! + 1);
    }
    const p = 0.3;
    const chi = [...count.values()].reduce((a, o) => a + (o - S * p) ** 2 / (S * p * (1 - p)), 0);
    expect(chi).toBeLessThan(29.59);
  });
});
