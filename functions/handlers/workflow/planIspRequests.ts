import { authorisationCurrent } from '../../domain/authorisation.js';
import { renewalRefused } from '../../domain/gateDecisions.js';
import { ispRequestOutstanding, ispRequests } from '../../domain/requests.js';
import { PlanIspEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase } from '../../adapters/case.js';
import { putRequests } from '../../adapters/request.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { audit } from '../../services/audit.js';
import { newId } from '../../adapters/ids.js';
import { AuthorisationExpired } from '../../domain/errors.js';

/**
 * ISP look-ups for the addresses and times a platform returned: for the one return just in (`requestId`, as
 * soon as it is in, whatever the other platforms), or for every return on the case. Idempotent on address,
 * time and port. Returns the ISP requests made on their own that still await their return, for the workflow
 * to watch.
 */
export const handler = workflowHandler('planIspRequests', PlanIspEvent, async ({ caseId, requestId }, now) => {
  const { kase, requests, approvals } = await mustLoadCase(caseId);
  const expired = !authorisationCurrent(kase, now);
  // A renewal refused: the case goes on with what it holds, and nothing is asked under the expired authorisation.
  const made = expired && renewalRefused(approvals) ? [] : ispRequests(requests, kase, now, newId, requestId);
  if (made.length && expired) {
    await audit(
      caseId,
      'workflow',
      'requests.blocked.authorisation_expired',
      { wanted: String(made.length), authorisation: kase.authorisation?.reference ?? 'none' },
      undefined,
      now,
      true,
    );
    throw new AuthorisationExpired();
  }
  await putRequests(made);
  const all = [...requests, ...made];
  const inScope = (r: { sourceRequestId?: string }) => requestId === undefined || r.sourceRequestId === requestId;
  // One entry per return's bounded set of look-ups, asserted on every run (the key is the set, not this run's share
  // of it); the SPoC's chosen ones have their own entry.
  const sources = all.filter(
    (r) => r.kind === 'platform_disclosure' && (requestId === undefined || r.requestId === requestId),
  );
  for (const source of sources) {
    const bounded = all.filter(
      (r) => r.kind === 'isp_resolution' && r.sourceRequestId === source.requestId && !r.chosenBy,
    );
    if (bounded.length)
      await audit(
        caseId,
        'workflow',
        'requests.isp.created',
        { sourceRequestId: source.requestId, count: String(bounded.length) },
        undefined,
        now,
        `requests.isp.created|${bounded
          .map((r) => r.requestId)
          .sort()
          .join(',')}`,
      );
  }
  // The SPoC's chosen look-ups have a watch of their own (ISP_REQUESTS_CHOSEN).
  const watched = all.filter((r) => ispRequestOutstanding(r) && !r.chosenBy && inScope(r));
  // The case is resolving addresses once any look-up is out (or every return is in); never moved back.
  if (kase.stage === 'PLATFORM_REQUESTS' && (requestId === undefined || watched.length))
    await mutateCase(caseId, (k) => (k.stage === 'PLATFORM_REQUESTS' ? { ...k, stage: 'ISP_RESOLUTION' } : k), now);
  return { requestIds: watched.map((r) => r.requestId) };
});
