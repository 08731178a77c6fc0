import { describe, expect, it } from 'vitest';
import {
  buildFrame,
  buildInspectorRows,
  coverageLedger,
  parseRatio,
  quotaFromRatio,
  teamForKind,
} from './plan';

describe('ratios and quotas', () => {
  it('parses exact ratios without floating point', () => {
    expect(parseRatio('5%')).toEqual({ num: 1n, den: 20n });
    expect(parseRatio('2.5%')).toEqual({ num: 1n, den: 40n });
    expect(parseRatio('1/20')).toEqual({ num: 1n, den: 20n });
    expect(parseRatio('0.05')).toEqual({ num: 1n, den: 20n });
    expect(parseRatio('100%')).toEqual({ num: 1n, den: 1n });
    expect(parseRatio('0%')).toEqual({ num: 0n, den: 1n });
    expect(() => parseRatio('120%')).toThrow(/exceeds 100%/);
    expect(() => parseRatio('1/0')).toThrow(/divides by zero/);
    expect(() => parseRatio('five percent', 'strata[0].ratio')).toThrow(
      /^strata\[0\]\.ratio: expected a ratio like/,
    );
  });

  it('rounds quotas up: ceil(count·p/q)', () => {
    expect(quotaFromRatio(41, parseRatio('5%'))).toBe(3);
    expect(quotaFromRatio(40, parseRatio('5%'))).toBe(2);
    expect(quotaFromRatio(1, parseRatio('0.1%'))).toBe(1);
    expect(quotaFromRatio(0, parseRatio('5%'))).toBe(0);
    // 0.1 + 0.2 style float error would give 4 here; exact arithmetic gives 3.
    expect(quotaFromRatio(10, parseRatio('30%'))).toBe(3);
    expect(quotaFromRatio(1_000_000_007, parseRatio('1/3'))).toBe(333_333_336);
  });
});

describe('buildFrame', () => {
  it('sorts rows, fills defaults and derives quotas from the non-mandatory rows', () => {
    const built = buildFrame({
      units: [
        { unitId: 'U3', stratumId: 'b' },
        { unitId: 'U1', stratumId: 'a', weight: 4, specialty: 'trade' },
        { unitId: 'U2', stratumId: 'a', mandatory: true },
        { unitId: 'U4', stratumId: 'a' },
      ],
      strata: [
        { id: 'b', method: 'srs', quota: 7 },
        { id: 'a', method: 'pareto', ratio: '50%' },
      ],
    });
    expect(built.rows).toEqual([
      ['U1', 'a', 4, 0, 'trade'],
      ['U2', 'a', 1, 1, ''],
      ['U3', 'b', 1, 0, ''],
      ['U4', 'a', 1, 0, ''],
    ]);
    expect(built.strata).toEqual([
      { id: 'a', method: 'pareto', quota: 1 },
      { id: 'b', method: 'srs', quota: 7 },
    ]);
  });

  it('names the offending unit', () => {
    const strata = [{ id: 'a', method: 'srs' as const, quota: 1 }];
    expect(() => buildFrame({ units: [{ unitId: 'U 1', stratumId: 'a' }], strata })).toThrow(
      /^units\[0\]\.unitId: unitId "U 1" must match/,
    );
    expect(() => buildFrame({ units: [{ unitId: 'U1', stratumId: 'z' }], strata })).toThrow(
      /units\[0\]\.stratumId: unit U1 is in stratum "z"/,
    );
    expect(() =>
      buildFrame({
        units: [
          { unitId: 'U1', stratumId: 'a' },
          { unitId: 'U1', stratumId: 'a' },
        ],
        strata,
      }),
    ).toThrow(/units\[1\]\.unitId: unit U1 appears twice/);
    expect(() => buildFrame({ units: [{ unitId: 'U1', stratumId: 'a', weight: 0 }], strata })).toThrow(
      /units\[0\]\.weight/,
    );
    expect(() =>
      buildFrame({ units: [], strata: [{ id: 'a', method: 'srs', quota: 1, ratio: '5%' }] }),
    ).toThrow(/exactly one of quota or ratio/);
  });
});

describe('buildInspectorRows', () => {
  it('fills excludedUnits from every avoidance reason, keeps the reasons, omits inactive inspectors', () => {
    const built = buildInspectorRows({
      inspectors: [
        { id: 'I2', capacity: 3, specialties: ['trade', 'metallurgy', 'trade'], status: 'active' },
        { id: 'I1', capacity: 2, specialties: [], status: 'active' },
        { id: 'I3', capacity: 2, specialties: [], status: 'suspended' },
        { id: 'I4', capacity: 2, specialties: [], status: 'left' },
      ],
      conflicts: [
        { inspectorId: 'I1', unitId: 'U9', reason: 'brother is the safety manager' },
        { inspectorId: 'I3', unitId: 'U9', reason: 'former employee' },
      ],
      lastTeams: [{ unitId: 'U9', inspectorIds: ['I1', 'I2'] }],
      ownJurisdiction: {
        inspectorBureau: { I2: '120116', I1: '120101' },
        unitBureau: new Map([
          ['U5', '120116'],
          ['U9', '120101'],
        ]),
      },
    });
    expect(built.rows).toEqual([
      ['I1', 2, [], ['U9']],
      ['I2', 3, ['metallurgy', 'trade'], ['U5', 'U9']],
    ]);
    expect(
      built.reasons
        .get('I1')!
        .get('U9')!
        .map((r) => r.kind),
    ).toEqual(['conflict', 'last-team', 'own-jurisdiction']);
    expect(built.reasons.get('I2')!.get('U5')).toEqual([
      { kind: 'own-jurisdiction', detail: 'unit and inspector both belong to 120116' },
    ]);
    expect(built.omitted).toEqual([
      { id: 'I3', status: 'suspended' },
      { id: 'I4', status: 'left' },
    ]);
  });

  it('restricts exclusions to the frame and rejects unknown inspectors', () => {
    const inspectors = [{ id: 'I1', capacity: 1, specialties: [], status: 'active' as const }];
    const built = buildInspectorRows({
      inspectors,
      conflicts: [{ inspectorId: 'I1', unitId: 'OUT', reason: 'x' }],
      unitIds: ['U1'],
    });
    expect(built.rows).toEqual([['I1', 1, [], []]]);
    expect(() =>
      buildInspectorRows({ inspectors, conflicts: [{ inspectorId: 'I9', unitId: 'U1', reason: 'x' }] }),
    ).toThrow(/conflicts\[0\]: unknown inspector "I9"/);
  });
});

describe('coverageLedger (R11)', () => {
  const required = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7'];

  it('draws ceil(remaining / quartersLeft) of the units not yet inspected, all of them in Q4', () => {
    expect(coverageLedger({ required, inspected: [], quarter: 1 })).toMatchObject({
      quota: 2,
      quartersLeft: 4,
      eligible: required,
    });
    expect(coverageLedger({ required, inspected: ['U1', 'U2'], quarter: 2 })).toMatchObject({
      quota: 2,
      due: ['U3', 'U4', 'U5', 'U6', 'U7'],
    });
    expect(coverageLedger({ required, inspected: ['U1'], quarter: 4 })).toMatchObject({
      quota: 6,
      stratum: { id: 'mandatory-due', method: 'srs', quota: 6 },
    });
    expect(coverageLedger({ required, inspected: required, quarter: 3 }).quota).toBe(0);
  });

  it('covers every required unit by Q4 whatever the draws pick', () => {
    let inspected: string[] = [];
    for (let q = 1; q <= 4; q++) {
      const plan = coverageLedger({ required, inspected, quarter: q });
      inspected = [...inspected, ...plan.eligible.slice(plan.eligible.length - plan.quota)];
    }
    expect(inspected.sort()).toEqual(required);
  });

  it('forces a unit into the quarter once it needs as many inspections as quarters are left (R12)', () => {
    const minPerYear = { U1: 4, U2: 2 };
    const q1 = coverageLedger({ required, inspected: [], quarter: 1, minPerYear });
    expect(q1.forced).toEqual(['U1']);
    // Random picks among the others: (1 × 5 + 2) inspections due over 4 quarters.
    expect(q1.quota).toBe(2);
    const q3 = coverageLedger({
      required,
      inspected: [],
      quarter: 3,
      minPerYear,
      inspectionsThisYear: { U1: 2 },
    });
    expect(q3.forced).toEqual(['U1', 'U2']);
    expect(q3.quota).toBe(3);
  });

  it("meets every unit's yearly frequency by Q4 whatever the draws pick", () => {
    const minPerYear = { U1: 4, U2: 2, U3: 3 };
    const done: Record<string, number> = {};
    for (let q = 1; q <= 4; q++) {
      const plan = coverageLedger({
        required,
        inspected: [],
        quarter: q,
        minPerYear,
        inspectionsThisYear: done,
      });
      const pool = plan.eligible.filter((u) => !plan.forced.includes(u));
      // Worst case for coverage: the random picks avoid the multi-inspection units.
      const picks = [...pool].sort((a, b) => (minPerYear[a as 'U1'] ?? 1) - (minPerYear[b as 'U1'] ?? 1));
      for (const u of [...plan.forced, ...picks.slice(0, plan.quota)]) done[u] = (done[u] ?? 0) + 1;
    }
    for (const u of required) expect(done[u] ?? 0).toBeGreaterThanOrEqual(minPerYear[u as 'U1'] ?? 1);
  });

  it('leaves out units at their yearly ceiling, even when their frequency is not met', () => {
    const plan = coverageLedger({
      required,
      inspected: [],
      quarter: 4,
      inspectionsThisYear: { U1: 2, U2: 1 },
      minPerYear: { U1: 3, U2: 3 },
      ceiling: { U1: 2, U2: 3 },
    });
    expect(plan.atCeiling).toEqual(['U1']);
    expect(plan.forced).toEqual(['U2']);
    expect(plan.quota).toBe(5);
    expect(
      coverageLedger({
        required,
        inspected: [],
        quarter: 1,
        inspectionsThisYear: { U3: 1 },
        minPerYear: { U3: 2 },
        ceiling: 1,
      }).atCeiling,
    ).toEqual(['U3']);
    // Inspected as often as required: no longer due at all.
    expect(
      coverageLedger({ required, inspected: [], quarter: 2, inspectionsThisYear: { U4: 1 } }).due,
    ).not.toContain('U4');
  });
});

describe('teamForKind', () => {
  it('general is double random; units only with a recorded reason (R8)', () => {
    expect(teamForKind({ kind: 'general' })).toEqual({
      team: { assign: true, size: 2, specialist: true },
      plan: { kind: 'general', mode: 'double-random' },
    });
    expect(
      teamForKind({
        kind: 'general',
        unitsOnly: { reason: ' only one officer holds the fireworks specialty ' },
      }),
    ).toEqual({
      team: { assign: false, size: 2, specialist: true },
      plan: { kind: 'general', mode: 'units-only', reason: 'only one officer holds the fireworks specialty' },
    });
    expect(() => teamForKind({ kind: 'general', unitsOnly: { reason: ' ' } })).toThrow(
      /needs a recorded reason/,
    );
  });

  it('key draws inspectors or only the visiting order (R9); covert is double random and sealed (R10)', () => {
    expect(teamForKind({ kind: 'key' }).team.assign).toBe(true);
    expect(teamForKind({ kind: 'key', keyMode: 'random-order' })).toMatchObject({
      team: { assign: false },
      plan: { mode: 'random-order' },
    });
    expect(teamForKind({ kind: 'covert', size: 3 })).toEqual({
      team: { assign: true, size: 3, specialist: true },
      plan: { kind: 'covert', mode: 'double-random', sealed: true },
    });
    expect(() => teamForKind({ kind: 'covert', unitsOnly: { reason: 'x' } })).toThrow(
      /only general inspections may draw units only/,
    );
    expect(() => teamForKind({ kind: 'general', keyMode: 'random-order' })).toThrow(/key inspections only/);
  });

  it('never allows a team below two', () => {
    expect(() => teamForKind({ kind: 'general', size: 1 })).toThrow(/^size: 1 is out of range \[2, 64\]/);
    expect(() => teamForKind({ kind: 'key', keyMode: 'random-order', size: 0 })).toThrow(/out of range/);
  });
});
