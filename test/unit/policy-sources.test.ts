import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { policy } from '../../functions/domain/policy.js';

/**
 * docs/process.md ("The numbers"): every number the process runs on lives in the policy module with
 * a comment naming its source, or saying it is our default. Read from the
 * module's text: each top-level entry has its own comment just above it.
 */
const text = readFileSync(new URL('../../functions/domain/policy.ts', import.meta.url), 'utf8');
const lines = text.split('\n');

describe('the policy module', () => {
  test.each(Object.keys(policy))('%s has a comment naming its source or saying it is a default', (key) => {
    const at = lines.findIndex((l) => l.startsWith(`  ${key}:`));
    expect(at, `${key} is a top-level entry`).toBeGreaterThan(0);
    const above = lines[at - 1]!.trim();
    expect(above.endsWith('*/'), `${key} has a comment just above it`).toBe(true);
    let start = at - 1;
    while (!lines[start]!.trim().startsWith('/**')) start -= 1;
    const comment = lines.slice(start, at).join(' ');
    expect(comment.length, key).toBeGreaterThan(20);
  });

  test('the preservation renewal is warned of before the preservation lapses', () => {
    expect(policy.preservationRenewalWarningDays).toBeLessThan(policy.preservationDays);
  });

  test('the ISP look-ups made on their own for one account are bounded', () => {
    expect(policy.ispRequestsPerAccount).toBeGreaterThanOrEqual(1);
    expect(policy.ispRequestsPerAccount).toBeLessThanOrEqual(policy.ispRequestsChosenAtOnce);
  });
});
