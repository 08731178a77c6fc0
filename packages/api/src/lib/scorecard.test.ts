import { describe, expect, it } from 'vitest';
import { procedureLeads, quartersUpTo, rosterWindow } from './scorecard';

describe('scorecard helpers', () => {
  it('reads the leading group as text or as { leader, members }', () => {
    expect(procedureLeads({ leadDepartment: '执法科', leadingGroup: '局长任组长' })).toEqual({
      leadDepartment: '执法科',
      leadingGroup: '局长任组长',
    });
    expect(procedureLeads({ leadingGroup: { leader: '局长', members: ['副局长', '科长'] } })).toEqual({
      leadDepartment: null,
      leadingGroup: '组长：局长；成员：副局长、科长',
    });
    expect(procedureLeads(null)).toEqual({ leadDepartment: null, leadingGroup: null });
  });

  it('counts quarters back across a year and opens the roster window a quarter early', () => {
    expect(quartersUpTo('2027-Q2', 4)).toEqual(['2026-Q3', '2026-Q4', '2027-Q1', '2027-Q2']);
    expect(rosterWindow('2027-Q1')).toBe('2026-10-01');
    expect(() => quartersUpTo('2027-05', 2)).toThrow(/period/);
  });
});
