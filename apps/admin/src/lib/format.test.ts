import { describe, expect, it } from 'vitest';
import { chinaDateTimeInput, fmtRatio, fromChinaDateTimeInput, ratioPercent } from './format';

describe('planned draw times', () => {
  it('reads and writes datetime-local values as China time', () => {
    expect(chinaDateTimeInput(new Date('2027-03-01T02:00:00Z'))).toBe('2027-03-01T10:00');
    expect(fromChinaDateTimeInput('2027-03-01T10:00').toISOString()).toBe('2027-03-01T02:00:00.000Z');
    expect(fromChinaDateTimeInput('2027-03-01T10:00:30').toISOString()).toBe('2027-03-01T02:00:30.000Z');
    expect(fromChinaDateTimeInput(chinaDateTimeInput(Date.UTC(2027, 0, 1, 23, 5))).getTime()).toBe(
      Date.UTC(2027, 0, 1, 23, 5),
    );
    expect(Number.isNaN(fromChinaDateTimeInput('03/01/2027 10:00').getTime())).toBe(true);
  });
});

describe('ratios read as percentages', () => {
  it('shows a fraction as the percentage it means, a percentage as it is', () => {
    expect(fmtRatio('20%')).toBe('20%');
    expect(fmtRatio('1/5')).toBe('20%');
    expect(fmtRatio('1/20')).toBe('5%');
    expect(fmtRatio('1/3')).toBe('33.33%');
    expect(fmtRatio('2.5%')).toBe('2.5%');
    expect(fmtRatio('3/3')).toBe('100%');
    expect(fmtRatio(null)).toBe('—');
  });
});

describe('percentage inputs read any ratio', () => {
  it('gives the percentage a pack ratio means', () => {
    expect(ratioPercent('20%')).toBe(20);
    expect(ratioPercent('1/20')).toBe(5);
    expect(ratioPercent('1/5')).toBe(20);
    expect(ratioPercent(undefined)).toBeNull();
  });
});
