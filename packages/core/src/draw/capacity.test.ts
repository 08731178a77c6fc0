import { describe, expect, it } from 'vitest';
import { capacityReport } from './capacity';
import type { FrameRow, InspectorRow } from './rows';

// Two mandatory hazchem units, four srs units of which the quota takes two (one hazchem).
const frame: FrameRow[] = [
  ['U1', 'mandatory', 1, 1, 'hazchem'],
  ['U2', 'mandatory', 1, 1, 'hazchem'],
  ['U3', 'sample', 1, 0, 'hazchem'],
  ['U4', 'sample', 1, 0, ''],
  ['U5', 'sample', 1, 0, ''],
  ['U6', 'sample', 1, 0, ''],
];
const strata = [
  { id: 'mandatory', method: 'srs' as const, quota: 0 },
  { id: 'sample', method: 'srs' as const, quota: 2 },
];
const generalists: InspectorRow[] = [
  ['I1', 3, [], []],
  ['I2', 3, [], []],
];

describe('capacityReport', () => {
  it('counts every selected unit times the team size against the whole roster', () => {
    const r = capacityReport(frame, strata, generalists, { size: 2, specialist: false });
    expect(r.units).toBe(4);
    expect(r.places).toBe(8);
    expect(r.pools).toEqual([{ specialty: null, inspectors: 2, capacity: 6, demand: 8, shortfall: 2 }]);
    expect(r.ok).toBe(false);
  });

  it('asks the specialty pool for specialist-led teams only', () => {
    const roster: InspectorRow[] = [...generalists, ['I3', 5, ['hazchem'], []], ['I4', 5, [], []]];
    const plain = capacityReport(frame, strata, roster, { size: 2, specialist: false });
    expect(plain.pools.map((p) => p.specialty)).toEqual([null]);
    expect(plain.ok).toBe(true);
    // 2 mandatory + a quarter share of the 2 picks = 2.5 → 3 specialist places; one holder has 5.
    const led = capacityReport(frame, strata, roster, { size: 2, specialist: true });
    expect(led.pools[1]).toEqual({
      specialty: 'hazchem',
      inspectors: 1,
      capacity: 5,
      demand: 3,
      shortfall: 0,
    });
    const short = capacityReport(frame, strata, [...generalists, ['I3', 1, ['hazchem'], []]], {
      size: 2,
      specialist: true,
    });
    expect(short.pools[1]!.shortfall).toBe(2);
    expect(short.ok).toBe(false);
  });
});
