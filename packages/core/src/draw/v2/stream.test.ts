import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Canonical } from '../canonical';
import { DrawInputError } from '../errors';
import { nobleHasher, type DrawHasher } from '../hash';
import { computeResultV2 } from './engine';
import { randomnessStringV2 } from './sources';
import { computeResultV2Streamed, type FrameChunks } from './stream';
import { drawCaseV2Arb, makeCaseV2, type DrawCaseV2 } from './testing/fixtures';
import type { FrameRowV2 } from './types';

const inputOf = (c: DrawCaseV2) => ({
  commitment: c.commitment,
  commitmentDigest: sha256Canonical(c.commitment),
  inspectors: c.inspectors,
  experts: c.experts,
  randomness: randomnessStringV2(c.commitment.sources, c.values),
});

/** The frame in chunks of `size` rows, read afresh on every call. */
const chunked = (frame: readonly FrameRowV2[], size: number): FrameChunks =>
  function* () {
    for (let i = 0; i < frame.length; i += size) yield frame.slice(i, i + size);
  };

const inMemory = (c: DrawCaseV2, hasher?: DrawHasher) =>
  computeResultV2({ ...inputOf(c), frame: c.frame }, { hasher });

/**
 * Real keys made coarse: the first word keeps 2 bits and half the keys lose every other word, so
 * keys tie on their first word (the streamed cut-off) and entirely (ties broken by unitId).
 */
const coarse: DrawHasher = {
  ...nobleHasher,
  name: 'coarse',
  expander(prk) {
    const real = nobleHasher.expander(prk);
    return {
      expand(prefix, ids, index, count, out, outOffset) {
        real.expand(prefix, ids, index, count, out, outOffset);
        for (let j = outOffset; j < outOffset + count; j++) {
          out[8 * j] = out[8 * j]! & 3;
          if (out[8 * j + 1]! & 1) out.fill(0, 8 * j + 1, 8 * j + 8);
        }
      },
    };
  },
};

/** A case of `n` units over srs and pareto strata, weights 1–5 (and a few heavy ones), 1 % mandatory. */
function cityCase(n: number, strata: { method: 'srs' | 'pareto'; quota: number }[]): DrawCaseV2 {
  let x = 7;
  const rnd = (m: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16) % m;
  return makeCaseV2({
    units: Array.from({ length: n }, (_, i) => ({
      n: i + 1,
      stratum: rnd(strata.length),
      weight: rnd(400) === 0 ? 400 : 1 + rnd(5),
      mandatory: rnd(100) === 0,
      specialty: rnd(6),
      expert: rnd(40) === 0,
    })),
    excluded: [],
    strata,
    inspectors: Array.from({ length: 30 }, (_, i) => ({
      capacity: 400,
      specialties: [i % 2 === 0, i % 3 === 0, i % 5 === 0],
      excluded: [i, 3 * i, 7 * i],
    })),
    experts: Array.from({ length: 6 }, () => ({
      capacity: 100,
      specialties: [true, false, true],
      excluded: [],
    })),
    team: { assign: true, size: 2, specialist: true },
    kl8: [3, 9, 27],
  });
}

describe('sr-draw/v2 streamed', () => {
  it('gives the in-memory result on random draws, whatever the chunk size and however often it ranks', () => {
    fc.assert(
      fc.property(drawCaseV2Arb, fc.integer({ min: 1, max: 7 }), fc.boolean(), (c, size, often) => {
        const streamed = computeResultV2Streamed(
          { ...inputOf(c), frame: chunked(c.frame, size) },
          { slack: often ? 0 : undefined },
        );
        expect(streamed).toEqual(inMemory(c));
      }),
      { numRuns: 200 },
    );
  });

  it('gives the in-memory result on a 20,000-unit frame read in chunks of 997, ranking often', () => {
    const c = cityCase(20_000, [
      { method: 'srs', quota: 300 },
      { method: 'pareto', quota: 250 },
      { method: 'srs', quota: 5 },
      { method: 'pareto', quota: 40 },
      { method: 'pareto', quota: 0 },
    ]);
    const expected = inMemory(c);
    expect(expected.selected.length).toBeGreaterThan(595 + 40); // quotas and the mandatory rows
    expect(expected.selected.some((s) => s.reason === 'certainty')).toBe(true);
    for (const slack of [0, 7, undefined])
      expect(computeResultV2Streamed({ ...inputOf(c), frame: chunked(c.frame, 997) }, { slack })).toEqual(
        expected,
      );
  });

  it('ranks exactly where keys tie on their first word or entirely', () => {
    const c = cityCase(5_000, [
      { method: 'srs', quota: 200 },
      { method: 'pareto', quota: 150 },
    ]);
    const expected = inMemory(c, coarse);
    const keys = new Set(expected.selected.map((s) => s.key));
    expect(keys.size).toBeLessThan(expected.selected.length); // whole keys do tie
    for (const slack of [0, 3])
      expect(
        computeResultV2Streamed({ ...inputOf(c), frame: chunked(c.frame, 101) }, { slack, hasher: coarse }),
      ).toEqual(expected);
    fc.assert(
      fc.property(drawCaseV2Arb, fc.integer({ min: 1, max: 7 }), (r, size) => {
        expect(
          computeResultV2Streamed(
            { ...inputOf(r), frame: chunked(r.frame, size) },
            { slack: 0, hasher: coarse },
          ),
        ).toEqual(inMemory(r, coarse));
      }),
      { numRuns: 100 },
    );
  });

  it('takes every row of a stratum whose quota exceeds it, with its shortfall', () => {
    const c = cityCase(500, [
      { method: 'pareto', quota: 400 },
      { method: 'srs', quota: 400 },
    ]);
    const expected = inMemory(c);
    expect(expected.strata.every((s) => s.shortfall > 0)).toBe(true);
    expect(computeResultV2Streamed({ ...inputOf(c), frame: chunked(c.frame, 64) }, { slack: 0 })).toEqual(
      expected,
    );
  });

  it('keeps the rows it hashed, even when the source rewrites its arrays after yielding them', () => {
    const c = cityCase(400, [
      { method: 'srs', quota: 30 },
      { method: 'pareto', quota: 30 },
    ]);
    const rewriting: FrameChunks = function* () {
      const rows = c.frame.map((r): FrameRowV2 => [...r]);
      for (let i = 0; i < rows.length; i += 50) {
        yield rows.slice(i, i + 50);
        // Once read, every row of the chunk is made to name the first unit.
        for (let k = i; k < i + 50 && k < rows.length; k++) rows[k]![0] = rows[0]![0];
      }
    };
    expect(computeResultV2Streamed({ ...inputOf(c), frame: rewriting }, { slack: 0 })).toEqual(inMemory(c));
  });

  describe('refuses a frame that is not the committed one', () => {
    const c = cityCase(300, [
      { method: 'srs', quota: 10 },
      { method: 'pareto', quota: 10 },
    ]);
    const run = (frame: FrameChunks) => () => computeResultV2Streamed({ ...inputOf(c), frame });
    const thrown = (f: () => unknown): DrawInputError => {
      try {
        f();
      } catch (e) {
        if (e instanceof DrawInputError) return e;
        throw e;
      }
      throw new Error('no error');
    };

    it('a row changed (a weight raised to win the draw)', () => {
      const rigged = c.frame.map((r, i): FrameRowV2 => (i === 17 ? [r[0], r[1], 9, r[3], r[4], r[5]] : r));
      const e = thrown(run(chunked(rigged, 50)));
      expect(e.path).toBe('frame');
      expect(e.message).toMatch(/first pass .* not the committed frame/);
    });

    it('a row dropped', () => {
      expect(thrown(run(chunked(c.frame.slice(1), 50))).message).toMatch(/first pass \(299 rows\)/);
    });

    it('rows that change between the two passes', () => {
      let calls = 0;
      const frame: FrameChunks = () => {
        calls++;
        return chunked(calls === 1 ? c.frame : c.frame.map((r, i) => (i === 3 ? c.frame[4]! : r)), 50)();
      };
      // Row 3 repeated as row 4's id: caught as out of order before any digest.
      expect(thrown(run(frame)).path).toBe('frame[4][0]');
      calls = 0;
      const swapped: FrameChunks = () => {
        calls++;
        const rows = c.frame.map((r, i): FrameRowV2 =>
          calls > 1 && i === 5 ? [r[0], r[1], r[2], 1, r[4], r[5]] : r,
        );
        return chunked(rows, 50)();
      };
      expect(thrown(run(swapped)).message).toMatch(/second pass .* not the committed frame/);
    });

    it('rows out of order across a chunk boundary, named by their place in the whole frame', () => {
      const rows = [...c.frame];
      [rows[49], rows[50]] = [rows[50]!, rows[49]!];
      const e = thrown(run(chunked(rows, 50)));
      expect(e.path).toBe('frame[50][0]');
      expect(e.message).toMatch(/sorted by unitId/);
    });

    it('a slack that is not a whole number of rows', () => {
      for (const slack of [-1, -20, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
        expect(
          thrown(() => computeResultV2Streamed({ ...inputOf(c), frame: chunked(c.frame, 50) }, { slack }))
            .path,
        ).toBe('options.slack');
    });

    it('a stratum the commitment does not have', () => {
      const rows = c.frame.map((r, i): FrameRowV2 =>
        i === 120 ? [r[0], 'ghost', r[2], r[3], r[4], r[5]] : r,
      );
      const e = thrown(run(chunked(rows, 50)));
      expect(e.path).toBe('frame[120][1]');
      expect(e.message).toMatch(/"ghost"/);
    });
  });
});
