import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  holdStands,
  nextSafeMoment,
  parseSafeTimes,
  type SafeWindow,
  sendOrHold,
} from '../../functions/domain/safeTimes.js';

const windows = (text: string): SafeWindow[] => {
  const r = parseSafeTimes(text);
  if (!r.ok) throw new Error(r.reason);
  return r.windows;
};
const WEEKDAYS = [0, 1, 2, 3, 4];
const h = (hours: number, minutes = 0) => hours * 60 + minutes;

describe('safe times: the grammar', () => {
  test.each([
    ['weekdays after 6pm', [{ days: WEEKDAYS, from: h(18), to: h(24) }]],
    ['Weekday mornings', [{ days: WEEKDAYS, from: h(8), to: h(12) }]],
    ['weekends 10am-4pm', [{ days: [5, 6], from: h(10), to: h(16) }]],
    ['mon-fri 18:00-21:30', [{ days: WEEKDAYS, from: h(18), to: h(21, 30) }]],
    ['Monday to Friday between 6.30 p.m. and 9pm', [{ days: WEEKDAYS, from: h(18, 30), to: h(21) }]],
    ['evenings on weekdays', [{ days: WEEKDAYS, from: h(18), to: h(22) }]],
    ['tuesdays and thursdays before noon', [{ days: [1, 3], from: 0, to: h(12) }]],
    ['fri-mon 6-9pm', [{ days: [0, 4, 5, 6], from: h(18), to: h(21) }]],
    ['fridays 10pm-2am', [{ days: [4], from: h(22), to: h(26) }]],
    ['any time', [{ days: [0, 1, 2, 3, 4, 5, 6], from: 0, to: h(24) }]],
    ['sundays', [{ days: [6], from: 0, to: h(24) }]],
    [
      'weekends 10am-4pm; wednesdays from 7pm to midnight',
      [
        { days: [5, 6], from: h(10), to: h(16) },
        { days: [2], from: h(19), to: h(24) },
      ],
    ],
  ])('%s', (text, expected) => {
    expect(parseSafeTimes(text)).toEqual({ ok: true, windows: expected });
  });

  test.each([
    'when he is at work',
    'weekdays after 6',
    'after 25:00',
    'between 6pm and 6pm',
    'never',
    'weekdays after 6pm, not fridays',
    'mornings on someday',
    '',
    ';',
  ])('refused: %j', (text) => {
    expect(parseSafeTimes(text).ok).toBe(false);
  });

  // fast-check found "__proto__" answering with a TypeError (a 500 at the API): the words are looked up in Maps.
  test.each(['__proto__', 'constructor', 'toString', '__proto__ after 6pm', 'constructor mornings', 'hasOwnProperty'])(
    'the name of an object property, %j, is refused like any other text',
    (text) => {
      expect(parseSafeTimes(text).ok).toBe(false);
    },
  );

  test('every window parsed is a real span of at most a day, on real days', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const r = parseSafeTimes(text);
        if (!r.ok) return;
        for (const w of r.windows) {
          expect(w.days.length).toBeGreaterThan(0);
          expect(w.days.every((d) => d >= 0 && d <= 6)).toBe(true);
          expect(w.from).toBeGreaterThanOrEqual(0);
          expect(w.to).toBeGreaterThan(w.from);
          expect(w.to - w.from).toBeLessThanOrEqual(1440);
        }
      }),
    );
  });
});

describe('safe times: the next safe moment on England’s clock', () => {
  const weekdaysAfter6 = windows('weekdays after 6pm');

  test('inside a window: now', () => {
    // Tuesday 1 December 2026, 19:00 GMT.
    expect(nextSafeMoment(weekdaysAfter6, '2026-12-01T19:00:00.000Z')).toBe('2026-12-01T19:00:00.000Z');
  });

  test('3 a.m. on a weekday waits for 6pm that day (GMT)', () => {
    expect(nextSafeMoment(weekdaysAfter6, '2026-12-01T03:00:00.000Z')).toBe('2026-12-01T18:00:00.000Z');
  });

  test('in summer 6pm is 17:00 UTC', () => {
    expect(nextSafeMoment(weekdaysAfter6, '2026-07-01T02:00:00.000Z')).toBe('2026-07-01T17:00:00.000Z');
  });

  test('Friday night past midnight waits for Monday evening', () => {
    // Saturday 5 December 2026, 00:30 GMT.
    expect(nextSafeMoment(weekdaysAfter6, '2026-12-05T00:30:00.000Z')).toBe('2026-12-07T18:00:00.000Z');
  });

  test('a window past midnight is still open the next morning', () => {
    // Fridays 10pm-2am; Saturday 5 December 2026 at 01:00 GMT is inside Friday's window.
    expect(nextSafeMoment(windows('fridays 10pm-2am'), '2026-12-05T01:00:00.000Z')).toBe('2026-12-05T01:00:00.000Z');
    expect(nextSafeMoment(windows('fridays 10pm-2am'), '2026-12-05T02:00:00.000Z')).toBe('2026-12-11T22:00:00.000Z');
  });

  test('the weekend the clocks go forward: a window at 1:30 am opens when the clocks jump (02:00 BST)', () => {
    // Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST.
    expect(nextSafeMoment(windows('sundays 1:30am-3am'), '2026-03-29T00:00:00.000Z')).toBe('2026-03-29T01:00:00.000Z');
    // Monday 30 March, the first weekday in summer time: 6pm is 17:00 UTC.
    expect(nextSafeMoment(weekdaysAfter6, '2026-03-28T12:00:00.000Z')).toBe('2026-03-30T17:00:00.000Z');
  });

  test('the weekend the clocks go back: a window at 1:30 am opens the first time 1:30 comes', () => {
    // Sunday 25 October 2026: 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
    expect(nextSafeMoment(windows('sundays 1:30am-3am'), '2026-10-24T20:00:00.000Z')).toBe('2026-10-25T00:30:00.000Z');
    expect(nextSafeMoment(weekdaysAfter6, '2026-10-24T12:00:00.000Z')).toBe('2026-10-26T18:00:00.000Z');
  });

  test('no safe times: any time is safe', () => {
    expect(nextSafeMoment(undefined, '2026-12-01T03:00:00.000Z')).toBe('2026-12-01T03:00:00.000Z');
  });

  test('the next safe moment is never before now, and is inside a window', () => {
    const all = ['weekdays after 6pm', 'weekend mornings', 'fridays 10pm-2am', 'tuesdays 1:30am-2:15am'].map(windows);
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }),
        (ws, date) => {
          const now = date.toISOString();
          const next = nextSafeMoment(ws, now);
          expect(Date.parse(next)).toBeGreaterThanOrEqual(Date.parse(now));
          expect(nextSafeMoment(ws, next)).toBe(next);
          expect(Date.parse(next) - Date.parse(now)).toBeLessThanOrEqual(8 * 86_400_000);
        },
      ),
    );
  });
});

describe('safe times: holding a message', () => {
  const night = '2026-12-01T03:00:00.000Z';

  test('due outside the window: held until it opens, on the workflow clock', () => {
    expect(sendOrHold('weekdays after 6pm', undefined, night, 86_400)).toEqual({
      send: false,
      hold: {
        until: '2026-12-01T18:00:00Z',
        opensAt: '2026-12-01T18:00:00.000Z',
        at: night,
        safeTimes: 'weekdays after 6pm',
      },
    });
    // Compressed 3600 times (a day in 24 seconds): 15 hours are 15 seconds.
    expect(sendOrHold('weekdays after 6pm', undefined, night, 24)).toMatchObject({
      send: false,
      hold: { until: '2026-12-01T03:00:15Z', opensAt: '2026-12-01T18:00:00.000Z' },
    });
  });

  test('inside the window, or with no safe times: sent now', () => {
    expect(sendOrHold('weekdays after 6pm', undefined, '2026-12-01T19:00:00.000Z', 86_400)).toEqual({ send: true });
    expect(sendOrHold(undefined, undefined, night, 86_400)).toEqual({ send: true });
  });

  test('a hold keeps its time (a restart during the wait), and sends once it has run', () => {
    const first = sendOrHold('weekdays after 6pm', undefined, night, 24);
    if (first.send) throw new Error('held');
    expect(sendOrHold('weekdays after 6pm', first.hold, '2026-12-01T03:00:05.000Z', 24)).toEqual(first);
    expect(sendOrHold('weekdays after 6pm', first.hold, first.hold.until, 24)).toEqual({ send: true });
  });

  test('safe times changed while it is held: at the end of the wait the new ones apply', () => {
    const first = sendOrHold('weekdays after 6pm', undefined, night, 86_400);
    if (first.send) throw new Error('held');
    // Still waiting: the wait goes on (the step run again, a restart) whatever the safe times now say.
    expect(sendOrHold('weekdays after 8pm', first.hold, '2026-12-01T10:00:00.000Z', 86_400)).toEqual(first);
    // 6 pm is no longer safe: held again for 8 pm, the same message first due at night.
    expect(sendOrHold('weekdays after 8pm', first.hold, first.hold.until, 86_400)).toEqual({
      send: false,
      hold: {
        until: '2026-12-01T20:00:00Z',
        opensAt: '2026-12-01T20:00:00.000Z',
        at: night,
        safeTimes: 'weekdays after 8pm',
      },
    });
    // Still safe at 6 pm under the new times (or none at all): it goes.
    expect(sendOrHold('weekdays after 5pm', first.hold, first.hold.until, 86_400)).toEqual({ send: true });
    expect(sendOrHold(undefined, first.hold, first.hold.until, 86_400)).toEqual({ send: true });
  });

  test('on a compressed clock the new safe times are judged at the moment the wait stands for', () => {
    // A day in 24 seconds: the 15 hours to 6 pm are 15 seconds, the 2 more to 8 pm 2 more.
    const first = sendOrHold('weekdays after 6pm', undefined, night, 24);
    if (first.send) throw new Error('held');
    const again = sendOrHold('weekdays after 8pm', first.hold, first.hold.until, 24);
    expect(again).toMatchObject({
      send: false,
      hold: { until: '2026-12-01T03:00:17Z', opensAt: '2026-12-01T20:00:00.000Z', at: night },
    });
    if (again.send) throw new Error('held again');
    expect(sendOrHold('weekdays after 8pm', again.hold, again.hold.until, 24)).toEqual({ send: true });
  });

  test('a hold stands only for the safe times it was made under', () => {
    const first = sendOrHold('weekdays after 6pm', undefined, night, 86_400);
    if (first.send) throw new Error('held');
    expect(holdStands(first.hold, 'weekdays after 6pm')).toBe(true);
    expect(holdStands(first.hold, 'weekdays after 8pm')).toBe(false);
    expect(holdStands(undefined, 'weekdays after 6pm')).toBe(false);
  });

  test('safe times on record that cannot be honoured are an error, never "any time"', () => {
    expect(() => sendOrHold('when he is out', undefined, night, 86_400)).toThrow(/cannot be honoured/);
  });
});
