import type { IdentificationInput } from '../schemas/api.js';
import { judgePoints } from './correlation.js';
import { invalid } from './errors.js';
import { policy } from './policy.js';
import type { ApprovalRecord, CaseRecord, RequestRecord } from './records.js';
import { ispRequests } from './requests.js';

/** Identifying the suspect (docs/process.md step 5): when identification opens, and the points a proposal stands on. */

/**
 * Identification opens (docs/api.md): at once on a proposal (two points stand while requests still run), or once
 * every request has settled and no return wants a look-up not yet made: the investigator then has all there is.
 */
export function identificationReady(b: {
  kase: CaseRecord;
  approvals: readonly ApprovalRecord[];
  requests: readonly RequestRecord[];
}): Record<string, unknown> | undefined {
  const p = b.kase.identification;
  if (p?.status === 'proposed') return { proposalId: p.proposalId };
  const outstanding = b.requests.some(
    (r) => (r.kind === 'platform_disclosure' || r.kind === 'isp_resolution') && !requestSettled(r),
  );
  if (outstanding || ispRequests(b.requests, b.kase, b.kase.updatedAt, () => 'unmade').length) return undefined;
  return { settled: true };
}

const requestSettled = (r: RequestRecord) => r.status === 'returned' || r.status === 'abandoned';

/**
 * docs/process.md step 5 and docs/api.md: a suspect is never proposed on
 * fewer than two independent points that stand. A point stands when its
 * return supports the person named (correlation.ts, judgePoints); points are
 * independent when they come from different returned requests. Any point that
 * does not stand is refused by its path. Returns the accounts the points tie
 * to the suspect: the only ones a letter may attribute to them.
 */
export function checkIdentification(input: IdentificationInput, requests: readonly RequestRecord[]): string[] {
  const verdicts = judgePoints(input.suspect, input.points, requests);
  const errors = verdicts.flatMap((v, i) => (v.stands ? [] : [{ path: `points.${i}`, message: v.reason }]));
  if (errors.length)
    throw invalid(
      'every point must support the person named: their name or an alias in its return, or an identifier another cited return ties to them',
      errors,
    );
  const sources = new Set(input.points.map((p) => p.requestId));
  if (sources.size < policy.minCorroboratingPoints)
    throw invalid(
      `a suspect needs at least ${policy.minCorroboratingPoints} independent corroborating points (from different returns)`,
      [{ path: 'points', message: `only ${sources.size} independent source${sources.size === 1 ? '' : 's'}` }],
    );
  return [...new Set(verdicts.flatMap((v) => v.accountIds))].sort();
}
