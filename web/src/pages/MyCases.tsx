import type { CaseSummary } from '../api.js';
import type { Session } from '../auth/session.js';
import { label, relative, STAGE_LABELS, stageTagClass, TASK_LABELS, when } from '../format.js';
import { usePages } from '../components/data.js';
import { ShowMore } from '../components/pages.js';

/** How often the list is looked at again: a poll that finds nothing new is a 304. */
const CASES_POLL_MS = 15_000;

/** The investigator's own cases (those they own), newest first a page at a time; shown by next deadline. */
export function MyCases({ session }: { session: Session }) {
  const cases = usePages<CaseSummary>('/cases?scope=mine', CASES_POLL_MS);
  const mine = (cases.items ?? [])
    .filter((c) => (c.owner ?? c.createdBy) === session.sub)
    .sort((a, b) => (a.nextDeadline ?? '9').localeCompare(b.nextDeadline ?? '9'));
  return (
    <>
      <h1 class="govuk-heading-l">My cases</h1>
      <p class="govuk-body">
        {/* biome-ignore lint/a11y/useSemanticElements: GOV.UK Frontend's button-styled link; it navigates, so it stays a link */}
        <a class="govuk-button" href="/open-case" role="button" draggable={false}>
          Open a case
        </a>
      </p>
      {cases.error && <p class="govuk-error-message">{cases.error}</p>}
      {cases.items && mine.length === 0 && <p class="govuk-body">You have no cases yet.</p>}
      {mine.length > 0 && <CaseTable cases={mine} />}
      <ShowMore hasMore={cases.hasMore} more={cases.more} what="cases" />
    </>
  );
}

export function CaseTable({
  cases,
  linkTo = (c) => `/case/${c.caseId}`,
}: {
  cases: CaseSummary[];
  linkTo?: (c: CaseSummary) => string;
}) {
  return (
    <table class="govuk-table" data-testid="case-table">
      <caption class="govuk-table__caption govuk-visually-hidden">Cases</caption>
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          <th scope="col" class="govuk-table__header">
            Crime reference
          </th>
          <th scope="col" class="govuk-table__header">
            Stage
          </th>
          <th scope="col" class="govuk-table__header">
            Waiting on
          </th>
          <th scope="col" class="govuk-table__header">
            Next deadline
          </th>
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        {cases.map((c) => {
          const overdue = c.openTasks.some((t) => t.overdue);
          return (
            <tr class="govuk-table__row" key={c.caseId} data-case-id={c.caseId}>
              <td class="govuk-table__cell">
                <a class="govuk-link" href={linkTo(c)}>
                  {c.crimeReference}
                </a>
              </td>
              <td class="govuk-table__cell">
                <strong class={stageTagClass(c.stage)}>{label(STAGE_LABELS, c.stage)}</strong>
              </td>
              <td class="govuk-table__cell">{c.openTasks.map((t) => label(TASK_LABELS, t.task)).join(', ') || '–'}</td>
              <td class="govuk-table__cell">
                {c.nextDeadline ? (
                  <>
                    {when(c.nextDeadline)} <span class="govuk-body-s">({relative(c.nextDeadline)})</span>{' '}
                    {overdue && <strong class="govuk-tag govuk-tag--red">Overdue</strong>}
                  </>
                ) : (
                  '–'
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
