import { describe, expect, it } from 'vitest';
import { LOTTERY_SCHEDULES, nextLotteryDraw, scheduledIssue } from './lottery-schedule';
import { sourceTime, startOfDateUtc8 } from './sources';
import { LOTTERY_GAME_IDS } from './types';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('lottery schedules', () => {
  it('numbers issues by the year’s draw days as the operators do (first draws of 2025)', () => {
    expect(scheduledIssue('cwl-ssq', '2025-01-02')).toBe('2025001'); // Thursday; Jan 1 (Wed) has no draw
    expect(scheduledIssue('cwl-ssq', '2025-01-05')).toBe('2025002'); // Sunday
    expect(scheduledIssue('sl-dlt', '2025-01-01')).toBe('25001'); // Wednesday
    expect(scheduledIssue('cwl-3d', '2025-01-10')).toBe('2025010');
    expect(scheduledIssue('sl-pl5', '2027-01-05')).toBe('27005');
  });

  it('proposes only draws that do not exist yet: never today’s, never before the planned time', () => {
    // 2027-01-05 is a Tuesday; at 22:00 UTC+8 today's 双色球 (21:15) is public already.
    const now = at('2027-01-05T14:00:00Z');
    const p = nextLotteryDraw('cwl-ssq', now, now, now + 7 * 86_400)!;
    expect(p.source.drawDate).toBe('2027-01-07'); // Thursday, not today
    expect(p.drawAt).toBe(startOfDateUtc8('2027-01-07') + (21 * 60 + 15) * 60);
    expect(sourceTime(p.source)).toBeGreaterThan(now);
    // Planned later: the first draw at or after the planned time.
    const later = nextLotteryDraw('cwl-ssq', now, at('2027-01-08T00:00:00Z'), now + 7 * 86_400)!;
    expect(later.source.drawDate).toBe('2027-01-10');
    // Even at 00:30 UTC+8, today's draw (still hours away) is not proposed: a date later than today only.
    const early = at('2027-01-06T16:30:00Z'); // 2027-01-07 00:30 UTC+8
    expect(nextLotteryDraw('cwl-3d', early, early, early + 7 * 86_400)!.source.drawDate).toBe('2027-01-08');
    // Nothing inside the horizon → null.
    expect(nextLotteryDraw('sl-dlt', now, now, now + 3600)).toBeNull();
  });

  it('has a schedule for every game of the table', () => {
    for (const g of LOTTERY_GAME_IDS) expect(LOTTERY_SCHEDULES[g].weekdays.length).toBeGreaterThan(0);
  });
});
