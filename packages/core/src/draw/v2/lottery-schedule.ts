/**
 * When the games of the lottery table draw (China Welfare Lottery, China Sports Lottery), to propose
 * lottery issues that do not exist yet. Draw days and times are the operators' regular schedules
 * (UTC+8); issue numbers count the year's draw days (`YYYYNNN` for welfare games, `YYNNN` for sports
 * games). The operators suspend draws around the Spring Festival and announce it each year, so a
 * proposed issue number is an estimate to check against the operator's announcement; its draw date
 * is what the commitment's timing rules use.
 */
import { startOfDateUtc8 } from './sources';
import { LOTTERY_GAME_IDS, type LotteryGameId, type LotterySource } from './types';

/** A game's regular schedule. */
export interface LotterySchedule {
  /** Draw weekdays in UTC+8, 0 = Sunday … 6 = Saturday. */
  weekdays: readonly number[];
  /** Draw time in UTC+8, minutes after midnight. */
  drawMinute: number;
  /** Digits of the year in the issue number: 4 (`2027005`) or 2 (`27005`). */
  yearDigits: 4 | 2;
}

const DAILY = [0, 1, 2, 3, 4, 5, 6];
/** The regular schedules of the lottery table's games. */
export const LOTTERY_SCHEDULES: Readonly<Record<LotteryGameId, LotterySchedule>> = {
  'cwl-ssq': { weekdays: [0, 2, 4], drawMinute: 21 * 60 + 15, yearDigits: 4 },
  'cwl-kl8': { weekdays: DAILY, drawMinute: 21 * 60 + 30, yearDigits: 4 },
  'cwl-3d': { weekdays: DAILY, drawMinute: 21 * 60 + 15, yearDigits: 4 },
  'sl-dlt': { weekdays: [1, 3, 6], drawMinute: 21 * 60 + 25, yearDigits: 2 },
  'sl-pl3': { weekdays: DAILY, drawMinute: 21 * 60 + 25, yearDigits: 2 },
  'sl-pl5': { weekdays: DAILY, drawMinute: 21 * 60 + 25, yearDigits: 2 },
};

/** A proposed lottery draw. */
export interface ProposedLotteryDraw {
  source: LotterySource;
  /** The scheduled draw instant, Unix seconds. */
  drawAt: number;
  /** True: the issue number counts the regular schedule and must be checked against the operator's announcement. */
  estimated: true;
}

const DAY = 86_400;

/** `YYYY-MM-DD` of a day number (days since 1970-01-01) read as a UTC+8 calendar day. */
function dateOfDay(day: number): string {
  return new Date(day * DAY * 1000).toISOString().slice(0, 10);
}

/** The UTC+8 calendar day number of an instant. */
function dayOfInstant(seconds: number): number {
  return Math.floor((seconds + 8 * 3600) / DAY);
}

/** Weekday (0 = Sunday) of a day number. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** The issue number of a scheduled draw day: its rank among the year's scheduled days. */
export function scheduledIssue(game: LotteryGameId, drawDate: string): string {
  const s = LOTTERY_SCHEDULES[game];
  const year = Number(drawDate.slice(0, 4));
  const first = Math.round(Date.UTC(year, 0, 1) / 1000 / DAY);
  const target = Math.round(
    Date.UTC(year, Number(drawDate.slice(5, 7)) - 1, Number(drawDate.slice(8, 10))) / 1000 / DAY,
  );
  let n = 0;
  for (let d = first; d <= target; d++) if (s.weekdays.includes(weekday(d))) n++;
  const y = s.yearDigits === 4 ? String(year) : String(year % 100).padStart(2, '0');
  return `${y}${String(n).padStart(3, '0')}`;
}

/**
 * The first scheduled draw of `game` that does not exist yet at `now` and comes at or after `after`
 * (both Unix seconds): its draw date is later than today's UTC+8 date (a draw of today may be
 * public already), and its draw instant is at least `after`. Null when none falls before `until`.
 */
export function nextLotteryDraw(
  game: LotteryGameId,
  now: number,
  after: number,
  until: number,
): ProposedLotteryDraw | null {
  const s = LOTTERY_SCHEDULES[game];
  for (let day = Math.max(dayOfInstant(now) + 1, dayOfInstant(after)); ; day++) {
    const drawDate = dateOfDay(day);
    const drawAt = startOfDateUtc8(drawDate) + s.drawMinute * 60;
    if (drawAt > until) return null;
    if (!s.weekdays.includes(weekday(day)) || drawAt < after) continue;
    return {
      source: { kind: 'lottery', game, issue: scheduledIssue(game, drawDate), drawDate },
      drawAt,
      estimated: true,
    };
  }
}

/** True for a game id of the table (re-exported for callers that only import the schedule). */
export function isScheduledGame(game: string): game is LotteryGameId {
  return (LOTTERY_GAME_IDS as readonly string[]).includes(game);
}
