/**
 * Platform returns give times in many shapes. Wrongful arrests have come from
 * time-zone slips (IPCO annual reports), so a time is accepted only when its
 * zone is known, is stored in UTC with the original kept, and a local time
 * that a daylight-saving change makes ambiguous or impossible is flagged,
 * never guessed.
 */
export interface NormalisedTime {
  utc: string;
  original: string;
  timeZone?: string;
  flag?: 'ambiguous_dst_overlap' | 'nonexistent_dst_gap';
}

export type TimeResult = { ok: true; value: NormalisedTime } | { ok: false; reason: string };

const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` from UTC, in minutes, at the UTC instant `ms`. */
export function zoneOffsetMinutes(zone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

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
    const utc = new Date(wall - minutes * 60000).toISOString();
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
  if (matches.length === 0) {
    // Keep the earlier-offset reading for display only; the flag tells the user it is not a real local time.
    const instant = wall - zoneOffsetMinutes(timeZone, wall - 86400000) * 60000;
    return {
      ok: true,
      value: { utc: new Date(instant).toISOString(), original, timeZone, flag: 'nonexistent_dst_gap' },
    };
  }
  const value: NormalisedTime = { utc: new Date(matches[0]!).toISOString(), original, timeZone };
  if (matches.length > 1) value.flag = 'ambiguous_dst_overlap';
  return { ok: true, value };
}
