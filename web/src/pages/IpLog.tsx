import { useState } from 'preact/hooks';
import { get, post, type IpLogRow, type RequestView } from '../api.js';
import { useData } from '../components/data.js';
import { Button, ErrorSummary, LocalError, Textarea, Toggle, useSubmit } from '../components/forms.js';
import { when } from '../format.js';

/**
 * A platform's whole IP log. ISP look-ups are made on their own for at most
 * ten events an account (the newest of each distinct address and port); the
 * SPoC chooses any of the rest here (POST .../isp-requests).
 */
export function IpLog({ caseId, requestId }: { caseId: string; requestId: string }) {
  const log = useData(
    () =>
      get<{ requestId: string; count: number; items: IpLogRow[] }>(`/cases/${caseId}/requests/${requestId}/ip-events`),
    [caseId, requestId],
  );
  const requests = useData(() => get<RequestView[]>(`/cases/${caseId}/requests`), [caseId]);
  const source = requests.data?.find((r) => r.requestId === requestId);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const [made, setMade] = useState<string[]>();
  const { errors, detail, busy, submit } = useSubmit(
    async () => {
      if (!chosen.size) throw new LocalError([{ path: 'events', message: 'Choose at least one event to look up' }]);
      const rationale = (form!.elements.namedItem('rationale') as HTMLTextAreaElement).value;
      return post<{ requestIds: string[]; alreadyAsked: number[] }>(
        `/cases/${caseId}/requests/${requestId}/isp-requests`,
        { events: [...chosen].sort((a, b) => a - b), rationale },
      );
    },
    (r) => {
      setMade(r.requestIds);
      setChosen(new Set());
      log.refresh();
    },
  );
  const toggle = (row: number, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(row);
    else next.delete(row);
    setChosen(next);
  };
  return (
    <>
      <span class="govuk-caption-l">IP log</span>
      <h1 class="govuk-heading-l">{source?.accountHandle ?? 'Platform return'}</h1>
      <p class="govuk-body">
        ISP look-ups are made on their own for at most ten events of an account: the newest of each distinct address and
        port. Choose any others to look up, and say why.
      </p>
      {log.error && <p class="govuk-error-message">{log.error}</p>}
      {made && (
        <div class="govuk-inset-text" data-testid="isp-chosen">
          {made.length} ISP request{made.length === 1 ? '' : 's'} made.{' '}
          <a class="govuk-link" href="/requests-queue">
            See the requests
          </a>
        </div>
      )}
      <ErrorSummary errors={errors} detail={detail} />
      {log.data && (
        <form ref={setForm} onSubmit={submit} novalidate data-testid="ip-log-form">
          <p class="govuk-body">
            {log.data.count} events, {log.data.items.filter((e) => e.ispRequestId).length} looked up.
          </p>
          <table class="govuk-table govuk-body-s" data-testid="ip-log">
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th class="govuk-table__header">Look up</th>
                <th class="govuk-table__header">Address</th>
                <th class="govuk-table__header">Time (UTC)</th>
                <th class="govuk-table__header">As the platform gave it</th>
                <th class="govuk-table__header">Kind</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {log.data.items.map((e) => (
                <tr class="govuk-table__row" key={e.row} data-row={e.row}>
                  <td class="govuk-table__cell">
                    {e.ispRequestId ? (
                      <strong class="govuk-tag govuk-tag--green">Asked</strong>
                    ) : (
                      <Toggle id={`row-${e.row}`} checked={chosen.has(e.row)} onChange={(on) => toggle(e.row, on)}>
                        <span class="govuk-visually-hidden">Look up row {e.row}</span>
                      </Toggle>
                    )}
                  </td>
                  <td class="govuk-table__cell">
                    {e.ip}
                    {e.port !== undefined ? `:${e.port}` : ''}
                  </td>
                  <td class="govuk-table__cell">
                    {e.atCandidates ? `${when(e.atCandidates[0])} or ${when(e.atCandidates[1])}` : when(e.at)}
                  </td>
                  <td class="govuk-table__cell">
                    {e.original}
                    {e.timeZone ? ` (${e.timeZone})` : ''}
                  </td>
                  <td class="govuk-table__cell">{e.kind}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Textarea name="rationale" label="Why these events" errors={errors} />
          <Button busy={busy}>Ask the ISP about {chosen.size || 'the chosen'} events</Button>
        </form>
      )}
    </>
  );
}
