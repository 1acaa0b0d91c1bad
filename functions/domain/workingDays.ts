import { BANK_HOLIDAY_DATES, BANK_HOLIDAYS_LAST_YEAR } from './bankHolidays.js';
import { ENGLAND_ZONE, englandDate } from './englandDates.js';
import { policy } from './policy.js';
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

/**
 * A working day was asked of a date past the bank holidays listed
 * (bankHolidays.ts): nobody can say whether it is one, so the count stops
 * here rather than counting weekends only and setting a deadline on a bank
 * holiday. Fixed by adding the next year to the table.
 */
export class BankHolidaysUnknown extends Error {
  override readonly name = 'BankHolidaysUnknown';
  constructor(
    readonly date: string,
    readonly lastYear: number,
  ) {
    super(
      `working days cannot be counted to ${date}: the bank holidays listed end with ${lastYear} (functions/domain/bankHolidays.ts)`,
    );
  }
}

/** Whether a date is a working day; BankHolidaysUnknown for a date past `lastYear`, the last year `holidays` lists. */
export function isWorkingDay(
  date: string,
  holidays: ReadonlySet<string> = BANK_HOLIDAY_DATES,
  lastYear = BANK_HOLIDAYS_LAST_YEAR,
): boolean {
  if (Number(date.slice(0, 4)) > lastYear) throw new BankHolidaysUnknown(date, lastYear);
  const weekday = new Date(midnightUtc(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(date);
}

/** The nth working day after `date`: the day itself never counts, whether or not it is a working day. */
export function addWorkingDays(
  date: string,
  n: number,
  holidays: ReadonlySet<string> = BANK_HOLIDAY_DATES,
  lastYear = BANK_HOLIDAYS_LAST_YEAR,
): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number, not ${n}`);
  let day = date;
  for (let left = n; left > 0; ) {
    day = nextDate(day);
    if (isWorkingDay(day, holidays, lastYear)) left -= 1;
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
  lastYear = BANK_HOLIDAYS_LAST_YEAR,
): string {
  return endOfEnglandDay(addWorkingDays(englandDate(eventAt), n, holidays, lastYear));
}

/** A deadline of n calendar days "beginning with" a day (the day itself is the first): the end of its last day in England. */
export function daysBeginningWith(at: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a period of days is at least 1 day, not ${n}`);
  return endOfEnglandDay(dateOf(midnightUtc(englandDate(at)) + (n - 1) * DAY_MS));
}

export interface BankHolidayOutlook {
  /** The last year the table lists. */
  lastYear: number;
  /** Its last day. */
  endsOn: string;
  /** Whole days from today in England to that day (negative once past it). */
  daysLeft: number;
  /** Set when the table ends within `horizonDays`: add the next year from GOV.UK's list. */
  warning?: string;
}

/**
 * How long the bank holidays listed last, seen from `now`: GET /health and
 * the daily check (functions/handlers/scheduled/bankHolidayCheck.ts) warn
 * when they end within `horizonDays` (policy.bankHolidayWarningDays), well
 * before a working-day count reaches past them and throws BankHolidaysUnknown.
 */
export function bankHolidayOutlook(
  now: string,
  lastYear = BANK_HOLIDAYS_LAST_YEAR,
  horizonDays: number = policy.bankHolidayWarningDays,
): BankHolidayOutlook {
  const endsOn = `${lastYear}-12-31`;
  const daysLeft = Math.round((midnightUtc(endsOn) - midnightUtc(englandDate(now))) / DAY_MS);
  return {
    lastYear,
    endsOn,
    daysLeft,
    ...(daysLeft < horizonDays
      ? {
          warning:
            daysLeft < 0
              ? `the bank holidays listed ended on ${endsOn}: working-day deadlines cannot be set until the next years are added (functions/domain/bankHolidays.ts)`
              : `the bank holidays listed end on ${endsOn}, in ${daysLeft} day${daysLeft === 1 ? '' : 's'}: add the next year from GOV.UK's list (functions/domain/bankHolidays.ts)`,
        }
      : {}),
  };
}
