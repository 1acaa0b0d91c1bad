import { describe, expect, test } from 'vitest';
import { ResumeNames } from '../../local/resume-names.js';

/**
 * The names a restart gives the executions that resume its cases (local/engine.ts resumeRunning). The rule before
 * it was made O(n): for each case, count every execution named after the case or `<caseId>-r…` at that moment. That
 * rule is written out here as the reference; the counts must give the same names, including for cases started
 * again one after another and case ids that begin another's name.
 */
function byScan(names: Set<string>, caseIds: readonly string[]): string[] {
  return caseIds.map((caseId) => {
    const n = [...names].filter((k) => k === caseId || k.startsWith(`${caseId}-r`)).length;
    const name = `${caseId}-r${n}`;
    names.add(name);
    return name;
  });
}

function byCounts(names: Set<string>, caseIds: readonly string[]): string[] {
  const counts = new ResumeNames(caseIds, names);
  return caseIds.map((caseId) => counts.next(caseId));
}

describe('the names of resumed executions', () => {
  test('a case run once, resumed before, retried after a fault, or continued: the next -r number', () => {
    const names = ['a', 'b', 'b-r1', 'b-r2', 'c', 'c-f1234abcd', 'c-c1', 'd-r0'];
    expect(byCounts(new Set(names), ['a', 'b', 'c', 'd'])).toEqual(['a-r1', 'b-r3', 'c-r1', 'd-r1']);
    expect(byCounts(new Set(names), ['a', 'b', 'c', 'd'])).toEqual(byScan(new Set(names), ['a', 'b', 'c', 'd']));
  });

  test('a case with two stale executions gets two names, one after the other', () => {
    const names = ['a', 'a-f00000001'];
    expect(byCounts(new Set(names), ['a', 'a'])).toEqual(['a-r1', 'a-r2']);
  });

  test("the same names as the scan over many histories, case ids that begin others' names included", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 48271) >>> 0) % 2147483647;
      return seed % n;
    };
    // Case ids as the store makes them cannot begin one another's names; these do (never equal to a name the rule
    // gives, where the scan itself would collide), to hold the rule to its letter.
    const cases = ['x', 'x-r', 'x-rr', 'y', 'y-rz', 'z', 'q-rq'];
    for (let run = 0; run < 50; run++) {
      // Each case's history as the stack makes it: its first execution, restarts (-r0, -r1, ... in turn), fault
      // retries (-f) and continuations (-c) in between.
      const names = new Set<string>();
      for (const caseId of cases) {
        if (random(4) === 0) continue;
        names.add(caseId);
        for (let k = 0, r = 0; k < random(6); k++)
          names.add(random(2) ? `${caseId}-r${r++}` : `${caseId}-f${random(99)}`);
      }
      const stale = Array.from({ length: 12 }, () => cases[random(cases.length)]!);
      expect(byCounts(new Set(names), stale)).toEqual(byScan(new Set(names), stale));
    }
  });
});
