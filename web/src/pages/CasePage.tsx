import { useEffect, useState } from 'preact/hooks';
import { get, type CaseView, type Page, pagePath, type TimelineEntry, type ViewEntry } from '../api.js';
import { hasRole, type Session } from '../auth/session.js';
import { useData, usePages } from '../components/data.js';
import { RequestFor, RequestStatus } from '../components/requestCells.js';
import { Notice, Toggle } from '../components/forms.js';
import { ShowMore } from '../components/pages.js';
import { WorkflowDiagram } from '../components/WorkflowDiagram.js';
import {
  CHANNEL_LABELS,
  CONTACT_STATE_LABELS,
  DELAY_GROUND_LABELS,
  CLOSURE_REASON_LABELS,
  FINAL_STAGES,
  GATE_LABELS,
  label,
  OFFENCE_LABELS,
  RANK_LABELS,
  relative,
  REQUEST_KIND_LABELS,
  STAGE_LABELS,
  stageTagClass,
  TASK_LABELS,
  when,
} from '../format.js';
import {
  CloseCase,
  LetterDownload,
  ProposeDisclosure,
  ProposeSuspect,
  RecordArrest,
  RecordHandover,
  VerifyContact,
} from './CaseActions.js';
import { TransferOwner } from './TransferOwner.js';
import { answeringRoutes, type RouteName } from '../../../functions/domain/tasks.js';
import {
  ConfirmPrisonContact,
  ConsiderProtectionOrder,
  MakeReferral,
  RecordSpoNotification,
  RecordVictimUpdate,
} from './TrackActions.js';
import { ChangeContact, RecordVictimChoice } from './VictimActions.js';
import { CLOSURE_PROPOSAL_STAGES, ProposeClosure } from './ClosureActions.js';

/** How often an open case is looked at again: a conditional GET, a 304 (and no view recorded) when nothing moved. */
const POLL_MS = 5000;
const POST_DECISION_STAGES = [
  'DISCLOSURE_DECISION',
  'DISCLOSURE_APPROVAL',
  'DELAY_APPROVAL',
  'DELAYED',
  'DISCLOSURE_DELIVERY',
];

export function CasePage({ session, caseId }: { session: Session; caseId: string }) {
  const kase = useData(() => get<CaseView>(`/cases/${caseId}`), [caseId]);
  const [notice, setNotice] = useState<string>();
  const open = kase.data && !FINAL_STAGES.includes(kase.data.stage);
  useEffect(() => {
    if (!open) return;
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') void kase.refresh();
    }, POLL_MS);
    return () => clearInterval(t);
  }, [caseId, open]);

  if (kase.error && !kase.data) return <p class="govuk-error-message">{kase.error}</p>;
  const c = kase.data;
  if (!c) return <p class="govuk-body">Loading the case…</p>;
  const investigator = hasRole(session, 'investigator');
  const task = (t: string) => c.openTasks.some((o) => o.task === t);
  /** An open task is answered through this route's form (functions/domain/tasks.ts answeredBy). */
  const offers = (route: RouteName) => c.openTasks.some((o) => answeringRoutes(o.task).includes(route));
  const done = (message: string) => {
    setNotice(message);
    window.scrollTo(0, 0);
    void kase.refresh();
  };
  const hasPhone = !!c.victim.contact.phone;
  const hasAddress = !!c.victim.contact.postalAddress;
  const needsVerification = (hasPhone && !c.contactVerified.sms) || (hasAddress && !c.contactVerified.letter);
  const letterReady = !!c.disclosure && (investigator || hasRole(session, 'supervisor'));

  return (
    <>
      <span class="govuk-caption-l">Case</span>
      <h1 class="govuk-heading-l" data-testid="case-title">
        {c.crimeReference}{' '}
        <strong class={stageTagClass(c.stage)} data-testid="case-stage" data-stage={c.stage}>
          {label(STAGE_LABELS, c.stage)}
        </strong>
      </h1>
      {notice && <Notice tone="success">{notice}</Notice>}
      {c.tipOffWarning && (
        <div class="govuk-warning-text">
          <span class="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong class="govuk-warning-text__text">
            <span class="govuk-visually-hidden">Warning</span>
            Tip-off risk: a platform in this case may tell the account holder unless barred. Requests ask for
            non-disclosure.
          </strong>
        </div>
      )}

      <div class="govuk-grid-row">
        <div class="govuk-grid-column-one-half">
          <h2 class="govuk-heading-m">Workflow</h2>
          <WorkflowDiagram kase={c} />
        </div>
        <div class="govuk-grid-column-one-half">
          <h2 class="govuk-heading-m">Waiting on</h2>
          {c.openTasks.length ? (
            <ul class="govuk-list" data-testid="open-tasks">
              {c.openTasks.map((t) => (
                <li key={`${t.task}${t.dueAt}`}>
                  <strong>{label(TASK_LABELS, t.task)}</strong>: due {when(t.dueAt)} ({relative(t.dueAt)}){' '}
                  {t.overdue && <strong class="govuk-tag govuk-tag--red">Overdue</strong>}
                </li>
              ))}
            </ul>
          ) : (
            <p class="govuk-body">Nothing is waiting on anyone.</p>
          )}
          <dl class="govuk-summary-list govuk-summary-list--no-border">
            <Row k="Offence" v={label(OFFENCE_LABELS, c.offence)} />
            <Row k="Opened" v={when(c.createdAt)} />
            <Row
              k="Victim"
              v={`${c.victim.name ?? 'Contact details withheld'}${c.victim.enhancedRights ? ' (enhanced rights)' : ''}`}
            />
            <Row k="Disclosure by" v={label(CHANNEL_LABELS, c.victim.contact.preferredChannel)} />
            <Row
              k="Contact"
              v={`text message: ${label(CONTACT_STATE_LABELS, c.contactChannels.sms)}; letter: ${label(CONTACT_STATE_LABELS, c.contactChannels.letter)}`}
            />
            <Row
              k="Risk"
              v={`FOUR: ${
                Object.entries(c.risk.four)
                  .filter(([, on]) => on)
                  .map(([k]) => k)
                  .join(', ') || 'none'
              }; S-DASH ${c.risk.sdashYes}/11`}
            />
            <Row k="Accounts" v={c.accounts.map((a) => `${a.platform} ${a.handle}`).join('; ')} />
            {c.authorisation && (
              <Row
                k="Authorisation"
                v={`${c.authorisation.route.toUpperCase()} ${c.authorisation.reference}, ${c.authorisation.dataType} data, expires ${when(c.authorisation.expiresAt)}`}
              />
            )}
            {c.identification && (
              <Row k="Suspect" v={`${c.identification.suspect.name} (${c.identification.status})`} />
            )}
            {c.disclosureProposal && (
              <Row
                k="Proposal"
                v={`${c.disclosureProposal.action}${c.disclosureProposal.ground ? ` – ${c.disclosureProposal.ground.replace(/_/g, ' ')}` : ''} (${c.disclosureProposal.status})`}
              />
            )}
            {c.delays.map((d) => (
              <Row
                key={d.approvedAt}
                k="Delay"
                v={`${label(DELAY_GROUND_LABELS, d.ground)}, approved ${when(d.approvedAt)}, ${
                  d.endedEarly
                    ? `ended early ${when(d.endedEarly.at)} by ${d.endedEarly.by.name}`
                    : `review ${when(d.reviewAt)}`
                }`}
              />
            ))}
            {c.disclosure && (
              <Row
                k="Disclosure"
                v={
                  c.disclosure.delivered
                    ? `delivered${c.disclosure.handedOverAt ? ` in person ${when(c.disclosure.handedOverAt)}` : ''}`
                    : c.disclosure.receiptFailure && !c.disclosure.handedOverAt
                      ? `not delivered: the ${c.disclosure.receiptFailure.channel === 'sms' ? 'SMS' : 'letter'} failed (${c.disclosure.receiptFailure.status.replace(/-/g, ' ')}) ${when(c.disclosure.receiptFailure.at)}; hand it over in person`
                      : 'not yet confirmed as delivered'
                }
              />
            )}
            {c.closureProposal && c.closureProposal.status !== 'approved' && (
              <Row
                k="Closure proposed"
                v={`${label(CLOSURE_REASON_LABELS, c.closureProposal.reason)}, ${when(c.closureProposal.proposedAt)} (${c.closureProposal.status})`}
              />
            )}
            {c.closure && (
              <Row
                k="Closed"
                v={`${label(CLOSURE_REASON_LABELS, c.closure.reason)}${c.closure.rationale ? `: ${c.closure.rationale}` : ''} (decided by ${c.closure.decidedBy.name}, ${when(c.closure.decidedAt)})`}
              />
            )}
            {c.closure?.victimTold && <Row k="Victim told it was not traced" v={closureTold(c.closure)} />}
            {c.arrests.length > 0 && (
              <Row
                k="Arrest track"
                v={c.arrests.map((a) => `${a.outcome.replace(/_/g, ' ')} ${when(a.at)}`).join('; ')}
              />
            )}
          </dl>
        </div>
      </div>

      {investigator && !FINAL_STAGES.includes(c.stage) && (
        <div data-testid="actions">
          {(offers('proposeIdentification') || c.stage === 'IDENTIFICATION') && <ProposeSuspect kase={c} done={done} />}
          {CLOSURE_PROPOSAL_STAGES.includes(c.stage) && <ProposeClosure kase={c} done={done} />}
          {((POST_DECISION_STAGES.includes(c.stage) && needsVerification) || offers('verifyContact')) && (
            <VerifyContact kase={c} done={done} />
          )}
          {(offers('proposeDisclosure') || c.stage === 'DISCLOSURE_DECISION' || c.stage === 'DELAYED') && (
            <ProposeDisclosure kase={c} done={done} />
          )}
          {offers('recordArrest') && <RecordArrest kase={c} done={done} />}
          {offers('recordVictimUpdate') && <RecordVictimUpdate kase={c} done={done} />}
          {offers('recordProtectionOrder') && <ConsiderProtectionOrder kase={c} done={done} />}
          {offers('recordSpoNotification') && <RecordSpoNotification kase={c} done={done} />}
          {offers('confirmPrisonContact') && <ConfirmPrisonContact kase={c} done={done} />}
          {offers('recordHandover') && <RecordHandover kase={c} done={done} closing={task('CLOSURE_IN_PERSON')} />}
          {!c.disclosure?.sentAt && !c.disclosure?.handedOverAt && <RecordVictimChoice kase={c} done={done} />}
          <ChangeContact kase={c} done={done} />
          {offers('closeCase') && <CloseCase kase={c} done={done} />}
          <MakeReferral kase={c} done={done} />
        </div>
      )}
      {/* Closed, and Notify's receipt said the not-traced message failed: the owner tells the victim in person. */}
      {investigator && FINAL_STAGES.includes(c.stage) && offers('recordHandover') && (
        <div data-testid="actions">
          <RecordHandover kase={c} done={done} closing={task('CLOSURE_IN_PERSON')} />
        </div>
      )}
      {letterReady && <LetterDownload kase={c} />}
      <TransferOwner kase={c} session={session} done={done} />

      {c.possibleReportableErrors?.length ? (
        <div class="govuk-warning-text" data-testid="reportable-errors">
          <span class="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong class="govuk-warning-text__text">
            <span class="govuk-visually-hidden">Warning</span>
            Possible reportable error: {c.possibleReportableErrors.length} return
            {c.possibleReportableErrors.length === 1 ? ' was' : 's were'} received after the communications data
            authorisation expired ({c.possibleReportableErrors.map((e) => e.target).join(', ')}). Consider reporting it
            to the Investigatory Powers Commissioner.
          </strong>
        </div>
      ) : null}
      <h2 class="govuk-heading-m">Requests</h2>
      {c.requests.length ? (
        <table class="govuk-table govuk-body-s" data-testid="requests">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th class="govuk-table__header">Kind</th>
              <th class="govuk-table__header">To</th>
              <th class="govuk-table__header">For</th>
              <th class="govuk-table__header">Status</th>
              <th class="govuk-table__header">Due</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {c.requests.map((r) => (
              <tr class="govuk-table__row" key={r.requestId}>
                <td class="govuk-table__cell">{label(REQUEST_KIND_LABELS, r.kind)}</td>
                <td class="govuk-table__cell">{r.target}</td>
                <td class="govuk-table__cell">
                  <RequestFor r={r} caseId={c.caseId} />
                </td>
                <td class="govuk-table__cell">
                  <RequestStatus r={r} />
                </td>
                <td class="govuk-table__cell">{when(r.dueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="govuk-body">No requests yet: they are made once the data request is approved.</p>
      )}

      <h2 class="govuk-heading-m">Approvals</h2>
      {c.approvals.length ? (
        <table class="govuk-table govuk-body-s" data-testid="approvals">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th class="govuk-table__header">Gate</th>
              <th class="govuk-table__header">Rank needed</th>
              <th class="govuk-table__header">Status</th>
              <th class="govuk-table__header">Due</th>
              <th class="govuk-table__header">Decision</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {c.approvals.map((a) => {
              const d = c.decisions.find((x) => x.approvalId === a.approvalId);
              return (
                <tr class="govuk-table__row" key={a.approvalId}>
                  <td class="govuk-table__cell">{label(GATE_LABELS, a.gate)}</td>
                  <td class="govuk-table__cell">{label(RANK_LABELS, a.requiredRank)}</td>
                  <td class="govuk-table__cell">
                    {a.status}{' '}
                    {a.overdue && a.status === 'pending' && <strong class="govuk-tag govuk-tag--red">Overdue</strong>}
                  </td>
                  <td class="govuk-table__cell">{when(a.dueAt)}</td>
                  <td class="govuk-table__cell">
                    {d ? (
                      `${d.decision}: ${d.rationale ?? ''}`
                    ) : a.status === 'pending' && hasRole(session, 'supervisor') ? (
                      <a class="govuk-link" href={`/case/${c.caseId}/decide/${a.approvalId}`}>
                        Open
                      </a>
                    ) : (
                      ''
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p class="govuk-body">No approvals yet.</p>
      )}

      <Timeline kase={c} />
      {(hasRole(session, 'auditor') || hasRole(session, 'supervisor')) && (
        <p class="govuk-body">
          <a class="govuk-link" href={`/case/${c.caseId}/audit`}>
            Audit trail and its verification
          </a>
        </p>
      )}
    </>
  );
}

function Row({ k, v }: { k: string; v: string }) {
  return (
    <div class="govuk-summary-list__row">
      <dt class="govuk-summary-list__key">{k}</dt>
      <dd class="govuk-summary-list__value">{v}</dd>
    </div>
  );
}

function Timeline({ kase }: { kase: CaseView }) {
  const [views, setViews] = useState(false);
  const [older, setOlder] = useState<{ entries: TimelineEntry[]; cursor: string | null }>();
  const cursor = older ? older.cursor : kase.timelineCursor;
  const more = async () => {
    const page = await get<Page<TimelineEntry>>(pagePath(`/cases/${kase.caseId}/timeline`, cursor));
    setOlder({ entries: [...(older?.entries ?? []), ...page.items], cursor: page.nextCursor });
  };
  const shown = [...kase.timeline, ...(older?.entries ?? []).filter((e) => e.seq < (kase.timeline.at(-1)?.seq ?? 0))];
  // Views are the consultation log's, not the trail's (a store from before the log may still hold some in the trail).
  const entries = shown.filter((e) => views || e.action !== 'case.viewed');
  return (
    <section aria-labelledby="timeline-title" data-testid="timeline">
      <h2 class="govuk-heading-m" id="timeline-title">
        Timeline
      </h2>
      <Toggle id="show-views" checked={views} onChange={setViews} spaced>
        Show who viewed the case
      </Toggle>
      {views && <Views caseId={kase.caseId} />}
      <ol class="govuk-list govuk-body-s">
        {entries.map((e) => (
          <li key={e.seq} class="govuk-!-margin-bottom-2" data-action={e.action}>
            <span class="rtk-nowrap">{when(e.at)}</span> · {e.text}
          </li>
        ))}
      </ol>
      <ShowMore hasMore={!!cursor} more={more} what="of the timeline" />
    </section>
  );
}

/** Who viewed the case, newest first (GET /cases/{caseId}/views: one record per person an hour), when asked for. */
function Views({ caseId }: { caseId: string }) {
  const views = usePages<ViewEntry>(`/cases/${caseId}/views`);
  return (
    <>
      <ol class="govuk-list govuk-body-s" data-testid="views">
        {(views.items ?? []).map((v) => (
          <li key={`${v.at}|${v.actor}`} class="govuk-!-margin-bottom-2" data-action="case.viewed">
            <span class="rtk-nowrap">{when(v.at)}</span> · {v.actor} viewed the case.
          </li>
        ))}
      </ol>
      <ShowMore hasMore={views.hasMore} more={views.more} what="of who viewed the case" />
    </>
  );
}

/** How the victim of a case closed without a suspect was told, or why not yet. */
function closureTold(closure: NonNullable<CaseView['closure']>): string {
  const told = closure.victimTold!;
  const failed = closure.receiptFailure;
  if (told.how === 'in_person') return `in person ${when(told.at!)}`;
  if (failed)
    return `not told: the ${failed.channel === 'sms' ? 'SMS' : 'letter'} failed (${failed.status.replace(/-/g, ' ')}) ${when(failed.at)}; tell them in person`;
  if (told.how === 'not_told') return 'not told: they declined to be told';
  return `by ${told.how === 'sms' ? 'SMS' : 'letter'} ${when(told.at!)}`;
}
