import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The PRC working-day calendar (国务院办公厅 holiday arrangements): public holidays and the
 * weekend days worked in lieu (调休). Built from the maintained `chinese-days` package, plus
 * years loaded from a file in the same shape (`{ "holidays": { "2027-01-01": "元旦", … },
 * "workdays": { "2027-02-07": "春节调休", … } }`) when the State Council publishes next year's
 * arrangement before the package does: set `SPOTCHECK_HOLIDAY_CALENDAR` to that file.
 * A year neither source knows counts Monday–Friday as working days and is reported as unknown.
 */
export interface WorkCalendar {
  isWorkday(date: string): boolean;
  /** Whether the official arrangement of the date's year is known. */
  knowsYear(year: number): boolean;
}

/** The shape of a calendar file. */
export interface CalendarFile {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Validates a calendar file's content, naming the first bad entry. */
export function parseCalendarFile(text: string, source = 'calendar file'): CalendarFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not JSON (${(err as Error).message})`, { cause: err });
  }
  const d = data as Partial<CalendarFile>;
  for (const key of ['holidays', 'workdays'] as const) {
    const v = d[key];
    if (!v || typeof v !== 'object' || Array.isArray(v))
      throw new Error(`${source}: "${key}" must be an object of date → name`);
    for (const [date, name] of Object.entries(v)) {
      if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
        throw new Error(`${source}: ${key}.${date} is not a date (YYYY-MM-DD)`);
      if (typeof name !== 'string') throw new Error(`${source}: ${key}.${date} must name the day`);
    }
  }
  return { holidays: d.holidays!, workdays: d.workdays! };
}

/** Years a calendar (package data or file) covers: any year with a listed holiday. */
function yearsOf(c: CalendarFile): Set<number> {
  return new Set(Object.keys(c.holidays).map((d) => Number(d.slice(0, 4))));
}

/** The package's own data (`chinese-days/dist/chinese-days.json`). */
function packageCalendar(): CalendarFile {
  // The package ships its data as JSON next to its code; read it for the years it covers.
  const path = createRequire(import.meta.url).resolve('chinese-days/dist/chinese-days.json');
  return parseCalendarFile(readFileSync(path, 'utf8'), 'chinese-days');
}

/** Builds a calendar from the package and extra files' contents (later ones win). */
export function makeWorkCalendar(extra: CalendarFile[] = []): WorkCalendar {
  const base = packageCalendar();
  const years = yearsOf(base);
  const holidays = new Set(Object.keys(base.holidays));
  const workdays = new Set(Object.keys(base.workdays));
  for (const c of extra) {
    for (const y of yearsOf(c)) {
      // A loaded year replaces what the package said about it.
      for (const d of [...holidays]) if (d.startsWith(`${y}-`)) holidays.delete(d);
      for (const d of [...workdays]) if (d.startsWith(`${y}-`)) workdays.delete(d);
      years.add(y);
    }
    for (const d of Object.keys(c.holidays)) holidays.add(d);
    for (const d of Object.keys(c.workdays)) workdays.add(d);
  }
  return {
    isWorkday(date) {
      if (holidays.has(date)) return false;
      if (workdays.has(date)) return true;
      const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
      return dow !== 0 && dow !== 6;
    },
    knowsYear: (year) => years.has(year),
  };
}

let cached: WorkCalendar | null = null;

/** The process's calendar: the package plus `SPOTCHECK_HOLIDAY_CALENDAR` (comma-separated files). */
export function workCalendar(): WorkCalendar {
  if (cached) return cached;
  const files = (process.env.SPOTCHECK_HOLIDAY_CALENDAR ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  cached = makeWorkCalendar(files.map((f) => parseCalendarFile(readFileSync(f, 'utf8'), f)));
  return cached;
}

/** Calendar date `n` days after `date` (YYYY-MM-DD). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
}

/** The `n`-th working day strictly after `date` (n ≥ 1). */
export function nthWorkdayAfter(cal: WorkCalendar, date: string, n: number): string {
  let d = date;
  for (let k = 0; k < n;) {
    d = addDays(d, 1);
    if (cal.isWorkday(d)) k++;
  }
  return d;
}

/** Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is before. */
export function workdaysBetween(cal: WorkCalendar, from: string, to: string): number {
  if (to < from) return -workdaysBetween(cal, to, from);
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (cal.isWorkday(d)) n++;
  return n;
}
