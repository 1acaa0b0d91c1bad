import { trackNeedsAdvancing, trackWaitAnswer } from './arrestTrack.js';
import { identificationReady } from './identification.js';
import { ispRequestOutstanding } from './requests.js';
import { closureAnswers } from './closureProposal.js';
import { contactReady } from './contact.js';
import { delayEndedBy } from './disclosureProposal.js';
import type { ApprovalRecord, CaseRecord, RequestRecord, TaskRecord } from './records.js';
import { isFinal } from './stages.js';
import type { TaskName } from './tasks.js';
import { choiceAnswers } from './victimChoice.js';

/** What a task's answer is worked out from. */
export interface TaskBundle {
  kase: CaseRecord;
  approvals: readonly ApprovalRecord[];
  requests: readonly RequestRecord[];
}

/** The output the workflow continues with, or undefined while what the task waits for is not on record. */
type Answer = Record<string, unknown> | undefined;

/**
 * Whether what a task waits for is already on record: after a restart, or a
 * signal lost between the record and the workflow, the step is not asked for
 * again. Returns the output the workflow continues with. Every task of the
 * registry (domain/tasks.ts) has its case: one missing fails the type check;
 * a name that is no task (an old record's) is never satisfied.
 */
export function taskSatisfied(
  b: TaskBundle,
  task: string,
  requestId: string | undefined,
  /** A verification's age is judged at this time. */
  now: string,
): Answer {
  const { kase, approvals } = b;
  // The victim's choice comes first: a decline ends the branch's waits, a change of mind reopens it.
  const byChoice = choiceAnswers(kase, task as TaskName);
  if (byChoice) return byChoice;
  // A closure proposed before identification is approved: identification's waits give way to its gate.
  const byClosure = closureAnswers(kase, task as TaskName);
  if (byClosure) return byClosure;
  const decided = (subjectId: string) =>
    approvals.some((a) => a.subjectId === subjectId && (a.status === 'approved' || a.status === 'rejected'));
  const named = task as TaskName;
  switch (named) {
    case 'REQUEST_RETURN': {
      const r = b.requests.find((x) => x.requestId === requestId);
      return r && (r.status === 'returned' || r.status === 'abandoned') ? { requestId, status: r.status } : undefined;
    }
    case 'IDENTIFICATION_PROPOSAL': {
      const p = kase.identification;
      return p && p.status === 'proposed' && !decided(p.proposalId) ? { proposalId: p.proposalId } : undefined;
    }
    case 'DISCLOSURE_PROPOSAL': {
      const p = kase.disclosureProposal;
      return p && p.status === 'proposed' && !decided(p.proposalId)
        ? { proposalId: p.proposalId, action: p.action }
        : undefined;
    }
    case 'DELAY_REVIEW': {
      const ended = delayEndedBy(kase);
      return ended && !decided(ended.proposalId) ? ended : undefined;
    }
    case 'ARREST_TRACK':
      return trackNeedsAdvancing(kase) ? { changed: true } : undefined;
    case 'IDENTIFICATION_READY':
      return identificationReady(b);
    case 'ISP_REQUESTS_CHOSEN': {
      if (isFinal(kase.stage)) return { requestIds: [], caseEnded: true };
      const chosen = b.requests.filter((r) => r.chosenBy && ispRequestOutstanding(r)).map((r) => r.requestId);
      return chosen.length ? { requestIds: chosen } : undefined;
    }
    case 'CASE_CLOSURE':
      return kase.closure ? { closedBy: kase.closure.decidedBy.sub } : undefined;
    case 'CLOSURE_IN_PERSON':
      return kase.closure?.victimTold ? { told: kase.closure.victimTold.how } : undefined;
    case 'CONTACT_VERIFICATION':
      return contactReady(kase, now) ? { verified: true } : undefined;
    case 'HANDOVER':
    case 'IN_PERSON_DISCLOSURE':
    case 'DELIVERY_FAILED':
      return kase.disclosure?.handedOverAt ? { handedOverAt: kase.disclosure.handedOverAt } : undefined;
    case 'VICTIM_CHOICE':
      // Answered by the victim's choice only (choiceAnswers, above): a change of mind, or the arrest track ended.
      return undefined;
    default:
      // A task of the registry without its case here fails the type check; an old record's name is never satisfied.
      named satisfies never;
      return undefined;
  }
}

/**
 * What an open wait is answered with once a route whose record may end it has recorded something (domain/tasks.ts
 * TASK_ROUTES): what satisfies it, if anything; but the arrest track's wait looks again at anything recorded on
 * the track, told the time it had left (trackWaitAnswer), so that its next turn waits no longer.
 */
export function answerOnRecord(
  b: TaskBundle,
  task: Pick<TaskRecord, 'task' | 'requestId' | 'dueAt'>,
  now: string,
): Answer {
  if (task.task === 'ARREST_TRACK') return trackWaitAnswer(task.dueAt, now);
  return taskSatisfied(b, task.task, task.requestId, now);
}
