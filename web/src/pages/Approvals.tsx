import { useState } from 'preact/hooks';
import { findInPages, get, post, type ApprovalSummary, type CaseView, type FaultSummary } from '../api.js';
import type { Session } from '../auth/session.js';
import { useData, usePages } from '../components/data.js';
import { ShowMore } from '../components/pages.js';
import {
  Button,
  ErrorSummary,
  formValues,
  isoFromLocal,
  localNow,
  Panel,
  Radios,
  Textarea,
  TextInput,
  useSubmit,
} from '../components/forms.js';
import {
  CLOSURE_REASON_LABELS,
  DELAY_GROUND_LABELS,
  GATE_LABELS,
  label,
  OFFENCE_LABELS,
  RANK_LABELS,
  relative,
  STAGE_LABELS,
  when,
} from '../format.js';

/** Overdue first, then the soonest due. */
export const queueOrder = (a: ApprovalSummary, b: ApprovalSummary) =>
  Number(b.overdue) - Number(a.overdue) || a.dueAt.localeCompare(b.dueAt);

/** How often a queue is looked at again: a poll that finds nothing new is a 304. */
const QUEUE_POLL_MS = 10_000;

/** The supervisor's queue: only what the API says this user may decide (rank, not own case, not own proposal). */
export function ApprovalQueue({ session }: { session: Session }) {
  const pages = usePages<ApprovalSummary>('/approvals', QUEUE_POLL_MS);
  const q = { error: pages.error, data: pages.items && [...pages.items].sort(queueOrder) };
  return (
    <>
      <h1 class="govuk-heading-l">Approvals</h1>
      <p class="govuk-body">
        What you, as {label(RANK_LABELS, session.rank)}, may decide. Approvals on cases you opened, or on proposals you
        made, are never shown to you.
      </p>
      {q.error && <p class="govuk-error-message">{q.error}</p>}
      {q.data && q.data.length === 0 && (
        <p class="govuk-body" data-testid="approvals-empty">
          Nothing is waiting for your decision.
        </p>
      )}
      {q.data && q.data.length > 0 && (
        <table class="govuk-table" data-testid="approval-queue">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th class="govuk-table__header">Case</th>
              <th class="govuk-table__header">Decision</th>
              <th class="govuk-table__header">Rank needed</th>
              <th class="govuk-table__header">Due</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {q.data.map((a) => (
              <tr class="govuk-table__row" key={a.approvalId} data-gate={a.gate} data-case-id={a.caseId}>
                <td class="govuk-table__cell">
                  <a class="govuk-link" href={`/case/${a.caseId}/decide/${a.approvalId}`}>
                    {a.crimeReference ?? a.caseId}
                  </a>
                </td>
                <td class="govuk-table__cell">
                  {label(GATE_LABELS, a.gate)}
                  {a.closureReason && (
                    <span class="govuk-hint" data-testid="closure-reason">
                      {label(CLOSURE_REASON_LABELS, a.closureReason)}
                    </span>
                  )}
                </td>
                <td class="govuk-table__cell">{label(RANK_LABELS, a.requiredRank)}</td>
                <td class="govuk-table__cell">
                  {when(a.dueAt)} <span class="rtk-nowrap">({relative(a.dueAt)})</span>{' '}
                  {a.overdue && <strong class="govuk-tag govuk-tag--red">Overdue</strong>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ShowMore hasMore={pages.hasMore} more={pages.more} what="approvals" />
      <FaultQueue />
    </>
  );
}

/**
 * The dead-letter queue: steps of the workflow that failed in a way retrying
 * would not cure. The supervisor deals with the cause (or finds there is none
 * left), then runs the step again, saying why.
 */
function FaultQueue() {
  const pages = usePages<FaultSummary>('/faults', QUEUE_POLL_MS);
  const q = { data: pages.items, refresh: pages.refresh };
  const [open, setOpen] = useState<string>();
  if (!q.data?.length) return null;
  return (
    <>
      <h2 class="govuk-heading-m">Steps that failed</h2>
      <p class="govuk-body">
        The workflow could not complete these steps and is waiting on them. Deal with the cause, then run the step
        again.
      </p>
      <table class="govuk-table" data-testid="fault-queue">
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th class="govuk-table__header">Case</th>
            <th class="govuk-table__header">Step</th>
            <th class="govuk-table__header">Error</th>
            <th class="govuk-table__header">Due</th>
            <th class="govuk-table__header" />
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {q.data.map((f) => (
            <tr class="govuk-table__row" key={f.faultId} data-fault-id={f.faultId} data-case-id={f.caseId}>
              <td class="govuk-table__cell">
                <a class="govuk-link" href={`/case/${f.caseId}`}>
                  {f.crimeReference ?? f.caseId}
                </a>
              </td>
              <td class="govuk-table__cell">
                {f.state}
                {f.occurrences > 1 && <span class="govuk-body-s"> (failed {f.occurrences} times)</span>}
              </td>
              <td class="govuk-table__cell">{f.error}</td>
              <td class="govuk-table__cell">
                {when(f.dueAt)} {f.overdue && <strong class="govuk-tag govuk-tag--red">Overdue</strong>}
              </td>
              <td class="govuk-table__cell">
                {open === f.faultId ? (
                  <RetryFault
                    fault={f}
                    done={() => {
                      setOpen(undefined);
                      void q.refresh();
                    }}
                  />
                ) : (
                  <Button secondary onClick={() => setOpen(f.faultId)}>
                    Run again
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ShowMore hasMore={pages.hasMore} more={pages.more} what="failed steps" />
    </>
  );
}

function RetryFault({ fault, done }: { fault: FaultSummary; done: () => void }) {
  const s = useSubmit(
    () =>
      post(`/cases/${fault.caseId}/faults/${fault.faultId}/retry`, {
        rationale:
          formValues(document.getElementById(`retry-${fault.faultId}`) as HTMLFormElement).get('rationale')?.[0] ?? '',
      }),
    done,
  );
  return (
    <form id={`retry-${fault.faultId}`} onSubmit={s.submit} noValidate>
      <ErrorSummary errors={s.errors} detail={s.detail} />
      <Textarea name="rationale" label="Why it will pass now" errors={s.errors} rows={2} />
      <Button busy={s.busy}>Run the step again</Button>
    </form>
  );
}

function Evidence({ gate, c }: { gate: string; c: CaseView }) {
  if (gate === 'data_request') {
    return (
      <>
        <p class="govuk-body">
          Approve the communications data requests to the platforms below, and record the authorisation.
        </p>
        <dl class="govuk-summary-list">
          <Item k="Offence" v={label(OFFENCE_LABELS, c.offence)} />
          <Item k="Summary" v={c.summary} />
          <Item
            k="Risk"
            v={`FOUR: ${
              Object.entries(c.risk.four)
                .filter(([, on]) => on)
                .map(([k]) => k)
                .join(', ') || 'none'
            }; S-DASH ${c.risk.sdashYes}/11${c.victim.enhancedRights ? '; enhanced rights' : ''}`}
          />
          <Item
            k="Accounts"
            v={c.accounts
              .map((a) => `${a.platform} ${a.handle}${a.platformUserId ? ` (id ${a.platformUserId})` : ''}`)
              .join('; ')}
          />
        </dl>
      </>
    );
  }
  if (gate === 'identification' && c.identification) {
    const i = c.identification;
    const candidate =
      c.candidates.find((x) => x.candidateId === i.candidateId) ??
      c.candidates.find((x) => x.name.toLowerCase() === i.suspect.name.toLowerCase());
    return (
      <>
        <p class="govuk-body">Is the identification safe? At least two independent points must support it.</p>
        <dl class="govuk-summary-list">
          <Item
            k="Proposed suspect"
            v={`${i.suspect.name}${i.suspect.aliases.length ? ` (aliases: ${i.suspect.aliases.join(', ')})` : ''}`}
          />
          <Item k="Proposed by" v={`${i.proposedBy.name}, ${when(i.proposedAt)}`} />
          <Item k="Rationale" v={i.rationale} />
        </dl>
        <h3 class="govuk-heading-s">Points the proposal relies on</h3>
        <ul class="govuk-list govuk-list--bullet" data-testid="proposal-points">
          {i.points.map((p) => (
            <li key={p.requestId}>
              {p.kind.replace(/_/g, ' ')}: {p.detail}
            </li>
          ))}
        </ul>
        <h3 class="govuk-heading-s">Supporting points in the returns</h3>
        <ul class="govuk-list govuk-list--bullet" data-testid="supporting-points">
          {(candidate?.points ?? []).map((p) => (
            <li key={p.requestId}>{p.detail}</li>
          ))}
          {!candidate?.points.length && <li>None found for this name</li>}
        </ul>
        <h3 class="govuk-heading-s">Contradicting points</h3>
        <ul class="govuk-list govuk-list--bullet" data-testid="contradicting-points">
          {(candidate?.contradictions ?? []).map((p) => (
            <li key={p.requestId}>{p.detail}</li>
          ))}
          {!candidate?.contradictions.length && <li>None</li>}
        </ul>
        <h3 class="govuk-heading-s">Earlier proposals on this case, rejected</h3>
        <ul class="govuk-list govuk-list--bullet" data-testid="earlier-proposals">
          {(c.earlierProposals ?? []).map((p) => (
            <li key={p.proposalId}>
              {p.suspect.name}, proposed {when(p.proposedAt)} ({p.rationale}); rejected
              {p.rejectedAt ? ` ${when(p.rejectedAt)}` : ''}: {p.rejection ?? 'no reason recorded'}
            </li>
          ))}
          {!c.earlierProposals?.length && <li>None</li>}
        </ul>
      </>
    );
  }
  if ((gate === 'disclosure' || gate === 'delay') && c.disclosureProposal) {
    const p = c.disclosureProposal;
    return (
      <>
        <p class="govuk-body">
          {gate === 'disclosure'
            ? 'Tell the victim who the suspect is, now.'
            : 'Delay telling the victim, until the review date.'}
        </p>
        <dl class="govuk-summary-list">
          <Item
            k="Proposal"
            v={
              p.action === 'disclose'
                ? 'Disclose'
                : `Delay: ${label(DELAY_GROUND_LABELS, p.ground)}; review in ${p.reviewInDays} days`
            }
          />
          <Item k="Proposed by" v={`${p.proposedBy.name}, ${when(p.proposedAt)}`} />
          <Item k="Rationale" v={p.rationale} />
          {c.identification && (
            <Item k="Suspect" v={`${c.identification.suspect.name} (identification ${c.identification.status})`} />
          )}
          <Item
            k="Contact verified safe"
            v={`text message: ${c.contactVerified.sms ? 'yes' : 'no'}, letter: ${c.contactVerified.letter ? 'yes' : 'no'}`}
          />
          <Item
            k="Arrest track"
            v={c.arrests.map((a) => `${a.outcome.replace(/_/g, ' ')} ${when(a.at)}`).join('; ') || 'no outcome yet'}
          />
          <Item
            k="Earlier delays"
            v={c.delays.map((d) => `${d.ground.replace(/_/g, ' ')} (${d.reviewInDays} days)`).join('; ') || 'none'}
          />
        </dl>
      </>
    );
  }
  if (gate === 'closure' && c.closureProposal) {
    const p = c.closureProposal;
    return (
      <>
        <p class="govuk-body">
          Close the case without a suspect: requests still outstanding are abandoned, and the victim is told by a safe
          channel that the account could not be traced (unless they declined to be told). Rejected, the case goes on
          from where it was.
        </p>
        <dl class="govuk-summary-list" data-testid="closure-evidence">
          <Item k="Reason" v={label(CLOSURE_REASON_LABELS, p.reason)} />
          <Item k="Rationale" v={p.rationale} />
          <Item k="Proposed by" v={`${p.proposedBy.name}, ${when(p.proposedAt)}`} />
          <Item k="Stage" v={label(STAGE_LABELS, p.stage)} />
          <Item
            k="Requests"
            v={
              c.requests
                .map((r) => `${r.kind.replace(/_/g, ' ')} to ${r.target}: ${r.status.replace(/_/g, ' ')}`)
                .join('; ') || 'none'
            }
          />
        </dl>
      </>
    );
  }
  return null;
}

function Item({ k, v }: { k: string; v: string }) {
  return (
    <div class="govuk-summary-list__row">
      <dt class="govuk-summary-list__key">{k}</dt>
      <dd class="govuk-summary-list__value">{v}</dd>
    </div>
  );
}

/** One decision: what is decided, the evidence, and the form, only when the API lists the approval as this user's to decide. */
export function Decide({ session, caseId, approvalId }: { session: Session; caseId: string; approvalId: string }) {
  const d = useData(async () => {
    const [approval, c] = await Promise.all([
      findInPages<ApprovalSummary>('/approvals', (a) => a.approvalId === approvalId),
      get<CaseView>(`/cases/${caseId}`),
    ]);
    return { approval, kase: c };
  }, [caseId, approvalId]);
  const [decision, setDecision] = useState<string>();
  const [decided, setDecided] = useState<string>();
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const a = d.data?.approval;
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      const one = (k: string) => v.get(k)?.[0];
      const approveDataRequest = a?.gate === 'data_request' && decision === 'approve';
      return post(`/approvals/${approvalId}/decision`, {
        decision,
        rationale: one('rationale'),
        ...(approveDataRequest
          ? {
              authorisation: {
                route: one('authorisation.route'),
                reference: one('authorisation.reference'),
                dataType: one('authorisation.dataType'),
                expiresAt: isoFromLocal(one('authorisation.expiresAt')),
              },
            }
          : {}),
      });
    },
    () => setDecided(decision === 'approve' ? 'Approved' : 'Rejected'),
  );
  if (d.error && !d.data) return <p class="govuk-error-message">{d.error}</p>;
  if (!d.data) return <p class="govuk-body">Loading…</p>;
  const c = d.data.kase;
  const stored = c.approvals.find((x) => x.approvalId === approvalId);
  if (decided)
    return (
      <>
        <Panel title={decided}>
          {label(GATE_LABELS, stored?.gate)} for {c.crimeReference}
        </Panel>
        <p class="govuk-body">
          <a class="govuk-link" href="/approval-queue">
            Back to your approvals
          </a>
        </p>
      </>
    );
  return (
    <>
      <span class="govuk-caption-l">{c.crimeReference}</span>
      <h1 class="govuk-heading-l">{label(GATE_LABELS, stored?.gate ?? a?.gate)} decision</h1>
      {!a ? (
        <div class="govuk-inset-text" data-testid="not-yours">
          You cannot decide this approval
          {stored
            ? ` (${stored.status}; needs ${label(RANK_LABELS, stored.requiredRank)} or above, and never the case's creator or the proposer)`
            : ''}
          . Signed in as {session.name}.
        </div>
      ) : (
        <>
          <p class="govuk-body">
            Needs {label(RANK_LABELS, a.requiredRank)} or above. Due {when(a.dueAt)} ({relative(a.dueAt)}){' '}
            {a.overdue && <strong class="govuk-tag govuk-tag--red">Overdue</strong>}
          </p>
          <Evidence gate={a.gate} c={c} />
          <ErrorSummary errors={errors} detail={detail} />
          <form ref={setForm} onSubmit={submit} novalidate data-testid="decision-form">
            <Radios
              name="decision"
              label="Your decision"
              inline
              errors={errors}
              value={decision}
              onChange={setDecision}
              options={[
                ['approve', 'Approve'],
                ['reject', 'Reject'],
              ]}
            />
            {a.gate === 'data_request' && decision === 'approve' && (
              <div class="govuk-inset-text">
                <h3 class="govuk-heading-s">
                  Communications data authorisation (Investigatory Powers Act 2016, Part 3)
                </h3>
                <Radios
                  name="authorisation.route"
                  label="Route"
                  errors={errors}
                  defaultValue="ocda"
                  options={[
                    ['ocda', 'OCDA authorisation'],
                    ['urgent_dso', 'Urgent, by a designated senior officer (s.61A)'],
                  ]}
                />
                <TextInput name="authorisation.reference" label="Authorisation reference" width="20" errors={errors} />
                <Radios
                  name="authorisation.dataType"
                  label="Data type"
                  inline
                  errors={errors}
                  defaultValue="entity"
                  options={[
                    ['entity', 'Entity data'],
                    ['events', 'Events data'],
                  ]}
                />
                <TextInput
                  name="authorisation.expiresAt"
                  label="Expires"
                  hint="Urgent authorisations last at most 3 days, others 1 month"
                  type="datetime-local"
                  width="20"
                  defaultValue={localNow(27 * 86_400_000)}
                  errors={errors}
                />
              </div>
            )}
            <Textarea
              name="rationale"
              label="Rationale"
              hint="Why, in at least 10 characters: this is recorded in the audit trail"
              errors={errors}
            />
            <Button busy={busy}>Record the decision</Button>
          </form>
        </>
      )}
    </>
  );
}
