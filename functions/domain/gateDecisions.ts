import type { DecisionInput } from '../schemas/api.js';
import { enforce, mayDecideGate, SEPARATED_GATES, type Verdict } from './access.js';
import { authorisationCurrent, checkAuthorisation, mayRecordAuthorisation } from './authorisation.js';
import { closureUnderWay } from './closureProposal.js';
import {
  AlreadyDecided,
  ApprovalExpired,
  ApprovalWithdrawn,
  FlowInvariantBroken,
  invalid,
  OutOfOrder,
} from './errors.js';
import { GATE_RULES, type Gate } from './gates.js';
import { rankAbove, type Rank } from './ranks.js';
import type { ApprovalRecord, CaseRecord, RequestRecord } from './records.js';
import type { User } from './users.js';

/**
 * The gates' approvals and their decisions (docs/process.md, the gates; who may decide: domain/access.ts
 * mayDecideGate, at what rank: domain/gates.ts): the approval a gate needs next and what it decides on, its
 * escalation, why a decision may not be made, what it changes on the case and tells the workflow, and a
 * decision sent again.
 */

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
