import { get, type AuditEntry, type AuditVerification, type CaseSummary, type CaseView } from '../api.js';
import { useData, usePages } from '../components/data.js';
import { ShowMore } from '../components/pages.js';
import { CaseTable } from './MyCases.js';
import { when } from '../format.js';

/** Auditor: every case of the force, each with its audit trail and the chain's verification. */
export function AuditCases() {
  const cases = usePages<CaseSummary>('/cases');
  return (
    <>
      <h1 class="govuk-heading-l">Audit</h1>
      <p class="govuk-body">Each case's trail is a hash chain: verifying it recomputes every link.</p>
      <p class="govuk-body">
        <a class="govuk-link" href="/statistics">
          Statistics and the anonymised export
        </a>
      </p>
      {cases.error && <p class="govuk-error-message">{cases.error}</p>}
      {cases.items && <CaseTable cases={cases.items} linkTo={(c) => `/case/${c.caseId}/audit`} />}
      <ShowMore hasMore={cases.hasMore} more={cases.more} what="cases" />
    </>
  );
}

export function AuditTrail({ caseId }: { caseId: string }) {
  const d = useData(async () => {
    const [verification, kase] = await Promise.all([
      get<AuditVerification>(`/cases/${caseId}/audit/verify`),
      get<CaseView>(`/cases/${caseId}`),
    ]);
    return { verification, kase };
  }, [caseId]);
  const trail = usePages<AuditEntry>(`/cases/${caseId}/audit`);
  if (d.error && !d.data) return <p class="govuk-error-message">{d.error}</p>;
  if (!d.data || !trail.items) return <p class="govuk-body">Loading the trail…</p>;
  const { verification: v, kase } = d.data;
  const entries = trail.items;
  return (
    <>
      <span class="govuk-caption-l">{kase.crimeReference}</span>
      <h1 class="govuk-heading-l">Audit trail</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: GOV.UK Frontend's notification banner markup, as its CSS and guidance expect */}
      <div
        class={`govuk-notification-banner${v.valid ? ' govuk-notification-banner--success' : ''}`}
        role="region"
        aria-labelledby="verify-title"
        data-testid="audit-verification"
        data-valid={String(v.valid)}
      >
        <div class="govuk-notification-banner__header">
          <h2 class="govuk-notification-banner__title" id="verify-title">
            Verification
          </h2>
        </div>
        <div class="govuk-notification-banner__content">
          <p class="govuk-notification-banner__heading">
            {v.valid
              ? `The trail is intact: ${v.entries} entries, each linked to the one before.`
              : `The trail is broken at entry ${v.firstBadSeq ?? '?'}.`}
          </p>
          <p class="govuk-body-s rtk-mono">Head: {v.head}</p>
        </div>
      </div>
      <p class="govuk-body">
        <a class="govuk-link" href={`/case/${caseId}`}>
          The case
        </a>
      </p>
      <table class="govuk-table govuk-body-s" data-testid="audit-entries">
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th class="govuk-table__header">#</th>
            <th class="govuk-table__header">When</th>
            <th class="govuk-table__header">Who</th>
            <th class="govuk-table__header">What</th>
            <th class="govuk-table__header">Ids</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {entries.map((e) => (
            <tr class="govuk-table__row" key={e.seq}>
              <td class="govuk-table__cell">{e.seq}</td>
              <td class="govuk-table__cell rtk-nowrap">{when(e.at)}</td>
              <td class="govuk-table__cell">{e.actor}</td>
              <td class="govuk-table__cell">{e.action}</td>
              <td class="govuk-table__cell rtk-mono">
                {e.ids
                  ? Object.entries(e.ids)
                      .map(([k, x]) => `${k}=${x}`)
                      .join(' ')
                  : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ShowMore hasMore={trail.hasMore} more={trail.more} what="entries" />
    </>
  );
}
