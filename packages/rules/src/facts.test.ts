import { describe, expect, it } from 'vitest';
import { BUILTIN_FACT_RESOLVERS, parsePeriod, wholeMonthsBetween, wholeYearsBetween, ZUnitFactsSchema } from './facts';
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
    expect(() => parseUnitFacts({ ...u, riskGrade: 'hight' }, 4)).toThrow(new RegExp(`unit ${u!.unitId}: riskGrade`));
    expect(() => parseUnitFacts({ ...u, unitId: '91120116MA00001624' })).toThrow(/check character/);
    expect(() => parseUnitFacts({ ...u, riskLevel: 'high' })).toThrow(/riskLevel/);
  });
});
