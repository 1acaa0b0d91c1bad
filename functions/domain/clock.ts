/** Instants are ISO 8601 strings in UTC throughout. */
export const addSeconds = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** A deadline reached this very moment is missed. */
export const isOverdue = (dueAt: string, now: string) => Date.parse(dueAt) <= Date.parse(now);

/** The error a resumed wait is ended with when its first due time passed while nothing ran (a restart). */
export const WAIT_DUE = 'WaitDue';

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
): string {
  if (!earlier || earlier.overdue || !earlier.execution || !execution || earlier.execution === execution) return fresh;
  return earlier.dueAt;
}
