/** Instants are ISO 8601 strings in UTC throughout. */
export const addSeconds = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** A deadline reached this very moment is missed. */
export const isOverdue = (dueAt: string, now: string) => Date.parse(dueAt) <= Date.parse(now);

/** The error a resumed wait is ended with when its first due time passed while nothing ran (a restart). */
export const WAIT_DUE = 'WaitDue';

/**
 * The error a resumed wait is ended with when its first due time is still ahead: the engine's timeout is a whole
 * period from the resumption, so the workflow waits again (its `…UntilFirstDue` twin, statemachines/resumedWaits.ts)
 * for the seconds left, which the error's cause carries.
 */
export const WAIT_RESUMED = 'WaitResumed';

/**
 * The due time of a wait on a person as it opens. Opened again by another execution (the stack restarted, or the
 * case handed over to a fresh execution), a wait still open and not yet overdue keeps the due time it was first
 * given, so a restart never pushes a deadline back. Opened again by the same execution (after its own timeout
 * escalated it), or first opened, it is due `fresh`.
 */
export function resumedDueAt(
  earlier: { dueAt: string; overdue: boolean; execution?: string } | undefined,
  execution: string | undefined,
  fresh: string,
  /** Opened by the twin that waits out a resumed wait's seconds left: the due time on record stands. */
  untilFirstDue = false,
): string {
  if (untilFirstDue && earlier && !earlier.overdue) return earlier.dueAt;
  if (!earlier || earlier.overdue || !earlier.execution || !execution || earlier.execution === execution) return fresh;
  return earlier.dueAt;
}

/**
 * The seconds a wait opened again must wait instead of the engine's timeout (due `fresh`): its first due time is
 * still ahead and comes sooner. Undefined when the timeout already ends it at its due time, or the due time has passed
 * (then it ends at once, WAIT_DUE). Whole seconds, rounded up: the engine never ends it before its due time.
 */
export function secondsToFirstDue(dueAt: string, fresh: string, now: string): number | undefined {
  if (isOverdue(dueAt, now) || Date.parse(dueAt) >= Date.parse(fresh)) return undefined;
  return Math.max(1, Math.ceil((Date.parse(dueAt) - Date.parse(now)) / 1000));
}
