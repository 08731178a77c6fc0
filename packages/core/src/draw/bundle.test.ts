import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCommitment, completeBundle, drawSrV1, verifyBundle, type DrawBundle } from './bundle';
import { canonical } from './canonical';
import { DrawInputError } from './errors';
import type { FrameRow, InspectorRow } from './rows';
import { draftFor, drawCaseArb, makeCase } from './testing/fixtures';
import { referenceResult } from './testing/reference';

const sample = (): DrawBundle =>
  drawSrV1(
    makeCase({
      units: Array.from({ length: 30 }, (_, i) => ({
        id: `91120116MA0${String(i).padStart(7, '0')}`,
        stratum: i % 3,
        weight: 1 + (i % 4),
        mandatory: i % 11 === 0,
        specialty: i % 5,
      })),
      strata: [
        { method: 'srs', quota: 3 },
        { method: 'pareto', quota: 4 },
        { method: 'srs', quota: 2 },
      ],
      inspectors: Array.from({ length: 6 }, (_, i) => ({
        capacity: 3,
        specialties: [i % 2 === 0, i % 3 === 0, false],
        excluded: [i, i + 7],
      })),
      team: { assign: true, size: 2, specialist: true },
      numbers: [9319, 2, 5],
      hex: 'c0ffee',
    }),
  );

/** Every string and integer leaf of a JSON value with its path. */
function leaves(
  x: unknown,
  path: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (Array.isArray(x)) x.forEach((v, i) => leaves(v, [...path, i], out));
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) leaves(v, [...path, k], out);
  else if (typeof x === 'string' || typeof x === 'number') out.push(path);
  return out;
}

describe('bundle and verification', () => {
  it('verifies what it draws, and the reference agrees with the result', () => {
    const b = sample();
    const v = verifyBundle(JSON.parse(JSON.stringify(b)));
    expect(v).toMatchObject({
      ok: true,
      summary: { units: 30, inspectors: 6, selected: b.result.selected.length },
    });
    expect(b.result).toEqual(referenceResult(b.commitment, b.frame, b.inspectors, b.randomness.values));
    expect(Object.keys(b).sort()).toEqual([
      'algorithm',
      'commitment',
      'commitmentDigest',
      'frame',
      'inspectors',
      'randomness',
      'result',
      'resultDigest',
    ]);
  });

  it('fails on any single changed character or digit of any field', () => {
    const b = sample();
    const paths = leaves(b);
    fc.assert(
      fc.property(
        fc.nat(paths.length - 1),
        fc.nat(1000),
        fc.constantFrom(...'0123456789abcdefXZ:-.'),
        (pi, pos, ch) => {
          const mutated = JSON.parse(JSON.stringify(b)) as Record<string, unknown>;
          const path = paths[pi]!;
          let parent = mutated as unknown as Record<string | number, unknown>;
          for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
          const last = path[path.length - 1]!;
          const value = parent[last];
          if (typeof value === 'number') parent[last] = value + (pos % 2 === 0 ? 1 : -1);
          else {
            const s = value as string;
            const at = s.length === 0 ? 0 : pos % s.length;
            const replacement = s.length === 0 ? ch : s[at] === ch ? (ch === 'a' ? 'b' : 'a') : ch;
            parent[last] = s.slice(0, at) + replacement + s.slice(at + 1);
          }
          const v = verifyBundle(mutated);
          expect(v.ok, `mutating ${path.join('.')} was not detected`).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('names the first mismatch: which digest, which selected row and field', () => {
    const b = sample();
    const c1 = structuredClone(b);
    c1.commitment.committedAt = '2027-01-04T09:00:01Z';
    expect(verifyBundle(c1)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^commitmentDigest: mismatch/),
    });

    const c2 = structuredClone(b);
    c2.frame[3]![2] = 99;
    expect(verifyBundle(c2)).toEqual({ ok: false, reason: expect.stringMatching(/frame digest mismatch/) });

    const c3 = structuredClone(b);
    c3.inspectors[0]![1] = 9;
    expect(verifyBundle(c3)).toEqual({
      ok: false,
      reason: expect.stringMatching(/inspectors digest mismatch/),
    });

    const c4 = structuredClone(b);
    c4.randomness.string = `${c4.randomness.string}x`;
    expect(verifyBundle(c4)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^randomness.string: mismatch/),
    });

    const c5 = structuredClone(b);
    const row = c5.result.selected[2]!;
    row.team = [...row.team].reverse();
    expect(verifyBundle(c5)).toEqual({
      ok: false,
      reason: expect.stringContaining(`result.selected[2] (unit ${row.unit}).team[0]`),
    });

    const c6 = structuredClone(b);
    c6.resultDigest = '0'.repeat(64);
    expect(verifyBundle(c6)).toEqual({ ok: false, reason: expect.stringMatching(/^resultDigest mismatch/) });

    const c7 = structuredClone(b);
    c7.result.strata[1]!.threshold = null;
    expect(verifyBundle(c7)).toEqual({
      ok: false,
      reason: expect.stringContaining('result.strata[1] (stratum s1).threshold'),
    });

    expect(verifyBundle({ ...b, extra: 1 })).toEqual({
      ok: false,
      reason: expect.stringContaining('unknown field "extra"'),
    });
    expect(verifyBundle('nope')).toEqual({
      ok: false,
      reason: expect.stringContaining('expected an object'),
    });
  });

  it('completes a bundle without result (conformance mode sr-draw-v1) into one that verifies', () => {
    fc.assert(
      fc.property(drawCaseArb, (c) => {
        const full = drawSrV1(c);
        const { result: _r, resultDigest: _d, ...partial } = JSON.parse(JSON.stringify(full)) as DrawBundle;
        expect(canonical(completeBundle(partial))).toBe(canonical(full));
        const bare = {
          algorithm: full.algorithm,
          commitment: full.commitment,
          frame: full.frame,
          inspectors: full.inspectors,
          randomness: { values: full.randomness.values },
        };
        expect(verifyBundle(completeBundle(bare)).ok).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses to commit an infeasible plan, naming each unit and why', () => {
    const frame: FrameRow[] = [
      ['U1', 's', 1, 0, 'chem'],
      ['U2', 's', 1, 0, ''],
      ['U3', 's', 1, 0, ''],
    ];
    const inspectors: InspectorRow[] = [
      ['I1', 2, ['mine'], ['U2']],
      ['I2', 2, [], ['U2']],
      ['I3', 2, [], []],
    ];
    const draft = draftFor([{ id: 's', method: 'srs', quota: 1 }], {
      assign: true,
      size: 2,
      specialist: true,
    });
    expect(() => buildCommitment(draft, frame, inspectors)).toThrow(
      /unit U1: no eligible inspector holds specialty "chem"\nunit U2: only 1 eligible inspector, a team needs 2/,
    );
    expect(() =>
      buildCommitment({ ...draft, team: { assign: true, size: 1, specialist: false } }, frame, inspectors),
    ).toThrow(/commitment.team.size: 1 is out of range \[2,/);
    const ok = buildCommitment(
      { ...draft, team: { assign: false, size: 2, specialist: true } },
      frame,
      inspectors,
    );
    expect(ok.inspectors.count).toBe(3);
  });

  it('rejects inputs with errors naming the field or row', () => {
    const draft = draftFor([{ id: 's', method: 'srs', quota: 1 }], {
      assign: false,
      size: 2,
      specialist: false,
    });
    const bad = (frame: unknown, re: RegExp) => {
      expect(() => buildCommitment(draft, frame as FrameRow[], [])).toThrow(DrawInputError);
      expect(() => buildCommitment(draft, frame as FrameRow[], [])).toThrow(re);
    };
    bad([['单位1', 's', 1, 0, '']], /^frame\[0\]\[0\]: unitId "单位1" must match/);
    bad([['U1', 's', 1.5, 0, '']], /^frame\[0\]\[2\]: expected an integer, got 1.5/);
    bad([['U1', 's', 0, 0, '']], /^frame\[0\]\[2\]: 0 is out of range/);
    bad([['U1', 's', 1, 2, '']], /^frame\[0\]\[3\]: mandatory of unit U1 must be 0 or 1/);
    bad(
      [
        ['U2', 's', 1, 0, ''],
        ['U1', 's', 1, 0, ''],
      ],
      /^frame\[1\]\[0\]: rows must be sorted by unitId/,
    );
    bad(
      [
        ['U1', 's', 1, 0, ''],
        ['U1', 's', 1, 0, ''],
      ],
      /^frame\[1\]\[0\]: duplicate unitId "U1"/,
    );
    bad([['U1', 'x', 1, 0, '']], /^frame\[0\]\[1\]: stratum "x" of unit U1 is not in commitment.strata/);
    bad(
      [['U1', 's', 1, 0]],
      /^frame\[0\]: a frame row is \[unitId, stratumId, weight, mandatory, specialty\]/,
    );
    expect(() => buildCommitment(draft, [], [['I1', 1, ['b', 'a'], []]])).toThrow(
      /^inspectors\[0\]\[2\]\[1\]: specialty of inspector I1: list must be sorted ascending/,
    );
    expect(() =>
      buildCommitment({ ...draft, strata: [{ id: 's', method: 'srs', quota: -1 }] }, [], []),
    ).toThrow(/commitment.strata\[0\].quota/);
    expect(() => buildCommitment({ ...draft, committedAt: 'yesterday' }, [], [])).toThrow(
      /commitment.committedAt/,
    );
    expect(() => buildCommitment({ ...draft, sources: [] }, [], [])).toThrow(
      /at least one randomness source/,
    );
    expect(() =>
      drawSrV1({
        commitment: buildCommitment(draft, [], []),
        frame: [],
        inspectors: [],
        values: [[1], 'ABC'],
      }),
    ).toThrow(/randomness.values\[1\]: source "drand quicknet" is hex: expected lowercase hex digits/);
    expect(() =>
      drawSrV1({ commitment: buildCommitment(draft, [], []), frame: [], inspectors: [], values: [[1]] }),
    ).toThrow(/expected 2 values \(one per commitment source\), got 1/);
  });
});
