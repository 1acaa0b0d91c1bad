/**
 * Platform returns give times in many shapes. Wrongful arrests have come from
 * time-zone slips (IPCO annual reports), so a time is accepted only when its
 * zone is known, and is stored in UTC with the original kept. A local time
 * the clocks showed twice (the hour they go back) keeps both instants, for
 * the ISP's answer to settle; a local time the clocks skipped never existed
 * and is refused; so is an offset that contradicts the zone it names.
 */
export interface NormalisedTime {
  /** The instant; for a time that happened twice, the earlier of the two. */
  utc: string;
  original: string;
  timeZone?: string;
  /** A local time that happened twice: both instants, earlier first. */
  candidates?: [string, string];
  flag?: 'ambiguous_dst_overlap';
}

export type TimeResult = { ok: true; value: NormalisedTime } | { ok: false; reason: string };

const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/**
 * One formatter per zone, made once: building an Intl.DateTimeFormat costs far
 * more than using one, and a 5,000-row return names the same few zones. An
 * unknown zone is remembered as such.
 */
const formatters = new Map<string, Intl.DateTimeFormat | null>();
function formatterFor(zone: string): Intl.DateTimeFormat | null {
  const known = formatters.get(zone);
  if (known !== undefined) return known;
  let made: Intl.DateTimeFormat | null;
  try {
    made = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    made = null;
  }
  // A bounded memory: zone names come from uploads, and a flood of distinct bad names must not grow it for ever.
  if (formatters.size >= 1000) formatters.clear();
  formatters.set(zone, made);
  return made;
}

const isValidZone = (zone: string) => formatterFor(zone) !== null;

/** Offset of `zone` from UTC, in minutes, at the UTC instant `ms`. */
export function zoneOffsetMinutes(zone: string, ms: number): number {
  const f = formatterFor(zone);
  if (!f) throw new RangeError(`unknown time zone ${zone}`);
  const parts = f.formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

const formatOffset = (minutes: number) => {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
};

function fields(m: RegExpMatchArray) {
  const [y, mo, d, h, mi, s = '0', frac = '0'] = m.slice(1, 8).map((v) => v ?? '0') as string[];
  // Milliseconds are truncated, never rounded: .9999 of the last second of a year stays in that year.
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(wall);
  const real =
    check.getUTCFullYear() === Number(y) &&
    check.getUTCMonth() === Number(mo) - 1 &&
    check.getUTCDate() === Number(d) &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    Number(s) < 60;
  return { wall, real };
}

export function toUtc(at: string, timeZone?: string): TimeResult {
  const original = at.trim();
  const withOffset = original.match(WITH_OFFSET);
  if (withOffset) {
    const { wall, real } = fields(withOffset);
    if (!real) return { ok: false, reason: `"${original}" is not a real date and time` };
    const off = withOffset[8]!.toUpperCase();
    const [oh, om] = off === 'Z' ? [0, 0] : [Number(off.slice(1, 3)), Number(off.slice(-2))];
    const minutes = off === 'Z' ? 0 : (off.startsWith('-') ? -1 : 1) * (oh * 60 + om);
    // Real offsets run from -12:00 to +14:00 with whole minutes under 60.
    if (om >= 60 || minutes < -12 * 60 || minutes > 14 * 60)
      return { ok: false, reason: `"${off}" is not a real UTC offset` };
    const instant = wall - minutes * 60000;
    if (timeZone !== undefined) {
      if (!isValidZone(timeZone)) return { ok: false, reason: `"${timeZone}" is not a known IANA time zone` };
      // The offset written and the zone named must agree at that moment: if they do not, one of them is wrong.
      const zoneMinutes = zoneOffsetMinutes(timeZone, instant);
      if (zoneMinutes !== minutes)
        return {
          ok: false,
          reason: `the offset ${formatOffset(minutes)} contradicts ${timeZone}, which was at ${formatOffset(zoneMinutes)} at that moment`,
        };
    }
    const utc = new Date(instant).toISOString();
    return { ok: true, value: { utc, original, ...(timeZone ? { timeZone } : {}) } };
  }
  const local = original.match(LOCAL);
  if (!local) return { ok: false, reason: `"${original}" is not a date and time in ISO 8601 form` };
  if (!timeZone)
    return { ok: false, reason: `"${original}" has neither a UTC offset nor a time zone: it cannot be placed in time` };
  if (!isValidZone(timeZone)) return { ok: false, reason: `"${timeZone}" is not a known IANA time zone` };
  const { wall, real } = fields(local);
  if (!real) return { ok: false, reason: `"${original}" is not a real date and time` };
  // Try each offset the zone has around that day; a wall time matching none is in a gap, matching two is in an overlap.
  const offsets = new Set([
    zoneOffsetMinutes(timeZone, wall - 86400000),
    zoneOffsetMinutes(timeZone, wall),
    zoneOffsetMinutes(timeZone, wall + 86400000),
  ]);
  const matches = [...offsets]
    .map((o) => wall - o * 60000)
    .filter((instant) => zoneOffsetMinutes(timeZone, instant) * 60000 === wall - instant)
    .sort((a, b) => a - b);
  if (matches.length === 0)
    return {
      ok: false,
      reason: `"${original}" never happened in ${timeZone}: the clocks went forward past it`,
    };
  const value: NormalisedTime = { utc: new Date(matches[0]!).toISOString(), original, timeZone };
  if (matches.length > 1) {
    value.candidates = [value.utc, new Date(matches.at(-1)!).toISOString()];
    value.flag = 'ambiguous_dst_overlap';
  }
  return { ok: true, value };
}
