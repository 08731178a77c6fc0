import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCommitment, drawSrV1 } from './bundle';
import { canonical, toHex } from './canonical';
import { commitmentDigestBytes } from './commitment';
import { deriveDrawKeys } from './derive';
import { computeResult } from './engine';
import { nodeCryptoHasher } from './node';
import { buildFrame, type FrameUnitInput } from './plan';
import { randomnessString } from './randomness';
import type { FrameRow } from './rows';
import { draftFor, drawCaseArb, type DrawCase } from './testing/fixtures';
import { referenceResult, referenceSelect } from './testing/reference';

const digestOf = (c: DrawCase) => commitmentDigestBytes(c.commitment);
const rOf = (c: DrawCase) => randomnessString(c.commitment.sources, c.values);

describe('sr-draw/v1 engine', () => {
  it('matches a naive line-by-line implementation of the spec on random draws', () => {
    fc.assert(
      fc.property(drawCaseArb, (c) => {
        expect(drawSrV1(c).result).toEqual(referenceResult(c.commitment, c.frame, c.inspectors, c.values));
      }),
      { numRuns: 250 },
    );
  });

  it('gives identical bundles with the node:crypto backend', () => {
    fc.assert(
      fc.property(drawCaseArb, (c) => {
        expect(canonical(drawSrV1(c, { hasher: nodeCryptoHasher }))).toBe(canonical(drawSrV1(c)));
      }),
      { numRuns: 60 },
    );
  });

  it('does not depend on the order in which units are offered', () => {
    const arb = fc.record({
      units: fc.uniqueArray(
        fc.record({
          unitId: fc.stringMatching(/^[A-Z0-9]{3,8}$/),
          stratumId: fc.constantFrom('a', 'b'),
          weight: fc.integer({ min: 1, max: 5 }),
          mandatory: fc.boolean(),
        }),
        { selector: (u) => u.unitId, minLength: 1, maxLength: 30 },
      ),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, ({ units, seed }) => {
        const strata = [
          { id: 'a', method: 'srs' as const, ratio: '30%' },
          { id: 'b', method: 'pareto' as const, ratio: '1/3' },
        ];
        const shuffled = fc.sample(fc.shuffledSubarray(units, { minLength: units.length }), {
          seed,
          numRuns: 1,
        })[0]!;
        const draw = (list: FrameUnitInput[]) => {
          const built = buildFrame({ units: list, strata });
          const team = { assign: false, size: 2, specialist: false };
          const commitment = buildCommitment(draftFor(built.strata, team), built.rows, []);
          return canonical(
            drawSrV1({ commitment, frame: built.rows, inspectors: [], values: [[1, 2, 3], 'ab'] }),
          );
        };
        expect(draw(shuffled)).toBe(draw(units));
      }),
      { numRuns: 80 },
    );
  });

  it("adding a unit to one stratum never changes another stratum's picks (same PRK)", () => {
    fc.assert(
      fc.property(
        drawCaseArb,
        fc.stringMatching(/^[0-9A-Z]{4,18}$/),
        fc.boolean(),
        fc.nat(5),
        (c, newId, mandatory, which) => {
          fc.pre(!c.frame.some((r) => r[0] === newId));
          const target = c.commitment.strata[which % c.commitment.strata.length]!.id;
          const frame: FrameRow[] = [...c.frame, [newId, target, 2, mandatory ? 1 : 0, ''] as FrameRow].sort(
            (a, b) => (a[0] < b[0] ? -1 : 1),
          );
          const run = (f: FrameRow[]) =>
            computeResult({
              commitment: c.commitment,
              commitmentDigest: digestOf(c),
              frame: f,
              inspectors: c.inspectors,
              randomness: rOf(c),
            });
          const before = run(c.frame);
          const after = run(frame);
          const picks = (r: typeof before, s: string) =>
            r.selected
              .filter((x) => x.stratum === s)
              .map((x) => `${x.unit}:${x.reason}:${x.key}`)
              .sort();
          for (const s of c.commitment.strata) {
            if (s.id === target) continue;
            expect(picks(after, s.id)).toEqual(picks(before, s.id));
            expect(after.strata.find((x) => x.id === s.id)).toEqual(before.strata.find((x) => x.id === s.id));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a frame split into shards, each keyed alone and merged, gives the same picks as the whole', () => {
    fc.assert(
      fc.property(drawCaseArb, fc.integer({ min: 2, max: 5 }), (c, shards) => {
        const whole = drawSrV1(c).result;
        const keys = deriveDrawKeys(toHex(digestOf(c)), rOf(c));
        for (const s of c.commitment.strata) {
          const rows = c.frame.filter((r) => r[1] === s.id);
          // Each shard computes its own keys, independently of the others.
          const keyed = Array.from({ length: shards }, (_, k) =>
            rows.filter((_, i) => i % shards === k),
          ).flatMap((shard) => {
            const hex = keys.select(
              s.id,
              shard.map((r) => r[0]),
            );
            return shard.map((r, i) => ({ unitId: r[0], weight: r[2], mandatory: r[3] === 1, key: hex[i]! }));
          });
          const merged = referenceSelect(s.method, s.quota, keyed.reverse());
          const fromWhole = whole.selected
            .filter((x) => x.stratum === s.id)
            .map((x) => `${x.unit}:${x.reason}:${x.key}`);
          expect(merged.picks.map((p) => `${p.unitId}:${p.reason}:${p.key}`).sort()).toEqual(
            fromWhole.sort(),
          );
          expect(merged.threshold).toBe(whole.strata.find((x) => x.id === s.id)!.threshold);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('matches the naive implementation on a larger frame (threshold filters, many distinct weights)', () => {
    const frame: FrameRow[] = [];
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 3000; i++) {
      const stratum = i % 3 === 0 ? 'big-srs' : i % 3 === 1 ? 'big-pareto' : 'few-weights';
      const weight = stratum === 'few-weights' ? 1 + (next() % 3) : 1 + (next() % 1000);
      frame.push([`91120116MA${String(i).padStart(8, '0')}`, stratum, weight, next() % 50 === 0 ? 1 : 0, '']);
    }
    const strata = [
      { id: 'big-pareto', method: 'pareto' as const, quota: 60 },
      { id: 'big-srs', method: 'srs' as const, quota: 40 },
      { id: 'few-weights', method: 'pareto' as const, quota: 300 },
    ];
    const commitment = buildCommitment(
      draftFor(strata, { assign: false, size: 2, specialist: false }),
      frame,
      [],
    );
    for (const values of [
      [[1, 2, 3], 'aa'],
      [[4], 'bb'],
    ] as [number[], string][]) {
      expect(drawSrV1({ commitment, frame, inspectors: [], values }).result).toEqual(
        referenceResult(commitment, frame, [], values),
      );
    }
  });

  it('selects all non-mandatory rows and reports the shortfall when the quota exceeds them', () => {
    const frame: FrameRow[] = [
      ['U1', 'p', 1, 0, ''],
      ['U2', 'p', 5, 0, ''],
      ['U3', 'p', 1, 1, ''],
      ['U4', 's', 1, 0, ''],
    ];
    const commitment = buildCommitment(
      draftFor(
        [
          { id: 'p', method: 'pareto', quota: 4 },
          { id: 's', method: 'srs', quota: 3 },
        ],
        { assign: false, size: 2, specialist: false },
      ),
      frame,
      [],
    );
    const r = drawSrV1({ commitment, frame, inspectors: [], values: [[7], 'ff'] }).result;
    expect(r.strata).toEqual([
      { id: 'p', quota: 4, selected: 3, shortfall: 2, threshold: null },
      { id: 's', quota: 3, selected: 1, shortfall: 2, threshold: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    expect(Object.fromEntries(r.selected.map((x) => [x.unit, x.reason]))).toEqual({
      U1: 'certainty',
      U2: 'certainty',
      U3: 'mandatory',
      U4: 'random',
    });
    expect(r.selected.map((x) => x.sequence).sort()).toEqual([1, 2, 3, 4]);
  });

  it('takes heavy pareto rows with certainty before ranking the rest', () => {
    const frame: FrameRow[] = [
      ['A', 'p', 100, 0, ''],
      ['B', 'p', 1, 0, ''],
      ['C', 'p', 1, 0, ''],
      ['D', 'p', 1, 0, ''],
    ];
    const commitment = buildCommitment(
      draftFor([{ id: 'p', method: 'pareto', quota: 2 }], { assign: false, size: 2, specialist: false }),
      frame,
      [],
    );
    const r = drawSrV1({ commitment, frame, inspectors: [], values: [[1], '00'] }).result;
    expect(r.selected.find((x) => x.unit === 'A')!.reason).toBe('certainty');
    expect(r.selected.filter((x) => x.reason === 'random')).toHaveLength(1);
  });

  it('gives every team at least two distinct officers, a specialist first, and reports overloads', () => {
    fc.assert(
      fc.property(drawCaseArb, (c) => {
        const r = drawSrV1(c).result;
        const specialty = new Map(c.frame.map((row) => [row[0], row[4]]));
        const holds = new Map(c.inspectors.map((i) => [i[0], i[2]]));
        const excluded = new Map(c.inspectors.map((i) => [i[0], i[3]]));
        const load = new Map<string, number>();
        for (const s of r.selected) {
          if (!c.commitment.team.assign) {
            expect(s.team).toEqual([]);
            continue;
          }
          expect(s.team).toHaveLength(c.commitment.team.size);
          expect(new Set(s.team).size).toBe(s.team.length);
          for (const m of s.team) {
            expect(excluded.get(m)).not.toContain(s.unit);
            load.set(m, (load.get(m) ?? 0) + 1);
          }
          const sp = specialty.get(s.unit)!;
          if (c.commitment.team.specialist && sp !== '') expect(holds.get(s.team[0]!)).toContain(sp);
        }
        const over = c.inspectors.filter((i) => (load.get(i[0]) ?? 0) > i[1]).map((i) => i[0]);
        expect(r.overloads.map((o) => o.inspector)).toEqual(over);
      }),
      { numRuns: 100 },
    );
  });
});
