import type { Authorisation, CaseInput, DecisionInput, IdentificationInput } from '../schemas/api.js';
import { enforce, mayDecideGate, SEPARATED_GATES, type Verdict } from './access.js';
import { trackTasks } from './arrestTrack.js';
import { mayRecordAuthorisation } from './authorisation.js';
import { closureNoticeFailedTask, deliveryFailedTask } from './delivery.js';
import { addSeconds, isOverdue } from './clock.js';
import type { FaultRecord } from './faults.js';
import { checkCrimeReference, forceProfile } from './forces.js';
import { GATE_RULES, gateTask, type Gate } from './gates.js';
import { judgePoints } from './correlation.js';
import { PLATFORM_PROFILES } from './platforms.js';
import { policy } from './policy.js';
import { rankAbove, type Rank } from './ranks.js';
import type { ApprovalRecord, CaseRecord, IpEvent, RequestRecord, TaskRecord } from './records.js';
import { ipEventKey, ispRequestKey, selectIspEvents } from './ispSelection.js';
import { isFinal, type OpenTask, type Stage } from './stages.js';
import { TASKS } from './tasks.js';
import { closureUnderWay } from './closureProposal.js';
import type { User } from './users.js';
import {
  AlreadyDecided,
  ApprovalExpired,
  ApprovalWithdrawn,
  FlowInvariantBroken,
  invalid,
  OutOfOrder,
  WrongStage,
} from './errors.js';

export const person = (u: User) => ({ sub: u.sub, name: u.name });

export function newCase(input: CaseInput, user: User, caseId: string, now: string, accountIds: string[]): CaseRecord {
  checkCrimeReference(input.crimeReference, forceProfile(user.force));
  return {
    caseId,
    force: user.force,
    crimeReference: input.crimeReference,
    offence: input.offence,
    summary: input.summary,
    victim: input.victim,
    risk: input.risk,
    accounts: input.accounts.map((a, i) => ({ ...a, accountId: accountIds[i]! })),
    stage: 'DATA_REQUEST_APPROVAL',
    createdBy: person(user),
    owner: user.sub,
    createdAt: now,
    updatedAt: now,
    version: 1,
    delays: [],
    arrests: [],
    contactVerified: {},
    notifications: [],
  };
}

export { addSeconds, isOverdue };

/**
 * What is waiting on people: open workflow tasks (not the workflow's own
 * waits), pending approvals named by the stage they hold, and any tasks
 * derived from the case record (the arrest track's).
 */
export function openTasks(
  tasks: readonly TaskRecord[],
  approvals: readonly ApprovalRecord[],
  now: string,
  derived: readonly OpenTask[] = [],
): OpenTask[] {
  const fromTasks = tasks
    .filter((t) => t.status === 'open' && TASKS[t.task]?.role !== 'workflow')
    .map((t) => ({ task: t.task, dueAt: t.dueAt, overdue: t.overdue || isOverdue(t.dueAt, now) }));
  const fromApprovals = approvals
    .filter((a) => a.status === 'pending')
    .map((a) => ({ task: gateTask(a.gate), dueAt: a.dueAt, overdue: a.overdue || isOverdue(a.dueAt, now) }));
  return [...fromTasks, ...fromApprovals, ...derived].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/** A failure receipt reopened delivery (domain/delivery.ts), unless the workflow already waits on it. */
const reopenedDelivery = (b: { kase: CaseRecord; tasks: readonly TaskRecord[] }, now: string): OpenTask[] =>
  [deliveryFailedTask(b.kase, now), closureNoticeFailedTask(b.kase, now)].filter(
    (failed): failed is OpenTask => !!failed && !b.tasks.some((t) => t.task === failed.task && t.status === 'open'),
  );

/** Every open task of a case: what the case shows, and what must be done before it may close (a step parked on a fault among them). */
export const caseOpenTasks = (
  b: {
    kase: CaseRecord;
    tasks: readonly TaskRecord[];
    approvals: readonly ApprovalRecord[];
    faults?: readonly FaultRecord[];
  },
  now: string,
) =>
  openTasks(b.tasks, b.approvals, now, [
    ...trackTasks(b.kase, now),
    ...reopenedDelivery(b, now),
    ...(b.faults ?? [])
      .filter((f) => f.status === 'open')
      .map((f) => ({ task: 'WORKFLOW_FAULT', dueAt: f.dueAt, overdue: f.overdue || isOverdue(f.dueAt, now) })),
  ]);

export const nextDeadline = (open: readonly OpenTask[]) => open[0]?.dueAt ?? null;

/** Who owns a case (a `sub`): the opener until ownership is handed on (domain/ownership.ts transferOwner). */
export const caseOwner = (kase: Pick<CaseRecord, 'owner' | 'createdBy'>) => kase.owner ?? kase.createdBy.sub;

/** Open or closed, as the case lists filter: a case at a final stage is closed. */
export const caseStatus = (stage: Stage): 'open' | 'closed' => (isFinal(stage) ? 'closed' : 'open');

/**
 * What a list shows of a case without reading its other records: kept on the
 * case by every write that changes what it is made of (adapters/case.ts).
 */
export interface CaseSummary {
  openTasks: OpenTask[];
  nextDeadline: string | null;
  owner: string;
}

export function caseSummary(b: Parameters<typeof caseOpenTasks>[0], now: string): CaseSummary {
  const open = caseOpenTasks(b, now);
  return { openTasks: open, nextDeadline: nextDeadline(open), owner: caseOwner(b.kase) };
}

/** A list's row for a case, from its summary; overdue is worked out again at the time of reading. */
export function caseRow(
  k: Pick<CaseRecord, 'caseId' | 'crimeReference' | 'stage' | 'createdBy' | 'owner' | 'openTasks'>,
  now: string,
) {
  const openTasks = (k.openTasks ?? []).map((t) => ({ ...t, overdue: t.overdue || isOverdue(t.dueAt, now) }));
  return {
    caseId: k.caseId,
    crimeReference: k.crimeReference,
    stage: k.stage,
    openTasks,
    nextDeadline: nextDeadline(openTasks),
    createdBy: k.createdBy.sub,
    owner: caseOwner(k),
  };
}

/** Who decided the gate that must be decided by someone else (identification and disclosure: the two-person rule). */
export function otherDeciders(gate: Gate, approvals: readonly ApprovalRecord[]): string[] {
  const other = SEPARATED_GATES[gate];
  return approvals
    .filter((a) => other !== undefined && a.gate === other && a.status === 'approved' && a.decidedBy)
    .map((a) => a.decidedBy!.sub);
}

/** Whether this supervisor may decide a pending approval, from what the approval itself carries (the queue's rule). */
export const mayDecideQueued = (
  user: User,
  a: Pick<ApprovalRecord, 'gate' | 'requiredRank' | 'force' | 'caseCreatedBy' | 'proposedBy' | 'otherDeciders'>,
): Verdict =>
  mayDecideGate(user, {
    gate: a.gate,
    requiredRank: a.requiredRank,
    caseForce: a.force,
    caseCreatedBy: a.caseCreatedBy ?? '',
    proposedBy: a.proposedBy?.sub,
    otherDeciders: a.otherDeciders ?? [],
  });

/**
 * The approval a gate needs next. A pending one is kept (a fresh execution, or
 * a superintendent's approval past due, keeps its id); otherwise a new one at
 * the gate's own rank, or one above the approval it replaces.
 */
export function nextApproval(
  gate: Gate,
  existing: readonly ApprovalRecord[],
  subjectId: string,
): { reuse: ApprovalRecord } | { create: { requiredRank: Rank; escalatedFrom?: string } } {
  const mine = existing.filter((a) => a.gate === gate && a.subjectId === subjectId);
  const pending = mine.find((a) => a.status === 'pending');
  if (pending) return { reuse: pending };
  const escalated = mine
    .filter((a) => a.status === 'escalated')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .at(-1);
  if (escalated) {
    return {
      create: {
        requiredRank: rankAbove(escalated.requiredRank) ?? escalated.requiredRank,
        escalatedFrom: escalated.approvalId,
      },
    };
  }
  return { create: { requiredRank: GATE_RULES[gate].minimumRank } };
}

/** A missed deadline: escalate one rank up, or at the top stay and show overdue. */
export function escalation(approval: ApprovalRecord): 'escalate' | 'stay_overdue' {
  return rankAbove(approval.requiredRank) ? 'escalate' : 'stay_overdue';
}

/** Why a decision may not be made now, checked in the order a user would want to hear it. */
export function checkDecision(
  user: User,
  approval: ApprovalRecord,
  kase: CaseRecord,
  otherApprovals: readonly ApprovalRecord[],
  input: DecisionInput,
  now: string,
): void {
  const verdict: Verdict = mayDecideGate(user, {
    gate: approval.gate,
    requiredRank: approval.requiredRank,
    caseForce: kase.force,
    caseCreatedBy: kase.createdBy.sub,
    proposedBy: approval.proposedBy?.sub,
    otherDeciders: otherDeciders(approval.gate, otherApprovals),
  });
  enforce(verdict);
  if (approval.status === 'escalated') throw new ApprovalExpired();
  if (approval.gate === 'identification' && closureUnderWay(kase))
    throw new OutOfOrder('a closure of the case is proposed: its gate decides first, and identification waits on it');
  if (approval.status === 'withdrawn')
    throw new ApprovalWithdrawn(
      approval.withdrawnBecause === 'closure_proposed'
        ? 'this approval was withdrawn: a closure of the case was proposed, and its gate decides first'
        : 'this approval was withdrawn: the victim declined to be told',
    );
  if (approval.status !== 'pending') throw new AlreadyDecided(`this approval was already decided (${approval.status})`);
  if (approval.gate === 'data_request' && input.decision === 'approve') {
    if (!input.authorisation)
      throw invalid('approving a data request records the communications data authorisation', [
        { path: 'authorisation', message: 'required when approving a data request' },
      ]);
    enforce(mayRecordAuthorisation(user, input.authorisation));
    checkAuthorisation(input.authorisation, now);
  } else if (input.authorisation) {
    throw invalid('an authorisation is recorded only when approving a data request', [
      { path: 'authorisation', message: 'only for approving the data_request gate' },
    ]);
  }
}

/** Requests go out only under an authorisation in force (Investigatory Powers Act 2016 Part 3). */
export function authorisationCurrent(kase: CaseRecord, now: string): boolean {
  return !!kase.authorisation && Date.parse(kase.authorisation.expiresAt) > Date.parse(now);
}

/** Investigatory Powers Act 2016: urgent authorisations last 3 days, normal ones a month. */
export function authorisationCeiling(route: Authorisation['route'], now: string): string {
  if (route === 'urgent_dso') return addSeconds(now, policy.urgentAuthorisationDays * policy.daySeconds);
  // A month on, held to the end of a shorter month: 31 January runs to 28 (or 29) February, never into March.
  const d = new Date(now);
  const targetMonth = d.getUTCMonth() + policy.normalAuthorisationMonths;
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), targetMonth + 1, 0)).getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(targetMonth);
  d.setUTCDate(Math.min(new Date(now).getUTCDate(), lastDay));
  return d.toISOString();
}

export function checkAuthorisation(a: Authorisation, now: string): void {
  const expires = Date.parse(a.expiresAt);
  if (expires <= Date.parse(now))
    throw invalid('the authorisation has already expired', [
      { path: 'authorisation.expiresAt', message: 'must be in the future' },
    ]);
  const ceiling = authorisationCeiling(a.route, now);
  if (expires > Date.parse(ceiling))
    throw invalid('the authorisation outlasts what the Act allows', [
      {
        path: 'authorisation.expiresAt',
        message:
          a.route === 'urgent_dso'
            ? 'an urgent authorisation lasts at most 3 days'
            : 'an authorisation lasts at most 1 month',
      },
    ]);
}

export function requireStage(kase: CaseRecord, ...stages: Stage[]): void {
  if (!stages.includes(kase.stage)) throw new WrongStage(`the case is at ${kase.stage}, not ${stages.join(' or ')}`);
}

/**
 * docs/process.md step 5 and docs/api.md: a suspect is never proposed on
 * fewer than two independent points that stand. A point stands when its
 * return supports the person named (correlation.ts, judgePoints); points are
 * independent when they come from different returned requests. Any point that
 * does not stand is refused by its path. Returns the accounts the points tie
 * to the suspect: the only ones a letter may attribute to them.
 */
export function checkIdentification(input: IdentificationInput, requests: readonly RequestRecord[]): string[] {
  const verdicts = judgePoints(input.suspect, input.points, requests);
  const errors = verdicts.flatMap((v, i) => (v.stands ? [] : [{ path: `points.${i}`, message: v.reason }]));
  if (errors.length)
    throw invalid(
      'every point must support the person named: their name or an alias in its return, or an identifier another cited return ties to them',
      errors,
    );
  const sources = new Set(input.points.map((p) => p.requestId));
  if (sources.size < policy.minCorroboratingPoints)
    throw invalid(
      `a suspect needs at least ${policy.minCorroboratingPoints} independent corroborating points (from different returns)`,
      [{ path: 'points', message: `only ${sources.size} independent source${sources.size === 1 ? '' : 's'}` }],
    );
  return [...new Set(verdicts.flatMap((v) => v.accountIds))].sort();
}

/** Requests to make once a data request is approved: preservation then disclosure, per account. */
export function platformRequests(kase: CaseRecord, now: string, ids: () => string): RequestRecord[] {
  return kase.accounts.flatMap((a) => {
    const profile = PLATFORM_PROFILES[a.platform];
    const base = {
      caseId: kase.caseId,
      force: kase.force,
      crimeReference: kase.crimeReference,
      target: a.platform,
      accountId: a.accountId,
      accountHandle: a.handle,
      createdAt: now,
      tipOffRisk: profile.notifiesUser,
    };
    return [
      {
        ...base,
        requestId: ids(),
        kind: 'platform_preservation' as const,
        status: 'sent' as const,
        dueAt: addSeconds(now, policy.preservationRenewalWarningDays * policy.daySeconds),
      },
      {
        ...base,
        requestId: ids(),
        kind: 'platform_disclosure' as const,
        status: 'awaiting_return' as const,
        dueAt: addSeconds(now, policy.returnChaseSeconds),
      },
    ];
  });
}

/**
 * Seconds until a preservation's renewal warning is due: `warningSeconds` (policy.preservationRenewalWarningDays,
 * as the workflow counts time) after the request was made, none once it has been warned.
 */
export function renewalWarningIn(preservation: RequestRecord, warningSeconds: number, now: string): number {
  if (preservation.flags?.includes('renewal_due')) return 0;
  const elapsed = (Date.parse(now) - Date.parse(preservation.createdAt)) / 1000;
  return Math.max(0, Math.ceil(warningSeconds - elapsed));
}

/** RFC 6598 shared address space (100.64.0.0/10): many subscribers behind one address, told apart only by source port. */
export function isCarrierGradeNat(ip: string): boolean {
  const m = ip.match(/^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/);
  return !!m && Number(m[1]) === 100 && Number(m[2]) >= 64 && Number(m[2]) <= 127;
}

/**
 * ISP look-ups from the IP events in platform returns: one per distinct
 * address, time and port, and for each account at most
 * policy.ispRequestsPerAccount (newest distinct address and port first). A
 * local time that happened twice asks the ISP for both instants. Given a
 * `sourceRequestId`, only that return's events: its look-ups are made as soon
 * as it is in, whatever the other platforms' returns.
 */
export function ispRequests(
  requests: readonly RequestRecord[],
  kase: CaseRecord,
  now: string,
  ids: () => string,
  sourceRequestId?: string,
): RequestRecord[] {
  const seen = new Set(requests.filter((r) => r.kind === 'isp_resolution').map(ispRequestKey));
  const out: RequestRecord[] = [];
  for (const r of requests) {
    if (r.kind !== 'platform_disclosure' || r.status !== 'returned' || !r.returned) continue;
    if (sourceRequestId !== undefined && r.requestId !== sourceRequestId) continue;
    const events = r.returned.ipEvents;
    for (const i of selectIspEvents(events, policy.ispRequestsPerAccount)) {
      const e = events[i]!;
      const key = ipEventKey(e);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(ispRequest(kase, r, e, now, ids()));
    }
  }
  return out;
}

/**
 * Identification opens (docs/api.md): at once on a proposal (two points stand while requests still run), or once
 * every request has settled and no return wants a look-up not yet made: the investigator then has all there is.
 */
export function identificationReady(b: {
  kase: CaseRecord;
  approvals: readonly ApprovalRecord[];
  requests: readonly RequestRecord[];
}): Record<string, unknown> | undefined {
  const p = b.kase.identification;
  if (p?.status === 'proposed') return { proposalId: p.proposalId };
  const outstanding = b.requests.some(
    (r) => (r.kind === 'platform_disclosure' || r.kind === 'isp_resolution') && !requestSettled(r),
  );
  if (outstanding || ispRequests(b.requests, b.kase, b.kase.updatedAt, () => 'unmade').length) return undefined;
  return { settled: true };
}

const requestSettled = (r: RequestRecord) => r.status === 'returned' || r.status === 'abandoned';

/**
 * A renewal of the authorisation was refused on this case (the latest gate 1 decision): the case goes on with
 * what it holds, and no look-up is made under the expired authorisation.
 */
export function renewalRefused(approvals: readonly ApprovalRecord[]): boolean {
  const last = approvals
    .filter((a) => a.gate === 'data_request' && (a.status === 'approved' || a.status === 'rejected'))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .at(-1);
  return !!last && isReauthorisation(last) && last.decision === 'reject';
}

/** An ISP request still waiting for its return: the workflow watches it (chased, then given up). */
export const ispRequestOutstanding = (r: RequestRecord): boolean =>
  r.kind === 'isp_resolution' && (r.status === 'sent' || r.status === 'awaiting_return');

/**
 * ISP look-ups the SPoC chose from a platform's whole IP log (by row, 0-based):
 * each row that names an event not yet asked about becomes one request; a row
 * past the log's end is a 400 naming it. Returns the new requests, and the rows
 * already asked about.
 */
export function chosenIspRequests(
  kase: CaseRecord,
  source: RequestRecord,
  log: readonly IpEvent[],
  rows: readonly number[],
  existing: readonly RequestRecord[],
  chooser: { sub: string; name: string },
  now: string,
  ids: () => string,
): { made: RequestRecord[]; alreadyAsked: number[] } {
  const errors = rows.flatMap((row, i) =>
    row < log.length
      ? []
      : [{ path: `events.${i}`, message: `the log has ${log.length} rows (0 to ${log.length - 1})` }],
  );
  if (errors.length) throw invalid("every row chosen must be a row of this return's IP log", errors);
  const seen = new Set(existing.filter((r) => r.kind === 'isp_resolution').map(ispRequestKey));
  const made: RequestRecord[] = [];
  const alreadyAsked: number[] = [];
  for (const row of rows) {
    const e = log[row]!;
    const key = ipEventKey(e);
    if (seen.has(key)) {
      alreadyAsked.push(row);
      continue;
    }
    seen.add(key);
    made.push({ ...ispRequest(kase, source, e, now, ids()), chosenBy: chooser });
  }
  return { made, alreadyAsked };
}

/** One ISP look-up for one IP event of a platform return. */
export function ispRequest(
  kase: CaseRecord,
  source: RequestRecord,
  e: IpEvent,
  now: string,
  requestId: string,
): RequestRecord {
  return {
    requestId,
    caseId: kase.caseId,
    force: kase.force,
    crimeReference: kase.crimeReference,
    kind: 'isp_resolution',
    target: 'isp',
    ip: e.ip,
    ...(e.port !== undefined ? { port: e.port } : {}),
    eventAt: e.at.utc,
    ...(e.at.candidates ? { atCandidates: e.at.candidates } : {}),
    sourceRequestId: source.requestId,
    ...(source.accountId ? { accountId: source.accountId } : {}),
    accountHandle: source.accountHandle,
    // Without the source port an ISP cannot say which of its subscribers used a shared address.
    ...(isCarrierGradeNat(e.ip) && e.port === undefined ? { flags: ['cgnat_without_port'] } : {}),
    status: 'awaiting_return',
    createdAt: now,
    dueAt: addSeconds(now, policy.returnChaseSeconds),
    tipOffRisk: false,
  };
}

/** A delay's review date: never more than the policy ceiling away. */
export function delayReviewSeconds(reviewInDays: number, daySeconds: number): number {
  if (!Number.isInteger(reviewInDays) || reviewInDays < 1 || reviewInDays > policy.maxDelayDays)
    throw invalid(`a review date is 1 to ${policy.maxDelayDays} days away`);
  return reviewInDays * daySeconds;
}

/** What a gate decision changes on the case; applying it twice changes nothing more. */
export function applyDecision(kase: CaseRecord, a: ApprovalRecord): CaseRecord {
  const approved = a.decision === 'approve';
  if (a.gate === 'data_request' && approved && a.authorisation && a.decidedBy)
    kase.authorisation = { ...a.authorisation, approvalId: a.approvalId, recordedBy: a.decidedBy };
  if (a.gate === 'identification' && kase.identification?.proposalId === a.subjectId)
    kase.identification.status = approved ? 'approved' : 'rejected';
  if ((a.gate === 'disclosure' || a.gate === 'delay') && kase.disclosureProposal?.proposalId === a.subjectId)
    kase.disclosureProposal.status = approved ? 'approved' : 'rejected';
  if (a.gate === 'closure' && kase.closureProposal?.proposalId === a.subjectId)
    kase.closureProposal.status = approved ? 'approved' : 'rejected';
  return kase;
}

/** The subject of a renewal of gate 1: the authorisation it renews, by its approval. */
export const isReauthorisation = (a: Pick<ApprovalRecord, 'gate' | 'subjectId'>) =>
  a.gate === 'data_request' && a.subjectId.startsWith('reauth-');

/**
 * What the workflow is told of a decision. A renewal refused on a case that already holds returned data does not
 * end the case: it goes on to identification with what it holds, and no new request is made (`goOn`). A first
 * refusal, or a renewal refused on a case that holds nothing, ends it as before.
 */
export function decisionForWorkflow(
  a: Pick<ApprovalRecord, 'gate' | 'subjectId' | 'decision' | 'approvalId'>,
  requests: readonly Pick<RequestRecord, 'status'>[],
): { decision: ApprovalRecord['decision']; approvalId: string; goOn?: true } {
  const goOn = a.decision === 'reject' && isReauthorisation(a) && requests.some((r) => r.status === 'returned');
  return { decision: a.decision, approvalId: a.approvalId, ...(goOn ? { goOn: true as const } : {}) };
}

/**
 * A decision sent again by the person who made it (their first answer lost on
 * the way back): whether the case still lacks what the first request was to
 * write. Never on a closed or rejected case, never once a later decision of
 * the same gate stands, and never when the proposal decided has been
 * replaced or settled: a replay only finishes its own first request, it
 * never re-runs the decision on the case as it is now.
 */
export function replayLeftUndone(kase: CaseRecord, approvals: readonly ApprovalRecord[], a: ApprovalRecord): boolean {
  if (kase.stage === 'CLOSED' || kase.stage === 'REJECTED' || !a.decidedAt) return false;
  const decidedAt = a.decidedAt;
  const later = approvals.some(
    (o) => o.gate === a.gate && o.approvalId !== a.approvalId && !!o.decidedAt && o.decidedAt > decidedAt,
  );
  if (later) return false;
  const approved = a.decision === 'approve';
  switch (a.gate) {
    case 'data_request':
      // A rejection writes nothing to the case; an approval its authorisation, unless it is there already.
      return approved && !!a.authorisation && kase.authorisation?.approvalId !== a.approvalId;
    case 'identification':
      return kase.identification?.proposalId === a.subjectId && kase.identification.status === 'proposed';
    case 'disclosure':
    case 'delay':
      return kase.disclosureProposal?.proposalId === a.subjectId && kase.disclosureProposal.status === 'proposed';
    case 'closure':
      return kase.closureProposal?.proposalId === a.subjectId && kase.closureProposal.status === 'proposed';
    default:
      return false;
  }
}

/** The proposal a gate decides, or the case itself for the data request. */
export function approvalSubject(
  kase: CaseRecord,
  gate: Gate,
  now: string,
): { subjectId: string; proposedBy?: { sub: string; name: string } } {
  // An authorisation that has run out is asked for again: a new approval, not the one that granted it.
  if (gate === 'data_request')
    return {
      subjectId:
        kase.authorisation && !authorisationCurrent(kase, now)
          ? `reauth-${kase.authorisation.approvalId}`
          : kase.caseId,
    };
  if (gate === 'closure') {
    if (!kase.closureProposal) throw new FlowInvariantBroken('closure gate reached without a proposal');
    return { subjectId: kase.closureProposal.proposalId, proposedBy: kase.closureProposal.proposedBy };
  }
  if (gate === 'identification') {
    if (!kase.identification) throw new FlowInvariantBroken('identification gate reached without a proposal');
    return { subjectId: kase.identification.proposalId, proposedBy: kase.identification.proposedBy };
  }
  if (!kase.disclosureProposal) throw new FlowInvariantBroken(`${gate} gate reached without a proposal`);
  return { subjectId: kase.disclosureProposal.proposalId, proposedBy: kase.disclosureProposal.proposedBy };
}
