import { describe, expect, test } from 'vitest';
import { resumedDueAt } from '../../functions/domain/clock.js';

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
});
