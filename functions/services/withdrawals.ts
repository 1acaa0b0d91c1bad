import { closureUnderWay, WAITS_A_CLOSURE_ENDS, withdrawnByClosure } from '../domain/closureProposal.js';
import type { ApprovalRecord } from '../domain/records.js';
import { victimDeclined, withdrawnByDecline } from '../domain/victimChoice.js';
import { withdrawApproval } from '../adapters/approval.js';
import { mustLoadCase } from '../adapters/case.js';
import { signal } from '../adapters/workflow.js';
import { audit } from './audit.js';
import { releaseSatisfiedWaits } from './humanSteps.js';

/**
 * Pending approvals whose question no longer stands are withdrawn: each leaves the supervisors' queue, and its
 * wait goes on with `answer` (the write is conditional on the approval still pending, so a decision landing at
 * the same moment and the withdrawal never both stand). Each withdrawal is in the trail once.
 */
export async function withdrawPending(
  caseId: string,
  which: (a: ApprovalRecord) => boolean,
  because: NonNullable<ApprovalRecord['withdrawnBecause']>,
  answer: Record<string, unknown>,
  now: string,
): Promise<void> {
  const { approvals } = await mustLoadCase(caseId);
  for (const a of approvals.filter((x) => x.status === 'pending' && which(x))) {
    const out = await withdrawApproval(a, because, now);
    if (!out) continue;
    await audit(
      caseId,
      'workflow',
      `gate.${a.gate}.withdrawn`,
      { approvalId: a.approvalId, because },
      undefined,
      now,
      true,
    );
    await signal(out.taskToken, answer);
  }
}

/**
 * The victim declined to be told (domain/victimChoice.ts): a pending disclosure or delay approval is withdrawn, its
 * wait going back to the decision, which the decline answers. Called by the choice, and by a disclosure or delay
 * gate opening at the same moment, so that whichever comes second sees the other.
 */
export async function withdrawForDecline(caseId: string, now: string): Promise<void> {
  if (!victimDeclined((await mustLoadCase(caseId)).kase)) return;
  await withdrawPending(caseId, withdrawnByDecline, 'victim_declined', { withdrawn: true }, now);
}

/**
 * A closure proposed (domain/closureProposal.ts): identification gives way to the closure gate. Its pending
 * approval is withdrawn, its wait going to the gate. Called by the proposal (whose route then ends identification's
 * waits, as every route whose record ends a wait: functions/http/answering.ts), and by the identification gate
 * opening at the same moment (giveWayToClosure), so that whichever comes second sees the other.
 */
export async function withdrawForClosure(caseId: string, now: string): Promise<boolean> {
  if (!closureUnderWay((await mustLoadCase(caseId)).kase)) return false;
  await withdrawPending(caseId, withdrawnByClosure, 'closure_proposed', { closureProposed: true }, now);
  return true;
}

/** The identification gate opened while a closure is under way: its approval is withdrawn and identification's waits answered, each going to the closure gate. */
export async function giveWayToClosure(caseId: string, now: string): Promise<void> {
  if (await withdrawForClosure(caseId, now)) await releaseSatisfiedWaits(caseId, WAITS_A_CLOSURE_ENDS, now);
}
