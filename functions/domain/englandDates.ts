import { zoneOffsetMinutes } from './time.js';

/** England's clock: dates on letters and documents, and working days, are England's. */
export const ENGLAND_ZONE = 'Europe/London';

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The date in England at an instant. */
export function englandDate(iso: string): string {
  const ms = Date.parse(iso);
  return dateOf(ms + zoneOffsetMinutes(ENGLAND_ZONE, ms) * 60_000);
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * The date a letter or a request document carries for an instant: its day
 * in England (Europe/London), whatever the server's zone, so an approval at
 * 00:30 BST is dated that day, not the UTC day before. As YYYY-MM-DD and as
 * printed ("1 June 2026"). A calendar date (YYYY-MM-DD) is taken as itself.
 */
export function documentDate(at: string): { date: string; printed: string } {
  const ms = Date.parse(at);
  if (Number.isNaN(ms) || (/^\d{4}-\d{2}-\d{2}$/.test(at) && dateOf(ms) !== at))
    throw new RangeError('a document date must be an instant or a calendar date, YYYY-MM-DD');
  const date = englandDate(at);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { date, printed: `${day} ${MONTHS[month - 1]} ${year}` };
}
