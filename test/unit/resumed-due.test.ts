import { describe, expect, test } from 'vitest';
import { resumedDueAt, secondsToFirstDue } from '../../functions/domain/clock.js';

describe('a wait opened again keeps its first due time only when another execution resumes it', () => {
  const fresh = '2026-12-02T10:00:00.000Z';
  const earlier = { dueAt: '2026-12-01T10:00:00.000Z', overdue: false, execution: 'case-1' };

  test('resumed by a fresh execution (a restart, a hand-over): the first due time stands', () => {
    expect(resumedDueAt(earlier, 'case-1-r1', fresh)).toBe(earlier.dueAt);
  });

  test('opened again by the same execution (after its own timeout): due afresh', () => {
    expect(resumedDueAt(earlier, 'case-1', fresh)).toBe(fresh);
  });

  test('already overdue (escalated), opened first, or with no execution on record: due afresh', () => {
    expect(resumedDueAt({ ...earlier, overdue: true }, 'case-1-r1', fresh)).toBe(fresh);
    expect(resumedDueAt(undefined, 'case-1-r1', fresh)).toBe(fresh);
    expect(resumedDueAt({ dueAt: earlier.dueAt, overdue: false }, 'case-1-r1', fresh)).toBe(fresh);
    expect(resumedDueAt(earlier, undefined, fresh)).toBe(fresh);
  });

  test('waiting out the seconds left, in the execution that resumed it: the due time on record stands', () => {
    const resumed = { ...earlier, execution: 'case-1-r1' };
    expect(resumedDueAt(resumed, 'case-1-r1', fresh, true)).toBe(earlier.dueAt);
    // Escalated meanwhile, or gone: due afresh, as any wait.
    expect(resumedDueAt({ ...resumed, overdue: true }, 'case-1-r1', fresh, true)).toBe(fresh);
    expect(resumedDueAt(undefined, 'case-1-r1', fresh, true)).toBe(fresh);
  });
});

describe('a resumed wait whose first due time is ahead waits only the seconds left', () => {
  const now = '2026-12-01T09:00:00.000Z';
  const fresh = '2026-12-02T09:00:00.000Z';

  test('due before the engine would time it out: the seconds from now to that due time', () => {
    expect(secondsToFirstDue('2026-12-01T10:00:00.000Z', fresh, now)).toBe(3600);
  });

  test('rounded up to whole seconds, and at least one: never ended before its due time', () => {
    expect(secondsToFirstDue('2026-12-01T09:00:01.200Z', fresh, now)).toBe(2);
    expect(secondsToFirstDue('2026-12-01T09:00:00.001Z', fresh, now)).toBe(1);
  });

  test('due with the timeout or after it (a wait first opened): the timeout stands', () => {
    expect(secondsToFirstDue(fresh, fresh, now)).toBeUndefined();
    expect(secondsToFirstDue('2026-12-03T09:00:00.000Z', fresh, now)).toBeUndefined();
  });

  test('due already (the stack was down past it): none, the wait ends at once instead', () => {
    expect(secondsToFirstDue(now, fresh, now)).toBeUndefined();
    expect(secondsToFirstDue('2026-12-01T08:00:00.000Z', fresh, now)).toBeUndefined();
  });
});
