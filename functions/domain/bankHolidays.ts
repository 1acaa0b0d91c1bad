/**
 * Bank holidays in England and Wales, as GOV.UK publishes them
 * (https://www.gov.uk/bank-holidays, the "england-and-wales" division),
 * typed in from that list: substitute days are the ones listed, never
 * computed here. Extend it each year when GOV.UK publishes the next one. A
 * working-day count that reaches past the last year listed throws
 * BankHolidaysUnknown (workingDays.ts) rather than counting weekends only;
 * GET /health warns, and an alarm fires, once the table ends within
 * policy.bankHolidayWarningDays (docs/deployment.md).
 */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: Readonly<Record<number, readonly { date: string; title: string }[]>> = {
  2025: [
    { date: '2025-01-01', title: 'New Year’s Day' },
    { date: '2025-04-18', title: 'Good Friday' },
    { date: '2025-04-21', title: 'Easter Monday' },
    { date: '2025-05-05', title: 'Early May bank holiday' },
    { date: '2025-05-26', title: 'Spring bank holiday' },
    { date: '2025-08-25', title: 'Summer bank holiday' },
    { date: '2025-12-25', title: 'Christmas Day' },
    { date: '2025-12-26', title: 'Boxing Day' },
  ],
  2026: [
    { date: '2026-01-01', title: 'New Year’s Day' },
    { date: '2026-04-03', title: 'Good Friday' },
    { date: '2026-04-06', title: 'Easter Monday' },
    { date: '2026-05-04', title: 'Early May bank holiday' },
    { date: '2026-05-25', title: 'Spring bank holiday' },
    { date: '2026-08-31', title: 'Summer bank holiday' },
    { date: '2026-12-25', title: 'Christmas Day' },
    { date: '2026-12-28', title: 'Boxing Day (substitute day)' },
  ],
  2027: [
    { date: '2027-01-01', title: 'New Year’s Day' },
    { date: '2027-03-26', title: 'Good Friday' },
    { date: '2027-03-29', title: 'Easter Monday' },
    { date: '2027-05-03', title: 'Early May bank holiday' },
    { date: '2027-05-31', title: 'Spring bank holiday' },
    { date: '2027-08-30', title: 'Summer bank holiday' },
    { date: '2027-12-27', title: 'Christmas Day (substitute day)' },
    { date: '2027-12-28', title: 'Boxing Day (substitute day)' },
  ],
  2028: [
    { date: '2028-01-03', title: 'New Year’s Day (substitute day)' },
    { date: '2028-04-14', title: 'Good Friday' },
    { date: '2028-04-17', title: 'Easter Monday' },
    { date: '2028-05-01', title: 'Early May bank holiday' },
    { date: '2028-05-29', title: 'Spring bank holiday' },
    { date: '2028-08-28', title: 'Summer bank holiday' },
    { date: '2028-12-25', title: 'Christmas Day' },
    { date: '2028-12-26', title: 'Boxing Day' },
  ],
};

// Worked out in pure calls (the annotations), so a bundle that counts no working days leaves the table out (issue 18).
export const BANK_HOLIDAY_DATES: ReadonlySet<string> = /* @__PURE__ */ (() =>
  new Set(Object.values(ENGLAND_AND_WALES_BANK_HOLIDAYS).flatMap((year) => year.map((h) => h.date))))();

/** The last year the table lists: no working day after it can be counted. */
export const BANK_HOLIDAYS_LAST_YEAR: number = /* @__PURE__ */ (() =>
  Math.max(...Object.keys(ENGLAND_AND_WALES_BANK_HOLIDAYS).map(Number)))();
