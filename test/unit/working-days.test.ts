import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  BANK_HOLIDAY_DATES,
  BANK_HOLIDAYS_LAST_YEAR,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
} from '../../functions/domain/bankHolidays.js';
import { policy } from '../../functions/domain/policy.js';
import { englandDate } from '../../functions/domain/englandDates.js';
import {
  addWorkingDays,
  BankHolidaysUnknown,
  bankHolidayOutlook,
  daysBeginningWith,
  endOfEnglandDay,
  isWorkingDay,
  workingDaysAfter,
} from '../../functions/domain/workingDays.js';

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

describe('the bank holidays kept as data', () => {
  test('cover 2025 to 2028, eight a year, each on a weekday (substitute days where the day falls at a weekend)', () => {
    expect(Object.keys(ENGLAND_AND_WALES_BANK_HOLIDAYS).map(Number)).toEqual([2025, 2026, 2027, 2028]);
    for (const [year, days] of Object.entries(ENGLAND_AND_WALES_BANK_HOLIDAYS)) {
      expect(days, year).toHaveLength(8);
      for (const d of days) {
        expect(d.date.startsWith(year), d.date).toBe(true);
        expect([1, 2, 3, 4, 5], `${d.date} ${d.title}`).toContain(weekday(d.date));
      }
    }
  });

  test('Good Friday and Easter Monday are three days apart; the May and August holidays are Mondays', () => {
    for (const days of Object.values(ENGLAND_AND_WALES_BANK_HOLIDAYS)) {
      const friday = days.find((d) => d.title === 'Good Friday')!.date;
      const monday = days.find((d) => d.title === 'Easter Monday')!.date;
      expect(weekday(friday)).toBe(5);
      expect((Date.parse(monday) - Date.parse(friday)) / 86_400_000).toBe(3);
      for (const d of days.filter((x) => /bank holiday/.test(x.title))) expect(weekday(d.date), d.title).toBe(1);
    }
  });
});

describe('working days', () => {
  test('skip weekends and bank holidays', () => {
    expect(isWorkingDay('2026-11-20')).toBe(true); // a Friday
    expect(isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-22')).toBe(false); // Sunday
    expect(isWorkingDay('2026-08-31')).toBe(false); // Summer bank holiday
    expect(isWorkingDay('2027-12-27')).toBe(false); // Christmas Day, substitute
  });

  test('count from the day after: the day of the event never counts', () => {
    expect(addWorkingDays('2026-11-18', 1)).toBe('2026-11-19'); // Wednesday to Thursday
    expect(addWorkingDays('2026-11-20', 1)).toBe('2026-11-23'); // Friday to Monday
    expect(addWorkingDays('2026-11-21', 1)).toBe('2026-11-23'); // Saturday to Monday
    expect(addWorkingDays('2026-11-18', 5)).toBe('2026-11-25'); // a week on
    expect(addWorkingDays('2026-11-18', 0)).toBe('2026-11-18');
  });

  test('across Easter', () => {
    expect(addWorkingDays('2026-04-02', 1)).toBe('2026-04-07'); // Thursday: Good Friday and Easter Monday skipped
    expect(addWorkingDays('2025-04-17', 5)).toBe('2025-04-28');
  });

  test('across Christmas and the year end, with substitute days', () => {
    expect(addWorkingDays('2025-12-24', 1)).toBe('2025-12-29');
    expect(addWorkingDays('2025-12-19', 5)).toBe('2025-12-30');
    expect(addWorkingDays('2025-12-31', 1)).toBe('2026-01-02'); // New Year's Day skipped
    expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-29'); // Christmas Friday, Boxing Day's substitute on Monday
    expect(addWorkingDays('2026-12-24', 5)).toBe('2027-01-05'); // New Year's Day 2027 on a Friday
    expect(addWorkingDays('2027-12-24', 1)).toBe('2027-12-29'); // both substitutes on Monday and Tuesday
    expect(addWorkingDays('2027-12-31', 1)).toBe('2028-01-04'); // New Year's Day's substitute on 3 January 2028
    expect(addWorkingDays('2028-12-22', 1)).toBe('2028-12-27');
  });

  test('past the years listed nothing is guessed: the count throws BankHolidaysUnknown, naming the date and the last year', () => {
    expect(BANK_HOLIDAYS_LAST_YEAR).toBe(2028);
    // The last working day of 2028 is still counted to; the first day of 2029 is not known.
    expect(addWorkingDays('2028-12-28', 1)).toBe('2028-12-29');
    expect(isWorkingDay('2028-12-31')).toBe(false);
    let thrown: unknown;
    try {
      addWorkingDays('2028-12-29', 1);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(BankHolidaysUnknown);
    expect(thrown).toMatchObject({ name: 'BankHolidaysUnknown', date: '2029-01-01', lastYear: 2028 });
    expect(() => isWorkingDay('2029-03-02')).toThrow(BankHolidaysUnknown);
    // 23:30 UTC on 31 December is still 2028 in England (GMT): one working day on is past the table.
    expect(() => workingDaysAfter('2028-12-31T23:30:00Z', 1)).toThrow(BankHolidaysUnknown);
    // A table that goes one year further counts on.
    expect(addWorkingDays('2028-12-29', 1, new Set(['2029-01-01']), 2029)).toBe('2029-01-02');
  });

  test('refuse a number of days that is not whole and not negative', () => {
    expect(() => addWorkingDays('2026-11-18', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-11-18', 1.5)).toThrow(RangeError);
  });

  test('a result is always a working day, strictly after the start, with exactly n working days up to it', () => {
    const start = Date.parse('2024-12-01T00:00:00Z');
    fc.assert(
      // Up to the end of November 2028: 15 working days on stays inside the table.
      fc.property(fc.integer({ min: 0, max: 365 * 4 - 1 }), fc.integer({ min: 1, max: 15 }), (offset, n) => {
        const from = new Date(start + offset * 86_400_000).toISOString().slice(0, 10);
        const to = addWorkingDays(from, n);
        expect(isWorkingDay(to)).toBe(true);
        let counted = 0;
        for (let d = Date.parse(from) + 86_400_000; d <= Date.parse(to); d += 86_400_000)
          if (isWorkingDay(new Date(d).toISOString().slice(0, 10))) counted += 1;
        expect(counted).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  test('every bank holiday listed is skipped', () => {
    for (const date of BANK_HOLIDAY_DATES) expect(isWorkingDay(date), date).toBe(false);
  });
});

describe('dates and deadlines in England', () => {
  test('the date is England’s, not UTC’s: 23:30 UTC in summer is already the next day', () => {
    expect(englandDate('2026-07-10T23:30:00Z')).toBe('2026-07-11');
    expect(englandDate('2026-01-10T23:30:00Z')).toBe('2026-01-10');
  });

  test('a deadline is the last moment of its day in England, in GMT and in BST, and on the days the clocks change', () => {
    expect(endOfEnglandDay('2026-01-15')).toBe('2026-01-15T23:59:59.999Z');
    expect(endOfEnglandDay('2026-07-15')).toBe('2026-07-15T22:59:59.999Z');
    expect(endOfEnglandDay('2026-03-28')).toBe('2026-03-28T23:59:59.999Z'); // the Saturday before the clocks go forward
    expect(endOfEnglandDay('2026-03-29')).toBe('2026-03-29T22:59:59.999Z'); // the day they do
    expect(endOfEnglandDay('2026-10-24')).toBe('2026-10-24T22:59:59.999Z'); // the Saturday before they go back
    expect(endOfEnglandDay('2026-10-25')).toBe('2026-10-25T23:59:59.999Z');
  });

  test('the Victims’ Code deadline: 1 or 5 working days after the event, to the end of that day', () => {
    // Arrested on a Friday evening in December, just before midnight in England.
    expect(workingDaysAfter('2025-12-19T23:30:00Z', 1)).toBe('2025-12-22T23:59:59.999Z');
    expect(workingDaysAfter('2025-12-19T23:30:00Z', 5)).toBe('2025-12-30T23:59:59.999Z');
    // 23:30 UTC on a summer Thursday is Friday in England: the next working day is Monday.
    expect(workingDaysAfter('2026-07-09T23:30:00Z', 1)).toBe('2026-07-13T22:59:59.999Z');
  });

  test('"3 days beginning with the day of service": the day of service is the first', () => {
    expect(daysBeginningWith('2026-11-16T15:00:00Z', 3)).toBe('2026-11-18T23:59:59.999Z');
    expect(daysBeginningWith('2026-12-30T10:00:00Z', 3)).toBe('2027-01-01T23:59:59.999Z');
    expect(() => daysBeginningWith('2026-11-16T15:00:00Z', 0)).toThrow(RangeError);
  });
});

describe('how long the bank holidays listed last', () => {
  test('no warning while the table ends beyond the horizon (180 days by default)', () => {
    expect(policy.bankHolidayWarningDays).toBe(180);
    expect(bankHolidayOutlook('2026-11-30T12:00:00Z')).toEqual({ lastYear: 2028, endsOn: '2028-12-31', daysLeft: 762 });
    // 4 July 2028 is 180 days before 31 December: the last day without a warning.
    expect(bankHolidayOutlook('2028-07-04T12:00:00Z').warning).toBeUndefined();
  });

  test('a warning from the day the table ends within the horizon, counted on England’s date', () => {
    const within = bankHolidayOutlook('2028-07-05T12:00:00Z');
    expect(within.daysLeft).toBe(179);
    expect(within.warning).toMatch(/end on 2028-12-31, in 179 days: add the next year/);
    // 23:30 UTC on 4 July is already 5 July in England (BST).
    expect(bankHolidayOutlook('2028-07-04T23:30:00Z').daysLeft).toBe(179);
    expect(bankHolidayOutlook('2028-12-31T10:00:00Z').warning).toMatch(/in 0 days/);
  });

  test('past its end the warning says deadlines cannot be set', () => {
    const past = bankHolidayOutlook('2029-01-02T10:00:00Z');
    expect(past.daysLeft).toBe(-2);
    expect(past.warning).toMatch(/ended on 2028-12-31: working-day deadlines cannot be set/);
  });

  test('the horizon and the last year are the caller’s to give', () => {
    expect(bankHolidayOutlook('2026-11-30T12:00:00Z', 2026, 10).warning).toBeUndefined();
    expect(bankHolidayOutlook('2026-12-25T12:00:00Z', 2026, 10).daysLeft).toBe(6);
    expect(bankHolidayOutlook('2026-12-25T12:00:00Z', 2026, 10).warning).toBeDefined();
  });
});
