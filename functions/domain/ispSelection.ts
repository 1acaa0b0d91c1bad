import type { IpEvent } from './records.js';

/** Which IP events of a platform's log become ISP look-ups. No Node built-ins here: the console's types reach this. */

/** The key that makes one ISP look-up: the same address, time and port is one question, however often it is logged. */
export const ipEventKey = (e: { ip: string; port?: number; at: { utc: string } }): string =>
  `${e.ip}|${e.at.utc}|${e.port ?? ''}`;
/** The same key for an ISP request already made. */
export const ispRequestKey = (r: { ip?: string; port?: number; eventAt?: string }): string =>
  `${r.ip}|${r.eventAt}|${r.port ?? ''}`;

/**
 * The IP events of one account's log that become ISP look-ups on their own,
 * at most `limit`: first the newest event of each distinct address and port
 * (newest first), then, while room is left, the other events, newest first.
 * The same address, time and port is taken once. Returns indexes into `events`.
 */
export function selectIspEvents(events: readonly IpEvent[], limit: number): number[] {
  const order = events
    .map((e, i) => ({ i, ms: Date.parse(e.at.utc), key: ipEventKey(e), pair: `${e.ip}|${e.port ?? ''}` }))
    .sort((a, b) => b.ms - a.ms || a.i - b.i);
  const taken: number[] = [];
  const keys = new Set<string>();
  const pairs = new Set<string>();
  const take = (x: (typeof order)[number]) => {
    keys.add(x.key);
    pairs.add(x.pair);
    taken.push(x.i);
  };
  for (const x of order) if (taken.length < limit && !pairs.has(x.pair)) take(x);
  for (const x of order) if (taken.length < limit && !keys.has(x.key)) take(x);
  return taken;
}
