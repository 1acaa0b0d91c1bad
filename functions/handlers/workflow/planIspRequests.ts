import { AuthorisationExpired, authorisationCurrent, ispRequests } from '../../domain/cases.js';
import { CaseEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase, putRequest } from '../../adapters/cases.js';
import { workflowHandler } from '../../http/workflow.js';
import { audit, newId } from '../shared.js';

/** An ISP look-up for each address and time the platforms returned; idempotent on address, time and port. */
export const handler = workflowHandler('planIspRequests', CaseEvent, async ({ caseId }, now) => {
  const { kase, requests } = await mustLoadCase(caseId);
  const made = ispRequests(requests, kase, now, newId);
  if (made.length && !authorisationCurrent(kase, now)) {
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
  for (const r of made) await putRequest(r);
  // One entry per set of ISP requests on record, asserted on every run (the key is the set, not this run's share of it).
  const isp = [...requests, ...made].filter((r) => r.kind === 'isp_resolution');
  if (isp.length)
    await audit(
      caseId,
      'workflow',
      'requests.isp.created',
      { count: String(isp.length) },
      undefined,
      now,
      `requests.isp.created|${isp
        .map((r) => r.requestId)
        .sort()
        .join(',')}`,
    );
  if (kase.stage !== 'ISP_RESOLUTION') await mutateCase(caseId, (k) => ({ ...k, stage: 'ISP_RESOLUTION' }), now);
  return { requestIds: [...requests, ...made].filter((r) => r.kind === 'isp_resolution').map((r) => r.requestId) };
});
