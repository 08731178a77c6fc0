import { describe, expect, it } from 'vitest';
import { INDUSTRY_IDS, isValidUscc } from '@spotcheck/core';
import { generateExperts, generateInspectors } from './people';
import { checkUnitCount, generateUnits } from './units';

const streetsByDistrict = new Map<string, string[]>();

describe('demo city generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = [...generateUnits({ seed: 7, count: 500, streetsByDistrict })];
    const b = [...generateUnits({ seed: 7, count: 500, streetsByDistrict })];
    const c = [...generateUnits({ seed: 8, count: 500, streetsByDistrict })];
    expect(a).toEqual(b);
    expect(a.map((x) => x.unit.riskGrade)).not.toEqual(c.map((x) => x.unit.riskGrade));
  });

  it('gives exactly the requested count, unique valid credit codes, every district', () => {
    const units = [...generateUnits({ seed: 1, count: 3001, streetsByDistrict })].map((x) => x.unit);
    expect(units).toHaveLength(3001);
    expect(new Set(units.map((u) => u.id)).size).toBe(3001);
    expect(units.every((u) => isValidUscc(u.id) && u.id.slice(2, 8) === u.bureauCode)).toBe(true);
    expect(new Set(units.map((u) => u.bureauCode)).size).toBe(16);
    expect(units.every((u) => INDUSTRY_IDS.includes(u.industry))).toBe(true);
  });

  it('gives districts their local industry mix', () => {
    const units = [...generateUnits({ seed: 2, count: 20_000, streetsByDistrict })].map((x) => x.unit);
    const share = (bureau: string, industry: string) => {
      const inBureau = units.filter((u) => u.bureauCode === bureau);
      return inBureau.filter((u) => u.industry === industry).length / inBureau.length;
    };
    expect(share('120116', 'hazardous-chemicals')).toBeGreaterThan(0.15);
    expect(share('120118', 'metallurgy')).toBeGreaterThan(0.2);
    expect(share('120119', 'non-coal-mine')).toBeGreaterThan(0.08);
    expect(share('120101', 'trade')).toBeGreaterThan(0.5);
    expect(share('120101', 'non-coal-mine')).toBe(0);
  });

  it('keeps facts consistent with the unit flags', () => {
    for (const { unit, facts } of generateUnits({ seed: 3, count: 5000, streetsByDistrict })) {
      expect(facts.some((f) => f.kind === 'blacklist')).toBe(unit.blacklisted);
      expect(facts.some((f) => f.kind === 'joint-punishment')).toBe(unit.jointPunishment);
      const fatal = facts.find((f) => f.kind === 'fatal-accident');
      expect(fatal?.effectiveOn ?? null).toBe(unit.lastFatalAccidentOn);
    }
  });

  it('refuses nonsense sizes with a message naming the option', () => {
    expect(() => checkUnitCount(0)).toThrow(/--units must be a whole number of at least 16/);
    expect(() => checkUnitCount(1.5)).toThrow(/--units/);
    expect(() => checkUnitCount(5_000_000)).toThrow(/at most 2,000,000/);
  });

  it('builds about 300 inspectors (more where the rules’ workload is higher) and 60 experts', () => {
    const inspectors = generateInspectors(1);
    expect(inspectors.length).toBeGreaterThanOrEqual(330);
    expect(inspectors.length).toBeLessThanOrEqual(360);
    expect(new Set(inspectors.map((i) => i.id)).size).toBe(inspectors.length);
    expect(inspectors.every((i) => i.specialties.length >= 1)).toBe(true);
    expect(generateExperts(1)).toHaveLength(60);
  });
});

describe('demo unit names', () => {
  it('are unique across a large roster', () => {
    const names = [...generateUnits({ seed: 5, count: 50_000, streetsByDistrict })].map((x) => x.unit.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => /^天津\S+(有限公司|经营部)(第\d+分公司)?$/.test(n))).toBe(true);
  });
});
