import type { RequestView } from '../api.js';
import { when } from '../format.js';

/**
 * What a request is for: the account, and for an ISP look-up the address and
 * time; a local time that happened twice shows both instants the ISP is asked
 * about. A platform return with an IP log links to the whole log.
 */
export function RequestFor({ r, caseId }: { r: RequestView; caseId: string }) {
  return (
    <>
      {r.accountHandle ?? ''}
      {r.ip ? ` ${r.ip}${r.port !== undefined ? `:${r.port}` : ''} at ` : ''}
      {r.ip &&
        (r.atCandidates ? (
          <span data-testid="both-instants">
            {when(r.atCandidates[0])} or {when(r.atCandidates[1])}{' '}
            <strong class="govuk-tag govuk-tag--yellow">Time happened twice: both asked</strong>
          </span>
        ) : (
          when(r.eventAt)
        ))}
      {r.chosenBy && <span class="govuk-hint govuk-!-margin-bottom-0"> chosen by the SPoC</span>}
      {r.kind === 'platform_disclosure' && r.ipEventCount ? (
        <>
          {' · '}
          <a class="govuk-link" href={`/case/${caseId}/ip-log/${r.requestId}`}>
            IP log ({r.ipEventCount} events)<span class="govuk-visually-hidden"> of {r.requestId}</span>
          </a>
        </>
      ) : null}
    </>
  );
}

/** A request's status with the flags a person must see. */
export function RequestStatus({ r }: { r: RequestView }) {
  return (
    <>
      {r.status.replace(/_/g, ' ')}
      {r.chasedAt ? ' (chased)' : ''}
      {r.flags?.length ? ` (${r.flags.join(', ')})` : ''}
      {r.afterAuthorisationExpiry && (
        <>
          {' '}
          <strong class="govuk-tag govuk-tag--red" data-testid="after-expiry">
            Returned after the authorisation expired
          </strong>
        </>
      )}
    </>
  );
}
