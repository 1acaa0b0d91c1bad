import { ENGLAND_ZONE } from './englandDates.js';
import { zoneOffsetMinutes } from './time.js';

/**
 * When it is safe to contact the victim (`victim.contact.safeTimes`): a stalker may be with the victim, or
 * watching their phone, at some hours. Every message to the victim waits for the next safe window rather than
 * going at 3 a.m. The API takes only what it can honour: a short text in the grammar below, parsed into
 * windows of England's clock (Europe/London, summer time included); anything else is refused, naming the field.
 *
 * Grammar (case and spaces do not matter; clauses are separated by `;`):
 *
 *   clause  = [days] [time] | time "on" days          (at least one of the two)
 *   days    = group { ("," | "and" | "&") group }
 *   group   = "daily" | "every day" | "any day" | "weekdays" | "weekends" | day | day ("-" | "to") day
 *   day     = mon | monday | mondays | tue | tues | tuesday ... sun | sunday | sundays
 *   time    = "any time" | "all day" | "mornings" (08:00-12:00) | "afternoons" (12:00-18:00)
 *           | "evenings" (18:00-22:00) | "after" T (T to midnight) | "before" T (midnight to T)
 *           | "between" T "and" T | "from" T ("to" | "until") T | T ("-" | "to") T
 *   T       = 6pm | 6.30pm | 6:30 pm | 18:00 | noon | midday | midnight
 *
 * No days means every day; no time means all day. A range that ends before it starts runs past midnight into
 * the next day ("fridays 10pm-2am"). Examples: "weekdays after 6pm", "weekday mornings", "weekends 10am-4pm;
 * wednesdays after 7pm", "mon-fri 18:00-21:00", "evenings on weekdays". No safeTimes at all: any time is safe.
 */

/** A safe window: the days it opens on (0 Monday .. 6 Sunday), and its local minutes from that day's midnight. */
export interface SafeWindow {
  days: readonly number[];
  /** 0 .. 1439. */
  from: number;
  /** After `from`; past 1440 the window runs into the next day. */
  to: number;
}

export type SafeTimesResult = { ok: true; windows: SafeWindow[] } | { ok: false; reason: string };

const DAY = 1440;
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6] as const;
// Maps, not object literals: the text is the victim's, and a lookup of "__proto__" in an object finds its prototype.
// Built in pure calls: a bundle that imports this module for its schema's help text, and parses no safe times, leaves them out.
const DAY_WORDS = /* @__PURE__ */ new Map<string, readonly number[]>(
  /* @__PURE__ */ Object.entries({
    daily: EVERY_DAY,
    'every day': EVERY_DAY,
    'any day': EVERY_DAY,
    weekday: [0, 1, 2, 3, 4],
    weekdays: [0, 1, 2, 3, 4],
    weekend: [5, 6],
    weekends: [5, 6],
  }),
);
const DAY_NAMES: readonly RegExp[] = [
  /^mon(day)?s?$/,
  /^tue(s|sday)?s?$/,
  /^wed(nesday)?s?$/,
  /^thu(r|rs|rsday)?s?$/,
  /^fri(day)?s?$/,
  /^sat(urday)?s?$/,
  /^sun(day)?s?$/,
];
const PERIODS = /* @__PURE__ */ new Map<string, readonly [number, number]>(
  /* @__PURE__ */ Object.entries({
    'any time': [0, DAY],
    anytime: [0, DAY],
    'all day': [0, DAY],
    morning: [8 * 60, 12 * 60],
    mornings: [8 * 60, 12 * 60],
    afternoon: [12 * 60, 18 * 60],
    afternoons: [12 * 60, 18 * 60],
    evening: [18 * 60, 22 * 60],
    evenings: [18 * 60, 22 * 60],
  } as Record<string, readonly [number, number]>),
);

/** What the API says of text it cannot honour (the field is named by the schema). */
export const SAFE_TIMES_HELP =
  'must be safe times such as "weekdays after 6pm", "weekday mornings" or "weekends 10am-4pm; wednesdays after 7pm"';

/** The text as windows of England's clock, or why it cannot be honoured. */
export function parseSafeTimes(text: string): SafeTimesResult {
  const clauses = text
    .toLowerCase()
    .replace(/\b([ap])\.m\.?/g, '$1m')
    .split(';')
    .map((c) => c.replace(/\s+/g, ' ').trim())
    .filter((c, i, all) => c || (i === 0 && all.length === 1));
  const windows: SafeWindow[] = [];
  for (const clause of clauses) {
    const w = parseClause(clause);
    if (!w) return { ok: false, reason: `"${clause}" is not a safe time this service can honour` };
    windows.push(w);
  }
  return windows.length ? { ok: true, windows } : { ok: false, reason: 'no safe time is given' };
}

function parseClause(clause: string): SafeWindow | undefined {
  if (!clause) return undefined;
  const on = clause.match(/^(.+?) on (.+)$/);
  if (on) {
    const time = parseTime(on[1]!);
    const days = parseDays(on[2]!);
    return time && days ? { days, ...time } : undefined;
  }
  // The longest leading run of words that reads as days; the rest is the time.
  const words = clause.split(' ');
  for (let n = words.length; n >= 0; n--) {
    const days = n === 0 ? EVERY_DAY : parseDays(words.slice(0, n).join(' '));
    if (!days) continue;
    const rest = words.slice(n).join(' ');
    if (!rest) return n === 0 ? undefined : { days, from: 0, to: DAY };
    const time = parseTime(rest);
    if (time) return { days, ...time };
  }
  return undefined;
}

function parseDays(text: string): readonly number[] | undefined {
  const groups = text.split(/ ?, ?| and | ?& ?/);
  const days = new Set<number>();
  for (const g of groups) {
    const named = DAY_WORDS.get(g.trim());
    if (named) {
      for (const d of named) days.add(d);
      continue;
    }
    const range = g.match(/^(\w+) ?(?:-|–|to) ?(\w+)$/);
    if (range) {
      const a = dayIndex(range[1]!);
      const b = dayIndex(range[2]!);
      if (a === undefined || b === undefined) return undefined;
      for (let d = a; ; d = (d + 1) % 7) {
        days.add(d);
        if (d === b) break;
      }
      continue;
    }
    const one = dayIndex(g.trim());
    if (one === undefined) return undefined;
    days.add(one);
  }
  return [...days].sort((x, y) => x - y);
}

const dayIndex = (word: string): number | undefined => {
  const i = DAY_NAMES.findIndex((r) => r.test(word));
  return i < 0 ? undefined : i;
};

function parseTime(text: string): { from: number; to: number } | undefined {
  const period = PERIODS.get(text);
  if (period) return { from: period[0], to: period[1] };
  const after = text.match(/^(?:after|from) (.+)$/);
  if (after && !/-|–| to | until /.test(after[1]!)) {
    const t = clockTime(after[1]!);
    return t === undefined || t === DAY ? undefined : { from: t % DAY, to: DAY };
  }
  const before = text.match(/^(?:before|until) (.+)$/);
  if (before) {
    const t = clockTime(before[1]!);
    return t === undefined || t === 0 ? undefined : { from: 0, to: t };
  }
  const range = text.match(/^(?:between (.+?) and (.+)|(?:from )?(.+?) ?(?:-|–| to | until ) ?(.+))$/);
  if (!range) return undefined;
  const [a, b] = range[1] ? [range[1], range[2]!] : [range[3]!, range[4]!];
  // "6-9pm": a bare first hour takes the second's am or pm when that keeps the range the right way round.
  const suffix = b.match(/(am|pm)$/)?.[1];
  let from = clockTime(a);
  if (suffix && /^\d{1,2}$/.test(a.trim())) {
    const inherited = clockTime(`${a.trim()}${suffix}`);
    const to = clockTime(b);
    if (inherited !== undefined && to !== undefined && inherited < to) from = inherited;
  }
  const to = clockTime(b);
  if (from === undefined || to === undefined || from % DAY === to % DAY) return undefined;
  const start = from % DAY;
  return { from: start, to: to > start ? to : to + DAY };
}

/** A time of day in minutes (midnight at the end of a range is 1440): 6pm, 6.30pm, 6:30 pm, 18:00, noon. */
function clockTime(text: string): number | undefined {
  const t = text.trim();
  if (t === 'noon' || t === 'midday') return 12 * 60;
  if (t === 'midnight') return DAY;
  const m = t.match(/^(\d{1,2})(?:[:.](\d{2}))? ?(am|pm)?$/);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = m[2] ? Number(m[2]) : 0;
  if (min > 59) return undefined;
  if (m[3]) {
    if (h < 1 || h > 12) return undefined;
    return ((h % 12) + (m[3] === 'pm' ? 12 : 0)) * 60 + min;
  }
  // Without am or pm only the 24-hour clock with minutes is plain ("18:00"); a bare "6" could be either.
  if (!m[2] || h > 24 || (h === 24 && min > 0)) return undefined;
  return h * 60 + min;
}

// ── England's clock ───────────────────────────────────────────────────────────────────────────────────────

const MINUTE = 60_000;
/** The wall-clock reading in England at an instant, as if it were UTC (ms). */
const englandWall = (ms: number) => ms + zoneOffsetMinutes(ENGLAND_ZONE, ms) * MINUTE;

/**
 * The first instant at which England's clock reads `wall` (a wall-clock time as if UTC, ms) or later: the
 * earlier of a time the clocks pass twice (October), the moment the clocks go forward for a time they skip
 * (March).
 */
function englandInstant(wall: number): number {
  const candidates = [wall - 12 * 60 * MINUTE, wall + 12 * 60 * MINUTE]
    .map((probe) => wall - zoneOffsetMinutes(ENGLAND_ZONE, probe) * MINUTE)
    .filter((ms) => englandWall(ms) === wall);
  if (candidates.length) return Math.min(...candidates);
  // Skipped by the clocks: the first minute whose reading is later (the clocks change on the minute).
  let lo = wall - 14 * 60 * MINUTE;
  let hi = wall + 14 * 60 * MINUTE;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (englandWall(mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The next moment it is safe to contact the victim at or after `now`: `now` itself inside a window (or with no
 * safe times at all), otherwise the start of the next window on England's clock.
 */
export function nextSafeMoment(windows: readonly SafeWindow[] | undefined, now: string): string {
  const nowMs = Date.parse(now);
  if (!windows?.length) return new Date(nowMs).toISOString();
  const today = Math.floor(englandWall(nowMs) / (DAY * MINUTE)) * DAY * MINUTE;
  let best: number | undefined;
  // From yesterday (a window running past midnight) to a week ahead: every window opens within it.
  for (let d = -1; d <= 7; d++) {
    const midnight = today + d * DAY * MINUTE;
    // 1970-01-01 was a Thursday (3, counting from Monday).
    const weekday = (Math.floor(midnight / (DAY * MINUTE)) + 3) % 7;
    for (const w of windows) {
      if (!w.days.includes(weekday)) continue;
      const start = englandInstant(midnight + w.from * MINUTE);
      const end = englandInstant(midnight + w.to * MINUTE);
      if (start <= nowMs && nowMs < end) return new Date(nowMs).toISOString();
      if (start > nowMs && (best === undefined || start < best)) best = start;
    }
  }
  if (best === undefined) throw new RangeError('safe times with no window');
  return new Date(best).toISOString();
}

// ── Holding a message until it is safe ────────────────────────────────────────────────────────────────────

/** A message held for the victim's next safe window: the workflow waits until `until` (its own clock), then sends. */
export interface SafeTimeHold {
  /** When the workflow's wait ends: the window's opening, on the workflow's clock (compressed locally). */
  until: string;
  /** When the window opens on England's clock. */
  opensAt: string;
  /** When the message was first due. */
  at: string;
  /** The safe times it was held under ('' for none): changed while it waits, the message is judged again at its end. */
  safeTimes?: string;
}

export type SendOrHold = { send: true } | { send: false; hold: SafeTimeHold };

/** The victim's safe windows as recorded; text the API could not have taken is an error, never "any time". */
export function safeWindows(safeTimes: string | undefined): SafeWindow[] | undefined {
  if (safeTimes === undefined) return undefined;
  const parsed = parseSafeTimes(safeTimes);
  if (!parsed.ok) throw new RangeError(`the safe times on record cannot be honoured: ${parsed.reason}`);
  return parsed.windows;
}

/**
 * A message due now (`earlier`: its hold, if one was made): it goes now if it is safe, or if its hold has run
 * (the workflow waited for the window); otherwise it is held until the next window opens. A hold is made once and
 * kept, so a restart during the wait keeps its time. If the victim's safe times changed while it was held, the new
 * ones apply: at the end of the wait it goes if that moment is safe under them, or is held again for their next
 * window (never at a time the victim no longer gives). `daySeconds` is the workflow's day (86,400 in AWS; the local
 * stack compresses it): the wait is the time to the window on that clock, in whole seconds.
 */
export function sendOrHold(
  safeTimes: string | undefined,
  earlier: SafeTimeHold | undefined,
  now: string,
  daySeconds: number,
): SendOrHold {
  if (earlier && Date.parse(earlier.until) > Date.parse(now)) return { send: false, hold: earlier };
  if (earlier && (earlier.safeTimes ?? '') === (safeTimes ?? '')) return { send: true };
  // The moment on England's clock: now, or, at the end of a wait held under other safe times, the moment the wait
  // stands for (its window's opening, and as much after it as the workflow's clock ran past the wait's end).
  const nowMs = Date.parse(now);
  const englandNow = earlier
    ? new Date(Date.parse(earlier.opensAt) + ((nowMs - Date.parse(earlier.until)) * 86_400) / daySeconds).toISOString()
    : now;
  const opensAt = nextSafeMoment(safeWindows(safeTimes), englandNow);
  const realSeconds = (Date.parse(opensAt) - Date.parse(englandNow)) / 1000;
  if (realSeconds <= 0) return { send: true };
  const waitSeconds = Math.max(1, Math.ceil((realSeconds * daySeconds) / 86_400));
  const until = new Date(Math.floor(nowMs / 1000) * 1000 + waitSeconds * 1000).toISOString();
  // Whole seconds, as a Wait state's timestamp.
  return {
    send: false,
    hold: {
      until: until.replace(/\.\d{3}Z$/, 'Z'),
      opensAt,
      at: earlier?.at ?? now,
      safeTimes: safeTimes ?? '',
    },
  };
}

/** Whether a hold on record stands for the safe times now on record (else it is made again when its wait ends). */
export const holdStands = (hold: SafeTimeHold | undefined, safeTimes: string | undefined): hold is SafeTimeHold =>
  !!hold && (hold.safeTimes ?? '') === (safeTimes ?? '');
