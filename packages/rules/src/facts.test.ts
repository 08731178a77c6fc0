import { describe, expect, it } from 'vitest';
import {
  BUILTIN_FACT_RESOLVERS,
  parsePeriod,
  wholeMonthsBetween,
  wholeYearsBetween,
  ZUnitFactsSchema,
} from './facts';
import { generateUnits } from './generate';
import { parseUnitFacts, UnitFactsError } from './classify';

describe('periods and derived facts', () => {
  it('parses years, quarters and ranges', () => {
    expect(parsePeriod('2027')).toEqual({ start: '2027-01-01', end: '2028-01-01' });
    expect(parsePeriod('2027-Q4')).toEqual({ start: '2027-10-01', end: '2028-01-01' });
    expect(parsePeriod('2027-Q2')).toEqual({ start: '2027-04-01', end: '2027-07-01' });
    expect(parsePeriod('2027-02-30/2027-03-01')).toMatch(/not a period/);
  });
  it('counts whole years and months up to the period start', () => {
    expect(wholeYearsBetween('2024-01-01', '2027-01-01')).toBe(3);
    expect(wholeYearsBetween('2024-01-02', '2027-01-01')).toBe(2);
    expect(wholeYearsBetween('2027-05-01', '2027-01-01')).toBe(0);
    expect(wholeMonthsBetween('2024-01-01', '2027-01-01')).toBe(36);
    expect(wholeMonthsBetween('2024-01-31', '2027-01-01')).toBe(35);
  });
  it('resolves yearsSinceFatalAccident relative to the period start, null when none', () => {
    const [u] = generateUnits(1);
    const years = BUILTIN_FACT_RESOLVERS.find((r) => r.name === 'yearsSinceFatalAccident')!;
    expect(years.resolve({ ...u!, lastFatalAccidentOn: '2025-06-30' }, parsePeriod('2027') as never)).toBe(1);
    expect(years.resolve({ ...u!, lastFatalAccidentOn: '2025-06-30' }, parsePeriod('2028') as never)).toBe(2);
    expect(years.resolve({ ...u!, lastFatalAccidentOn: null }, parsePeriod('2027') as never)).toBeNull();
  });
});

describe('unit facts validation', () => {
  it('accepts generated units', () => {
    for (const u of generateUnits(200, { seed: 3 })) expect(ZUnitFactsSchema.safeParse(u).success).toBe(true);
  });
  it('names the unit and the bad fact', () => {
    const [u] = generateUnits(1);
    expect(() => parseUnitFacts({ ...u, riskGrade: 'hight' }, 4)).toThrow(UnitFactsError);
    expect(() => parseUnitFacts({ ...u, riskGrade: 'hight' }, 4)).toThrow(
      new RegExp(`unit ${u!.unitId}: riskGrade`),
    );
    expect(() => parseUnitFacts({ ...u, unitId: '91120116MA00001624' })).toThrow(/check character/);
    expect(() => parseUnitFacts({ ...u, riskLevel: 'high' })).toThrow(/riskLevel/);
  });
});

describe('isValidUnitFacts (bulk-path validator)', () => {
  it('accepts only what zod accepts', async () => {
    const fc = (await import('fast-check')).default;
    const { arbUnitFacts } = await import('./testing/fixtures');
    const { isValidUnitFacts } = await import('./facts');
    const mutate = fc.record({
      key: fc.constantFrom(...Object.keys(ZUnitFactsSchema.shape), 'extra'),
      value: fc.oneof(
        fc.anything(),
        fc.constantFrom('2027-02-29', '2028-02-29', '120116', '1201160011', -1, 1.5, 'high', 'A', null),
      ),
      drop: fc.boolean(),
    });
    fc.assert(
      fc.property(arbUnitFacts, fc.option(mutate), (unit, m) => {
        const input: Record<string, unknown> = { ...unit };
        if (m) {
          if (m.drop) delete input[m.key];
          else input[m.key] = m.value;
        }
        const fast = isValidUnitFacts(input);
        if (fast) expect(ZUnitFactsSchema.safeParse(input).success).toBe(true);
        if (!m) expect(fast).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('isUsccFast', () => {
  it('agrees with packages/core usccProblem', async () => {
    const fc = (await import('fast-check')).default;
    const { usccProblem } = await import('@spotcheck/core');
    const { isUsccFast } = await import('./facts');
    const valid = generateUnits(50).map((u) => u.unitId);
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXYZIOSV'.split('');
    const code = fc.oneof(
      fc.constantFrom(...valid),
      fc
        .tuple(fc.constantFrom(...valid), fc.nat(17), fc.constantFrom(...alphabet))
        .map(([v, i, ch]) => v.slice(0, i) + ch + v.slice(i + 1)),
      fc.string({ minLength: 16, maxLength: 19 }),
    );
    fc.assert(
      fc.property(code, (c) => {
        expect(isUsccFast(c)).toBe(usccProblem(c) === null);
      }),
      { numRuns: 5000 },
    );
  });
});
