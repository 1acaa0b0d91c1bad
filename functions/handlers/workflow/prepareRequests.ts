import { AuthorisationExpired, authorisationCurrent, platformRequests } from '../../domain/cases.js';
import { CaseEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase, putRequest } from '../../adapters/cases.js';
import { workflowHandler } from '../../http/workflow.js';
import { audit, newId } from '../shared.js';

/** Preservation and disclosure requests per account, made once: a resumed execution finds them and goes on. */
export const handler = workflowHandler('prepareRequests', CaseEvent, async ({ caseId }, now) => {
  const { kase, requests } = await mustLoadCase(caseId);
  let all = requests;
  if (!requests.some((r) => r.kind === 'platform_disclosure')) {
    if (!authorisationCurrent(kase, now)) {
      await audit(
        caseId,
        'workflow',
        'requests.blocked.authorisation_expired',
        { authorisation: kase.authorisation?.reference ?? 'none' },
        undefined,
        now,
        true,
      );
      throw new AuthorisationExpired();
    }
    const made = platformRequests(kase, now, newId);
    for (const r of made) await putRequest(r);
    all = made;
  }
  const platform = all.filter((r) => r.kind === 'platform_disclosure' || r.kind === 'platform_preservation');
  await audit(
    caseId,
    'workflow',
    'requests.platform.created',
    { count: String(platform.length), authorisation: kase.authorisation?.reference ?? 'none' },
    undefined,
    now,
    true,
  );
  if (kase.stage !== 'PLATFORM_REQUESTS') await mutateCase(caseId, (k) => ({ ...k, stage: 'PLATFORM_REQUESTS' }), now);
  // Each account's disclosure request with the preservation request beside it: the workflow watches both.
  return {
    items: all
      .filter((r) => r.kind === 'platform_disclosure')
      .map((r) => ({
        requestId: r.requestId,
        preservationRequestId:
          all.find((p) => p.kind === 'platform_preservation' && p.accountId === r.accountId)?.requestId ?? r.requestId,
      })),
  };
});
