import { authorisationCurrent } from '../../domain/authorisation.js';
import { platformRequests, renewalWarningIn } from '../../domain/requests.js';
import { PrepareRequestsEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase } from '../../adapters/case.js';
import { putRequests } from '../../adapters/request.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { audit } from '../../services/audit.js';
import { newId } from '../../adapters/ids.js';
import { AuthorisationExpired } from '../../domain/errors.js';

/**
 * Preservation and disclosure requests per account, made once: a resumed execution finds them and goes on. Each
 * preservation's renewal warning is timed from the request itself (`warningSeconds` after it was made), so a
 * resumed case waits only what is left.
 */
export const handler = workflowHandler(
  'prepareRequests',
  PrepareRequestsEvent,
  async ({ caseId, warningSeconds }, now) => {
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
      await putRequests(made);
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
    // Out of gate 1 into the requests; a case resumed at a later stage stays where it is.
    if (kase.stage === 'DATA_REQUEST_APPROVAL')
      await mutateCase(
        caseId,
        (k) => (k.stage === 'DATA_REQUEST_APPROVAL' ? { ...k, stage: 'PLATFORM_REQUESTS' } : k),
        now,
      );
    // Each account's disclosure request with the preservation request beside it: the workflow watches both.
    return {
      items: all
        .filter((r) => r.kind === 'platform_disclosure')
        .map((r) => {
          const preservation = all.find((p) => p.kind === 'platform_preservation' && p.accountId === r.accountId);
          return {
            requestId: r.requestId,
            preservationRequestId: preservation?.requestId ?? r.requestId,
            renewalWarningSeconds: preservation ? renewalWarningIn(preservation, warningSeconds, now) : 0,
          };
        }),
    };
  },
);
