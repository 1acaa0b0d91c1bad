import type { ClosureProposalInput } from '../schemas/api.js';
import { type Channel, deliveryPlan } from './contact.js';
import { AlreadyDecided, FlowInvariantBroken, WrongStage } from './errors.js';
import type { ApprovalRecord, CaseRecord, ClosureRecord, Person, RequestRecord } from './records.js';
import type { Stage } from './stages.js';
import { TASK_NAMES, TASKS, type TaskName } from './tasks.js';
import { victimDeclined } from './victimChoice.js';

/**
 * Closing without a suspect (docs/process.md, "Closing without a suspect"). Before identification is
 * approved the investigator may propose to close the case: nobody could be identified, the victim withdrew,
 * or another reason. A sergeant or above who is neither the proposer nor the case's creator decides it at
 * the `closure` gate (domain/access.ts mayDecideGate, as every gate). While it waits the identification
 * part of the case waits with it; approved, the requests still outstanding are abandoned, the victim is told
 * by a safe channel that the account could not be traced (unless they declined to be told), and the case
 * closes; rejected, the case goes on from where it was.
 */

/** Where a closure may be proposed: after gate 1 and before identification is approved. */
export const CLOSURE_PROPOSAL_STAGES: readonly Stage[] = [
  'PLATFORM_REQUESTS',
  'ISP_RESOLUTION',
  'IDENTIFICATION',
  'IDENTIFICATION_APPROVAL',
];

/** A closure proposal waiting at its gate, or approved and being carried out: identification waits on it. */
export const closureUnderWay = (kase: Pick<CaseRecord, 'closureProposal'>): boolean =>
  kase.closureProposal?.status === 'proposed' || kase.closureProposal?.status === 'approved';

/** The proposal recorded on the case: 409 at any other stage, while one is pending, or once one was approved. */
export function recordClosureProposal(
  kase: CaseRecord,
  input: ClosureProposalInput,
  by: Person,
  proposalId: string,
  now: string,
): CaseRecord {
  if (kase.closureProposal?.status === 'proposed')
    throw new AlreadyDecided('a closure is already proposed and waiting for a supervisor');
  if (kase.closureProposal?.status === 'approved')
    throw new AlreadyDecided('a closure of this case has already been approved');
  if (!CLOSURE_PROPOSAL_STAGES.includes(kase.stage))
    throw new WrongStage(
      `the case is at ${kase.stage}: a closure without a suspect is proposed only before identification is approved (${CLOSURE_PROPOSAL_STAGES.join(', ')})`,
    );
  return {
    ...kase,
    closureProposal: {
      proposalId,
      reason: input.reason,
      rationale: input.rationale,
      proposedBy: by,
      proposedAt: now,
      stage: kase.stage,
      status: 'proposed',
    },
  };
}

/**
 * What the identification part's waits answer while a closure is under way: each gives way to the closure
 * gate (the workflow's identification branch goes there, and comes back to where it was if it is rejected).
 */
export function closureAnswers(kase: CaseRecord, task: TaskName): Record<string, unknown> | undefined {
  if (!closureUnderWay(kase)) return undefined;
  return WAITS_A_CLOSURE_ENDS.includes(task) ? { closureProposed: true } : undefined;
}

/**
 * The waits of identification a closure proposal ends (domain/tasks.ts endedBy; the gate's pending approval
 * is withdrawn beside them).
 */
export const WAITS_A_CLOSURE_ENDS: readonly TaskName[] = /* @__PURE__ */ TASK_NAMES.filter(
  (t) => TASKS[t].endedBy === 'closure',
);

/** A pending approval a closure proposal withdraws: the identification gate's, which the closure gate replaces. */
export const withdrawnByClosure = (a: Pick<ApprovalRecord, 'gate' | 'status'>): boolean =>
  a.gate === 'identification' && a.status === 'pending';

/**
 * The requests a closure without a suspect ends: those still waiting for a return (a preservation asks for nothing
 * back), and those given up already (by a run of the closing step that stopped after giving them up, or by their
 * chase), whose return's task and trail entry are then made again, each once. A return that came in first is not
 * among them.
 */
export const requestsClosureEnds = (requests: readonly RequestRecord[]): RequestRecord[] =>
  requests.filter(
    (r) =>
      (r.kind === 'platform_disclosure' || r.kind === 'isp_resolution') &&
      (r.status === 'sent' || r.status === 'awaiting_return' || r.status === 'abandoned'),
  );

/** The case's closure, from the approved proposal and its decision. */
export function closureFromProposal(kase: CaseRecord, approval: ApprovalRecord): ClosureRecord {
  const p = kase.closureProposal;
  if (p?.status !== 'approved' || approval.subjectId !== p.proposalId || !approval.decidedBy)
    throw new FlowInvariantBroken('a closure is carried out only on its approved proposal');
  return {
    reason: p.reason,
    rationale: p.rationale,
    proposalId: p.proposalId,
    decidedBy: approval.decidedBy,
    decidedAt: approval.decidedAt ?? p.proposedAt,
  };
}

/**
 * How the victim is told that the account could not be traced, judged as it is about to go: not at all if
 * they declined to be told; not yet while a channel the victim's choice calls for is unverified or its
 * verification stale (asked for again); by letter when post is the channel and the address is safe, else by
 * SMS to a phone verified safe (it names no one and no offence); with neither left, in person.
 */
export type NotTracedNotice =
  | { kind: 'declined' }
  | { kind: 'verify'; channels: Channel[] }
  | { kind: 'send'; channel: Channel }
  | { kind: 'in_person' };

export function notTracedNotice(
  kase: Pick<CaseRecord, 'victim' | 'contactVerified' | 'victimChoices'>,
  now: string,
): NotTracedNotice {
  if (victimDeclined(kase)) return { kind: 'declined' };
  const plan = deliveryPlan(kase, now);
  if (plan.verify.length) return { kind: 'verify', channels: plan.verify };
  const preferred = kase.victim.contact.preferredChannel;
  if (preferred === 'in_person') return { kind: 'in_person' };
  if (plan.byPost) return { kind: 'send', channel: 'letter' };
  if (plan.bySms) return { kind: 'send', channel: 'sms' };
  return { kind: 'in_person' };
}
