import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { toUtc, type NormalisedTime, type TimeResult } from '../../functions/domain/time.js';

/** The value of a result that must have been accepted; a refusal fails the test with its reason. */
function accepted(r: TimeResult): NormalisedTime {
  if (!r.ok) throw new Error(`expected the time to be accepted, but: ${r.reason}`);
  return r.value;
}

function refused(r: TimeResult): string {
  if (r.ok) throw new Error(`expected the time to be refused, but it became ${r.value.utc}`);
  return r.reason;
}

// An oracle independent of the module under test: what a wall clock in `zone` shows at an instant.
const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(zone: string, ms: number): string {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Every instant within three hours of `ms` (on a 15-minute grid, which every modern offset change sits on) showing the same wall time. */
function readingsOf(zone: string, ms: number): number[] {
  const wall = wallClock(zone, ms);
  const out: number[] = [];
  for (let k = -12; k <= 12; k++) {
    const t = ms + k * 15 * 60_000;
    if (wallClock(zone, t) === wall) out.push(t);
  }
  return out;
}

/** How far `zone` is ahead of UTC at an instant, in milliseconds. */
function offsetMs(zone: string, ms: number): number {
  return Date.parse(`${wallClock(zone, ms).replace(' ', 'T')}Z`) - Math.floor(ms / 1000) * 1000;
}

/** The instants at which `zone` changes its offset during `year`, found by bisection (changes in these zones are months apart). */
const transitionCache = new Map<string, number[]>();
function transitionsIn(zone: string, year: number): number[] {
  const key = `${zone}|${year}`;
  const cached = transitionCache.get(key);
  if (cached) return cached;
  const offset = (ms: number) => offsetMs(zone, ms);
  const out: number[] = [];
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const step = 7 * 24 * 3600_000;
  for (let t = start; t < end; t += step) {
    if (offset(t) === offset(t + step)) continue;
    let lo = t;
    let hi = t + step;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (offset(mid) === offset(lo)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  transitionCache.set(key, out);
  return out;
}

const ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/Los_Angeles',
  'America/New_York',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
] as const;

const Y2000 = Date.UTC(2000, 0, 1);
const Y2038 = Date.UTC(2038, 0, 1);

describe('toUtc: a time carrying its own offset', () => {
  test.each([
    ['2026-11-01T21:14:05Z', '2026-11-01T21:14:05.000Z'],
    ['2026-11-01T21:14:05z', '2026-11-01T21:14:05.000Z'],
    ['2026-11-01 21:14:05Z', '2026-11-01T21:14:05.000Z'],
    ['2026-11-01T21:14:05 Z', '2026-11-01T21:14:05.000Z'],
    ['2026-11-01T21:14Z', '2026-11-01T21:14:00.000Z'],
    ['2026-11-01T21:14:05.123Z', '2026-11-01T21:14:05.123Z'],
    ['2026-11-01T21:14:05.5Z', '2026-11-01T21:14:05.500Z'],
    ['2026-11-01T21:14:05.123456789Z', '2026-11-01T21:14:05.123Z'],
    ['2026-11-02T02:44:05+05:30', '2026-11-01T21:14:05.000Z'],
    ['2026-11-02T02:44:05+0530', '2026-11-01T21:14:05.000Z'],
    ['2026-11-01T13:14:05-08:00', '2026-11-01T21:14:05.000Z'],
    ['2026-11-01T13:14:05-0800', '2026-11-01T21:14:05.000Z'],
    ['2026-11-01T21:14:05+00:00', '2026-11-01T21:14:05.000Z'],
    ['2026-12-31T20:00:00-05:00', '2027-01-01T01:00:00.000Z'],
    ['2027-01-01T05:29:59+05:30', '2026-12-31T23:59:59.000Z'],
  ])('%s is %s in UTC', (at, utc) => {
    expect(accepted(toUtc(at)).utc).toBe(utc);
  });

  test('keeps the original text, trimmed, and the zone it was given', () => {
    const v = accepted(toUtc('  2026-11-01T13:14:05-08:00 ', 'America/Los_Angeles'));
    expect(v).toEqual({
      utc: '2026-11-01T21:14:05.000Z',
      original: '2026-11-01T13:14:05-08:00',
      timeZone: 'America/Los_Angeles',
    });
  });

  test('has no zone when none was given', () => {
    expect(accepted(toUtc('2026-11-01T21:14:05Z'))).not.toHaveProperty('timeZone');
  });

  test('an explicit offset settles a wall time that the zone alone would leave ambiguous: no flag', () => {
    const pdt = accepted(toUtc('2026-11-01 01:30:00-07:00', 'America/Los_Angeles'));
    const pst = accepted(toUtc('2026-11-01 01:30:00-08:00', 'America/Los_Angeles'));
    expect(pdt.utc).toBe('2026-11-01T08:30:00.000Z');
    expect(pst.utc).toBe('2026-11-01T09:30:00.000Z');
    expect(pdt.flag).toBeUndefined();
    expect(pst.flag).toBeUndefined();
  });

  test('an offset that contradicts the zone named at that moment is refused: -07:00 in Los Angeles on 20 November', () => {
    const reason = refused(toUtc('2026-11-20 10:00:00-07:00', 'America/Los_Angeles'));
    expect(reason).toMatch(/-07:00 contradicts America\/Los_Angeles, which was at -08:00/);
    expect(accepted(toUtc('2026-11-20 10:00:00-08:00', 'America/Los_Angeles')).utc).toBe('2026-11-20T18:00:00.000Z');
  });

  test.each([
    ['2026-07-01T12:00:00Z', 'Europe/London'],
    ['2026-01-15T12:00:00+01:00', 'Europe/London'],
    ['2026-11-20T10:00:00+05:00', 'Asia/Kolkata'],
  ])('%s contradicts %s', (at, zone) => {
    expect(refused(toUtc(at, zone))).toMatch(/contradicts/);
  });

  test('an offset with a zone that is not a zone is refused, naming the zone', () => {
    expect(refused(toUtc('2026-11-20T10:00:00Z', 'Europe/Londres'))).toContain('Europe/Londres');
  });

  test('a leap day is real in a leap year', () => {
    expect(accepted(toUtc('2028-02-29T12:00:00Z')).utc).toBe('2028-02-29T12:00:00.000Z');
  });

  test.each([
    '2026-01-01T00:00:00+99:99',
    '2026-01-01T00:00:00+05:75',
    '2026-01-01T00:00:00-13:00',
    '2026-01-01T00:00:00+14:30',
  ])('an impossible offset is refused: %s', (at) => {
    const r = toUtc(at);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/not a real UTC offset/);
  });
  test('a fraction of the last second is truncated, not rounded into the next year', () => {
    expect(accepted(toUtc('2026-12-31T23:59:59.9999Z')).utc).toBe('2026-12-31T23:59:59.999Z');
  });
});

describe('toUtc: a local time read in its IANA zone', () => {
  test.each([
    ['2026-11-01 21:14:05', 'America/Los_Angeles', '2026-11-02T05:14:05.000Z'],
    ['2026-07-01 12:00:00', 'America/Los_Angeles', '2026-07-01T19:00:00.000Z'],
    ['2026-01-15 12:00', 'Europe/London', '2026-01-15T12:00:00.000Z'],
    ['2026-07-15 12:00', 'Europe/London', '2026-07-15T11:00:00.000Z'],
    ['2026-11-01 21:14:05', 'Asia/Kolkata', '2026-11-01T15:44:05.000Z'],
    ['2026-01-01 00:10:00', 'Asia/Kolkata', '2025-12-31T18:40:00.000Z'],
    ['2026-01-15 10:00', 'Australia/Sydney', '2026-01-14T23:00:00.000Z'],
    ['2026-07-15 10:00', 'Australia/Sydney', '2026-07-15T00:00:00.000Z'],
    ['2026-11-01T21:14:05.250', 'Europe/London', '2026-11-01T21:14:05.250Z'],
  ])('%s in %s is %s', (at, zone, utc) => {
    const v = accepted(toUtc(at, zone));
    expect(v.utc).toBe(utc);
    expect(v.timeZone).toBe(zone);
    expect(v.original).toBe(at);
    expect(v.flag).toBeUndefined();
  });

  test('the hour that Europe/London skips in spring never happened: refused, never silently placed', () => {
    const reason = refused(toUtc('2026-03-29 01:30', 'Europe/London'));
    expect(reason).toMatch(/never happened in Europe\/London/);
  });

  test.each([
    ['2026-03-08 02:30', 'America/Los_Angeles'],
    ['2026-10-04 02:30', 'Australia/Sydney'],
    ['2026-10-04 02:15', 'Australia/Lord_Howe'],
  ])('%s in %s does not exist and is refused', (at, zone) => {
    expect(refused(toUtc(at, zone))).toMatch(/never happened/);
  });

  test('the minutes either side of the London gap are real', () => {
    expect(accepted(toUtc('2026-03-29 00:59:59', 'Europe/London'))).toMatchObject({ utc: '2026-03-29T00:59:59.000Z' });
    expect(accepted(toUtc('2026-03-29 00:59:59', 'Europe/London')).flag).toBeUndefined();
    expect(accepted(toUtc('2026-03-29 02:00:00', 'Europe/London'))).toMatchObject({ utc: '2026-03-29T01:00:00.000Z' });
    expect(accepted(toUtc('2026-03-29 02:00:00', 'Europe/London')).flag).toBeUndefined();
  });

  test('the hour that America/Los_Angeles repeats in autumn keeps both instants, PDT first, then PST', () => {
    const v = accepted(toUtc('2026-11-01 01:30', 'America/Los_Angeles'));
    expect(v.flag).toBe('ambiguous_dst_overlap');
    expect(v.utc).toBe('2026-11-01T08:30:00.000Z');
    expect(v.candidates).toEqual(['2026-11-01T08:30:00.000Z', '2026-11-01T09:30:00.000Z']);
  });

  test.each([
    ['2026-10-25 01:30', 'Europe/London', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    ['2026-04-05 02:30', 'Australia/Sydney', '2026-04-04T15:30:00.000Z', '2026-04-04T16:30:00.000Z'],
    ['2026-04-05 01:45', 'Australia/Lord_Howe', '2026-04-04T14:45:00.000Z', '2026-04-04T15:15:00.000Z'],
  ])('%s in %s is ambiguous: %s or %s', (at, zone, first, second) => {
    const v = accepted(toUtc(at, zone));
    expect(v.flag).toBe('ambiguous_dst_overlap');
    expect(v.utc).toBe(first);
    expect(v.candidates).toEqual([first, second]);
  });

  test('without an offset or a zone a time is refused: it cannot be placed', () => {
    const reason = refused(toUtc('2026-11-01 21:14:05'));
    expect(reason).toMatch(/neither/);
    expect(reason).toMatch(/offset/);
    expect(reason).toMatch(/zone/);
  });

  test.each(['Mars/Olympus_Mons', 'Europe/Londres', 'PST8PDT/Nowhere', 'not a zone'])(
    'an unknown zone %s is refused, naming it',
    (zone) => {
      const reason = refused(toUtc('2026-11-01 21:14:05', zone));
      expect(reason).toContain(zone);
      expect(reason).toMatch(/time zone/);
    },
  );
});

describe('toUtc: dates and times that are not real', () => {
  test.each([
    '2026-02-30T10:00:00Z',
    '2026-02-29T10:00:00Z',
    '2026-04-31T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-00-10T10:00:00Z',
    '2026-11-00T10:00:00Z',
    '2026-11-01T24:00:00Z',
    '2026-11-01T23:60:00Z',
    '2026-11-01T23:59:60Z',
  ])('%s (with an offset) is refused as not real', (at) => {
    expect(refused(toUtc(at))).toMatch(/not a real date and time/);
  });

  test.each(['2026-02-30 10:00', '2026-11-01 24:00', '2026-11-01 12:60', '2026-11-01 12:00:60'])(
    '%s (local to Europe/London) is refused as not real',
    (at) => {
      expect(refused(toUtc(at, 'Europe/London'))).toMatch(/not a real date and time/);
    },
  );
});

describe('toUtc: the wrong-year trap', () => {
  test.each([
    ['26-11-01 21:14:05', 'America/Los_Angeles'],
    ['26-11-01T21:14:05Z', undefined],
    ['01/11/2026 21:14:05', 'Europe/London'],
    ['11/01/26 21:14', 'America/Los_Angeles'],
    ['2026-11-01', 'Europe/London'],
    ['2026-11-1 21:14', 'Europe/London'],
    ['20261101T211405Z', undefined],
    ['1 Nov 2026 21:14 GMT', undefined],
    ['', 'Europe/London'],
  ])('%s is refused as not ISO 8601', (at, zone) => {
    expect(refused(toUtc(at, zone))).toMatch(/ISO 8601/);
  });

  test('a year before 100 is refused, never shifted into the 1900s', () => {
    expect(toUtc('0026-11-01T21:14:05Z').ok).toBe(false);
  });
});

describe('toUtc: properties', () => {
  const instant = fc.integer({ min: Y2000 / 1000, max: Y2038 / 1000 - 1 }).map((s) => s * 1000);
  const zone = fc.constantFrom(...ZONES);

  let ambiguousSeen = 0;
  /**
   * Fed back the wall time an instant shows in a zone, toUtc gives the instant; where the oracle finds the wall
   * time shown at two instants, it gives both, earlier first, and the instant is one of them.
   */
  function wallTimeRoundTrips(z: string, ms: number) {
    const v = accepted(toUtc(wallClock(z, ms), z));
    const readings = readingsOf(z, ms).sort((a, b) => a - b);
    if (readings.length > 1) {
      ambiguousSeen += 1;
      expect(v.flag).toBe('ambiguous_dst_overlap');
      expect(v.candidates).toEqual([new Date(readings[0]!).toISOString(), new Date(readings.at(-1)!).toISOString()]);
      expect(v.candidates).toContain(new Date(ms).toISOString());
      expect(v.utc).toBe(v.candidates![0]);
    } else {
      expect(v.flag).toBeUndefined();
      expect(v.candidates).toBeUndefined();
      expect(v.utc).toBe(new Date(ms).toISOString());
    }
  }

  test('a random instant 2000–2037, shown as wall time in a zone and read back, is the same instant unless flagged ambiguous', () => {
    fc.assert(fc.property(zone, instant, wallTimeRoundTrips), { numRuns: 400 });
  });

  test('the same holds for instants within three hours of a daylight-saving change', () => {
    const nearTransition = fc
      .record({
        z: fc.constantFrom(...ZONES.filter((z) => transitionsIn(z, 2026).length > 0)),
        year: fc.integer({ min: 2000, max: 2037 }),
        which: fc.nat(),
        delta: fc.integer({ min: -3 * 3600, max: 3 * 3600 }),
      })
      .filter(({ z, year }) => transitionsIn(z, year).length > 0)
      .map(({ z, year, which, delta }) => {
        const ts = transitionsIn(z, year);
        return { z, ms: ts[which % ts.length]! + delta * 1000 };
      });
    fc.assert(
      fc.property(nearTransition, ({ z, ms }) => wallTimeRoundTrips(z, ms)),
      { numRuns: 300 },
    );
    // The generator must actually reach the repeated hours, or this property proves nothing about them.
    expect(ambiguousSeen).toBeGreaterThan(0);
  });

  test('every wall time skipped by a spring-forward change is refused', () => {
    const springs = ZONES.flatMap((z) =>
      [2001, 2013, 2026, 2037].flatMap((year) =>
        transitionsIn(z, year)
          .map((t) => ({ z, t, before: offsetMs(z, t - 1000), after: offsetMs(z, t) }))
          .filter(({ before, after }) => after > before),
      ),
    );
    expect(springs.length).toBeGreaterThan(10);
    const skipped = fc
      .record({
        spring: fc.constantFrom(...springs),
        fraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      })
      .map(({ spring: { z, t, before, after }, fraction }) => {
        // The wall clock jumps from t+before to t+after: every second in between never shows.
        const skippedWall = t + before + Math.floor(((after - before) / 1000) * fraction) * 1000;
        return { z, wall: new Date(skippedWall).toISOString().slice(0, 19).replace('T', ' ') };
      });
    fc.assert(
      fc.property(skipped, ({ z, wall }) => {
        expect(refused(toUtc(wall, z))).toMatch(/never happened/);
      }),
      { numRuns: 200 },
    );
  });

  test('an instant written with its zone and an offset is accepted exactly when the offset is the zone’s at that instant (oracle: Intl)', () => {
    const offsetMinutes = fc.integer({ min: -12 * 4, max: 14 * 4 }).map((q) => q * 15);
    let contradicted = 0;
    fc.assert(
      fc.property(zone, instant, fc.boolean(), offsetMinutes, (z, ms, useZones, other) => {
        const truth = offsetMs(z, ms) / 60_000;
        const off = useZones ? truth : other;
        const local = new Date(ms + off * 60_000).toISOString().slice(0, 19);
        const sign = off < 0 ? '-' : '+';
        const text = `${local}${sign}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
        // The text names the instant ms whatever the offset; the zone's own offset at ms decides.
        const r = toUtc(text, z);
        if (truth === off) expect(accepted(r).utc).toBe(new Date(ms).toISOString());
        else {
          contradicted += 1;
          expect(refused(r)).toMatch(/contradicts/);
        }
      }),
      { numRuns: 400 },
    );
    expect(contradicted).toBeGreaterThan(0);
  });

  test('the whole repeated hour in Los Angeles, minute by minute, gives the two instants Intl shows it at', () => {
    // Independent oracle: every UTC minute from 06:00Z to 12:00Z on 1 November 2026, as Intl shows it there.
    const shownAt = new Map<string, string[]>();
    for (let t = Date.UTC(2026, 10, 1, 6); t < Date.UTC(2026, 10, 1, 12); t += 60_000) {
      const wall = wallClock('America/Los_Angeles', t);
      shownAt.set(wall, [...(shownAt.get(wall) ?? []), new Date(t).toISOString()]);
    }
    let twice = 0;
    for (const [wall, instants] of shownAt) {
      const v = accepted(toUtc(wall, 'America/Los_Angeles'));
      if (instants.length === 2) {
        twice += 1;
        expect(v.candidates).toEqual(instants);
      } else expect(v.utc).toBe(instants[0]);
    }
    expect(twice).toBe(60);
  });

  test('the whole skipped hour in London, minute by minute, is refused exactly where Intl never shows it', () => {
    const shown = new Set<string>();
    for (let t = Date.UTC(2026, 2, 28, 22); t < Date.UTC(2026, 2, 29, 4); t += 60_000)
      shown.add(wallClock('Europe/London', t));
    let skipped = 0;
    for (let m = 0; m < 4 * 60; m++) {
      const wall = `2026-03-29 ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
      const r = toUtc(wall, 'Europe/London');
      if (shown.has(wall)) expect(r.ok).toBe(true);
      else {
        skipped += 1;
        expect(refused(r)).toMatch(/never happened/);
      }
    }
    expect(skipped).toBe(60);
  });

  test('an ISO string with Z round-trips new Date(x).toISOString()', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (x) => {
        const iso = new Date(x).toISOString();
        expect(accepted(toUtc(iso)).utc).toBe(iso);
      }),
      { numRuns: 1000 },
    );
  });

  test('an offset and the equivalent UTC time give the same instant', () => {
    const offsetMinutes = fc.integer({ min: -12 * 60, max: 14 * 60 });
    fc.assert(
      fc.property(instant, offsetMinutes, (ms, off) => {
        const local = new Date(ms + off * 60_000).toISOString().slice(0, 19);
        const sign = off < 0 ? '-' : '+';
        const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0');
        const mm = String(Math.abs(off) % 60).padStart(2, '0');
        expect(accepted(toUtc(`${local}${sign}${hh}:${mm}`)).utc).toBe(new Date(ms).toISOString());
        expect(accepted(toUtc(`${local}${sign}${hh}${mm}`)).utc).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 300 },
    );
  });
});
