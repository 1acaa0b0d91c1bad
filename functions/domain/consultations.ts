import { canonical, type DailyDigest, type DigestProblem, sha256 } from './audit.js';

/**
 * A person's consultation of a case (Data Protection Act 2018 s.62 logging): who opened which case, and when first
 * within a window (policy.viewRecordWindowSeconds). A view is not a decision or a step of the case, so it is not an
 * entry of the case's chain: it is one item of a consultation log of its own, one per (case, window, person), put
 * only if absent, so the console's refreshes within the window add nothing and a view is recorded exactly once
 * however many read at once. The daily digest seals the log beside the chains' heads (sealConsultations), so a
 * consultation removed or changed after its day is found as a chain's entry would be.
 */
export interface Consultation {
  caseId: string;
  /** The window's start and the person (`<ISO time>#<sub>`): the item's key within the case, newest window last. */
  viewKey: string;
  actor: string;
  /** When the person first opened the case in the window. */
  at: string;
}

/** The start of the window a time falls in: windows start at whole multiples of the window since the epoch. */
export function viewWindow(at: string, windowSeconds: number): string {
  const windowMs = windowSeconds * 1000;
  return new Date(Math.floor(Date.parse(at) / windowMs) * windowMs).toISOString();
}

export function consultation(caseId: string, actor: string, at: string, windowSeconds: number): Consultation {
  return { caseId, viewKey: `${viewWindow(at, windowSeconds)}#${actor}`, actor, at };
}

const itemHash = (c: Consultation) =>
  sha256(canonical({ caseId: c.caseId, viewKey: c.viewKey, actor: c.actor, at: c.at }));

/**
 * What a daily digest holds of the consultation log: the consultations recorded at or after `from` and before `to`
 * (each digest's `from` is the previous digest's `to`, so every consultation falls in exactly one), how many, and
 * one hash over all of them in a fixed order. `to` lags the digest's own time (handlers/scheduled/auditDigest.ts),
 * so a view under way as the digest runs falls in the next one.
 */
export type ConsultationSeal = NonNullable<DailyDigest['consultations']>;

export function sealConsultations(from: string, to: string, all: readonly Consultation[]): ConsultationSeal {
  const inRange = all.filter((c) => c.at >= from && c.at < to);
  const hashes = inRange.map(itemHash).sort();
  return { from, to, count: hashes.length, hash: sha256(canonical(hashes)) };
}

/**
 * What a stored digest says against the consultation log as it is now: the same consultations in its range,
 * unchanged (one removed, added or altered changes the count or the hash), and its range starting where the
 * previous digest's ended, so no consultation falls between two digests.
 */
export function checkConsultations(
  d: DailyDigest,
  now: readonly Consultation[],
  previous?: DailyDigest,
): DigestProblem[] {
  const seal = d.consultations;
  if (!seal) return [];
  const again = sealConsultations(seal.from, seal.to, now);
  const unlinked = previous?.consultations !== undefined && previous.consultations.to !== seal.from;
  return again.count !== seal.count || again.hash !== seal.hash || unlinked
    ? [{ day: d.day, problem: 'consultations_changed' }]
    : [];
}

/** A consultation as the views page lists it: when the person first opened the case in the window, and who. */
export const viewEntry = (c: Consultation) => ({ at: c.at, actor: c.actor });
