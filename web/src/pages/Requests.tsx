import { useState } from 'preact/hooks';
import { download, get, post, type RequestView } from '../api.js';
import { policy } from '../../../functions/domain/policy.js';
import { useData, usePages } from '../components/data.js';
import { ShowMore } from '../components/pages.js';
import { RequestFor, RequestStatus } from '../components/requestCells.js';
import { Button, ErrorSummary, LocalError, Radios, Textarea, Toggle, useSubmit } from '../components/forms.js';
import { label, PLATFORM_LABELS, relative, REQUEST_KIND_LABELS, when } from '../format.js';
import { navigate } from '../router.js';

/** A request of the force's queue (GET /requests): the request and its case. */
interface Row extends RequestView {
  caseId: string;
  crimeReference: string;
}

/** A policy figure in seconds as whole days, as the page states it. */
const days = (seconds: number) => Math.round(seconds / 86_400);

/** How often the queue is looked at again: a poll that finds nothing new is a 304. */
const QUEUE_POLL_MS = 10_000;

const uploadable = (r: RequestView) => r.status === 'awaiting_return' && r.kind !== 'platform_preservation';

/** The SPoC's queue: the force's requests awaiting a return (or all of them), soonest deadline first, one list. */
export function RequestsQueue() {
  const [all, setAll] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const pages = usePages<Row>(`/requests?status=${all ? 'all' : 'awaiting_return'}`, QUEUE_POLL_MS);
  const q = { error: pages.error, data: pages.items };
  return (
    <>
      <h1 class="govuk-heading-l">Requests</h1>
      <p class="govuk-body">
        Preservation requests warn {policy.preservationDays - policy.preservationRenewalWarningDays} days before their{' '}
        {policy.preservationDays} days run out; disclosure and ISP requests are chased at{' '}
        {days(policy.returnChaseSeconds)} days and given up at {days(policy.returnGiveUpSeconds)}.
      </p>
      <Toggle id="all-requests" checked={all} onChange={setAll} spaced>
        Show every request, not only those awaiting a return
      </Toggle>
      {q.error && <p class="govuk-error-message">{q.error}</p>}
      {downloadError && <p class="govuk-error-message">{downloadError}</p>}
      {q.data && q.data.length === 0 && (
        <p class="govuk-body">{all ? 'The force has no requests.' : 'No request is awaiting a return.'}</p>
      )}
      {q.data && q.data.length > 0 && (
        <table class="govuk-table govuk-body-s" data-testid="requests-queue">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th class="govuk-table__header">Case</th>
              <th class="govuk-table__header">Kind</th>
              <th class="govuk-table__header">To</th>
              <th class="govuk-table__header">For</th>
              <th class="govuk-table__header">Status</th>
              <th class="govuk-table__header">Due</th>
              <th class="govuk-table__header">
                <span class="govuk-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {q.data.map((r) => {
              const overdue = Date.parse(r.dueAt) <= Date.now() && r.status !== 'returned';
              return (
                <tr
                  class="govuk-table__row"
                  key={r.requestId}
                  data-request-kind={r.kind}
                  data-request-status={r.status}
                  data-case-id={r.caseId}
                >
                  <td class="govuk-table__cell">
                    <a class="govuk-link" href={`/case/${r.caseId}`}>
                      {r.crimeReference}
                    </a>
                  </td>
                  <td class="govuk-table__cell">
                    {label(REQUEST_KIND_LABELS, r.kind)}{' '}
                    {r.tipOffRisk && <strong class="govuk-tag govuk-tag--orange">Tip-off risk</strong>}
                  </td>
                  <td class="govuk-table__cell">
                    {r.kind === 'isp_resolution' ? r.target : label(PLATFORM_LABELS, r.target)}
                  </td>
                  <td class="govuk-table__cell">
                    <RequestFor r={r} caseId={r.caseId} />
                  </td>
                  <td class="govuk-table__cell">
                    <RequestStatus r={r} />
                  </td>
                  <td class="govuk-table__cell">
                    {when(r.dueAt)} <span class="rtk-nowrap">({relative(r.dueAt)})</span>{' '}
                    {overdue && <strong class="govuk-tag govuk-tag--red">Overdue</strong>}
                  </td>
                  <td class="govuk-table__cell">
                    <button
                      type="button"
                      class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                      onClick={() =>
                        void download(
                          `/cases/${r.caseId}/requests/${r.requestId}/document.pdf`,
                          `request-${r.requestId}.pdf`,
                        ).catch((e: unknown) => setDownloadError(e instanceof Error ? e.message : String(e)))
                      }
                    >
                      Request document<span class="govuk-visually-hidden"> for {r.requestId}</span>
                    </button>
                    {uploadable(r) && (
                      <>
                        {' · '}
                        <a class="govuk-link" href={`/case/${r.caseId}/return/${r.requestId}`}>
                          Upload return<span class="govuk-visually-hidden"> for {r.requestId}</span>
                        </a>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ShowMore hasMore={pages.hasMore} more={pages.more} what="requests" />
    </>
  );
}

/** What a return file is sent as: CSV for platform IP logs, JSON for everything else. */
export function returnPayload(text: string, format: string, fileName?: string): { body: string; contentType: string } {
  const csv =
    format === 'csv' ||
    (format === 'auto' && (fileName?.toLowerCase().endsWith('.csv') ?? !text.trimStart().startsWith('{')));
  if (csv) return { body: text, contentType: 'text/csv' };
  try {
    JSON.parse(text);
  } catch (e) {
    throw new LocalError([{ path: 'return', message: `is not valid JSON: ${(e as Error).message}` }]);
  }
  return { body: text, contentType: 'application/json' };
}

export function UploadReturn({ caseId, requestId }: { caseId: string; requestId: string }) {
  const requests = useData(() => get<RequestView[]>(`/cases/${caseId}/requests`), [caseId]);
  const r = requests.data?.find((x) => x.requestId === requestId);
  const [how, setHow] = useState('file');
  const [format, setFormat] = useState('auto');
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const { errors, detail, busy, submit } = useSubmit(
    async () => {
      let text: string;
      let name: string | undefined;
      if (how === 'file') {
        const file = (form!.elements.namedItem('file') as HTMLInputElement).files?.[0];
        if (!file) throw new LocalError([{ path: 'file', message: 'Choose the file the platform or ISP returned' }]);
        text = await file.text();
        name = file.name;
      } else {
        text = (form!.elements.namedItem('return') as HTMLTextAreaElement).value;
        if (!text.trim())
          throw new LocalError([{ path: 'return', message: 'Paste what the platform or ISP returned' }]);
      }
      const { body, contentType } = returnPayload(text, format, name);
      return post(`/cases/${caseId}/requests/${requestId}/return`, body, contentType);
    },
    () => navigate('/requests-queue'),
  );
  return (
    <>
      <span class="govuk-caption-l">Upload a return</span>
      <h1 class="govuk-heading-l">
        {r
          ? `${label(REQUEST_KIND_LABELS, r.kind)}: ${r.kind === 'isp_resolution' ? `${r.target} ${r.ip ?? ''}` : `${label(PLATFORM_LABELS, r.target)} ${r.accountHandle ?? ''}`}`
          : 'Return'}
      </h1>
      {r && !uploadable(r) && (
        <p class="govuk-body">This request is {r.status.replace(/_/g, ' ')}: nothing to upload.</p>
      )}
      <p class="govuk-body">
        JSON as the API takes it (receivedAt, subscriber, ipEvents, installationAddress), or for platform IP logs a CSV
        with the header <code>ip,port,timestamp,timezone,kind</code>. Every time needs an offset or a time zone.
      </p>
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate data-testid="upload-form">
        <Radios
          name="how"
          label="How"
          inline
          errors={errors}
          value={how}
          onChange={setHow}
          options={[
            ['file', 'Upload a file'],
            ['paste', 'Paste the text'],
          ]}
        />
        {how === 'file' ? (
          <div class="govuk-form-group">
            <label class="govuk-label govuk-label--s" for="f-file">
              Return file
            </label>
            {errors.some((e) => e.path === 'file') && (
              <p class="govuk-error-message">{errors.find((e) => e.path === 'file')!.message}</p>
            )}
            <input
              class="govuk-file-upload"
              id="f-file"
              name="file"
              type="file"
              accept=".json,.csv,application/json,text/csv"
            />
          </div>
        ) : (
          <Textarea name="return" label="Return" rows={12} errors={errors.filter((e) => e.path === 'return')} />
        )}
        <Radios
          name="format"
          label="Format"
          inline
          errors={errors}
          value={format}
          onChange={setFormat}
          options={[
            ['auto', 'Work it out'],
            ['json', 'JSON'],
            ['csv', 'CSV (IP log)'],
          ]}
        />
        <Button busy={busy}>Upload the return</Button>
      </form>
      {errors.length > 0 && (
        <>
          <h2 class="govuk-heading-s">Problems found in the return</h2>
          <ul class="govuk-list govuk-list--bullet" data-testid="parse-problems">
            {errors.map((e) => (
              <li key={`${e.path}${e.message}`}>
                <code>{e.path || '(whole return)'}</code>: {e.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
