import { describe, expect, it } from 'vitest';
import { applyRatio, compareRatios, maxRatio, parseRatio } from './ratio';

describe('exact ratios', () => {
  it('parses percentages and fractions exactly', () => {
    expect(parseRatio('5%')).toEqual({ num: 5, den: 100 });
    expect(parseRatio('2.5%')).toEqual({ num: 25, den: 1000 });
    expect(parseRatio('1/20')).toEqual({ num: 1, den: 20 });
  });
  it('rejects floats, out-of-range and malformed ratios with a hint', () => {
    expect(parseRatio('0.05')).toMatch(/write a percentage like "5%"/);
    expect(parseRatio('3/2')).toMatch(/above 1/);
    expect(parseRatio('101%')).toMatch(/not a ratio/);
    expect(parseRatio('1/0')).toMatch(/not a ratio/);
  });
  it('compares across notations without floating point', () => {
    expect(compareRatios('5%', '1/20')).toBe(0);
    expect(compareRatios('1/3', '33.3333%')).toBeGreaterThan(0);
    expect(maxRatio('12%', '1/5')).toBe('1/5');
    expect(maxRatio('5%', '1/20')).toBe('5%');
  });
  it('rounds a stratum quota up', () => {
    expect(applyRatio('5%', 100)).toBe(5);
    expect(applyRatio('5%', 101)).toBe(6);
    expect(applyRatio('1/3', 3)).toBe(1);
    expect(applyRatio('0%', 1000)).toBe(0);
  });
});
