import { BANK_HOLIDAY_DATES } from './bankHolidays.js';
import { ENGLAND_ZONE, englandDate } from './englandDates.js';
import { zoneOffsetMinutes } from './time.js';

/**
 * Working days as the Victims' Code counts them in England and Wales: Monday
 * to Friday, bank holidays excepted, on the calendar in England (a date is
 * London's date, whatever the server's zone). Dates are YYYY-MM-DD strings.
 */

const DAY_MS = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const midnightUtc = (date: string) => Date.parse(`${date}T00:00:00Z`);
const nextDate = (date: string) => dateOf(midnightUtc(date) + DAY_MS);

export function isWorkingDay(date: string, holidays: ReadonlySet<string> = BANK_HOLIDAY_DATES): boolean {
  const weekday = new Date(midnightUtc(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(date);
}

/** The nth working day after `date`: the day itself never counts, whether or not it is a working day. */
export function addWorkingDays(date: string, n: number, holidays: ReadonlySet<string> = BANK_HOLIDAY_DATES): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number, not ${n}`);
  let day = date;
  for (let left = n; left > 0; ) {
    day = nextDate(day);
    if (isWorkingDay(day, holidays)) left -= 1;
  }
  return day;
}

/** The last millisecond of a date in England, in UTC. */
export function endOfEnglandDay(date: string): string {
  const nextMidnight = midnightUtc(nextDate(date));
  // England's clocks change at 01:00 UTC, never within the hour before a UTC midnight: the offset then is the day's own.
  const offsetMinutes = zoneOffsetMinutes(ENGLAND_ZONE, nextMidnight - 3_600_000);
  return new Date(nextMidnight - offsetMinutes * 60_000 - 1).toISOString();
}

/** A deadline of n working days after an event: the end of that working day in England. */
export function workingDaysAfter(
  eventAt: string,
  n: number,
  holidays: ReadonlySet<string> = BANK_HOLIDAY_DATES,
): string {
  return endOfEnglandDay(addWorkingDays(englandDate(eventAt), n, holidays));
}

/** A deadline of n calendar days "beginning with" a day (the day itself is the first): the end of its last day in England. */
export function daysBeginningWith(at: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a period of days is at least 1 day, not ${n}`);
  return endOfEnglandDay(dateOf(midnightUtc(englandDate(at)) + (n - 1) * DAY_MS));
}
