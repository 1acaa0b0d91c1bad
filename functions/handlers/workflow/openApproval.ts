import { resumedDueAt, addSeconds } from '../../domain/clock.js';
import {
  applyDecision,
  approvalSubject,
  decisionForWorkflow,
  nextApproval,
  otherDeciders,
} from '../../domain/gateDecisions.js';
import { closureUnderWay } from '../../domain/closureProposal.js';
import { GATE_RULES } from '../../domain/gates.js';
import type { ApprovalRecord } from '../../domain/records.js';
import { OpenApprovalEvent } from '../../schemas/workflow.js';
import { getApproval, putApproval, rewaitApproval } from '../../adapters/approval.js';
import { mustLoadCase, mutateCase } from '../../adapters/case.js';
import { endResumedWait, signal } from '../../adapters/workflow.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { audit } from '../../services/audit.js';
import { newId } from '../../adapters/ids.js';
import { giveWayToClosure, withdrawForDecline } from '../../services/withdrawals.js';
import { victimDeclined } from '../../domain/victimChoice.js';

/** A gate waits for a supervisor: the approval holds the task token; a decision already on record is passed straight on. */
export const handler = workflowHandler(
  'openApproval',
  OpenApprovalEvent,
  async ({ caseId, gate, taskToken, timeoutSeconds, execution, untilFirstDue }, now) => {
    const { kase, approvals, requests } = await mustLoadCase(caseId);
    // A closure proposed before identification is approved: the identification gate gives way to the closure gate.
    if (gate === 'identification' && closureUnderWay(kase)) {
      await signal(taskToken, { closureProposed: true });
      return { closureProposed: true };
    }
    // The victim declined to be told: there is nothing to disclose or delay; the decision's wait answers the decline.
    if ((gate === 'disclosure' || gate === 'delay') && victimDeclined(kase)) {
      await signal(taskToken, { withdrawn: true });
      return { withdrawn: true };
    }
    // A decision on record goes on to the workflow only once the case shows it. The decider's request writes the
    // approval first and the case after (handlers/api/decideApproval.ts); a step run again or resumed in between
    // finds the approval decided, and the next state reads the case: the suspect it names, the authorisation its
    // requests are made under. Applying a decision twice changes nothing more.
    const passOn = async (a: ApprovalRecord) => {
      await mutateCase(caseId, (k) => applyDecision(k, a), now);
      await signal(taskToken, decisionForWorkflow(a, requests));
    };
    const { subjectId, proposedBy } = approvalSubject(kase, gate, now);
    const decided = approvals.find(
      (a) => a.gate === gate && a.subjectId === subjectId && (a.status === 'approved' || a.status === 'rejected'),
    );
    if (decided) {
      await passOn(decided);
      return { approvalId: decided.approvalId };
    }
    // The case shows the gate before its approval can be decided: set after, a decision landing in between moved
    // the case on (the next stage written by the workflow) and this write then took it back to the gate.
    const stage = GATE_RULES[gate].stage;
    if (stage && kase.stage !== stage)
      await mutateCase(caseId, (k) => (k.stage === kase.stage ? { ...k, stage } : k), now);
    const fresh = addSeconds(now, timeoutSeconds);
    const next = nextApproval(gate, approvals, subjectId);
    let approvalId: string;
    if ('reuse' in next) {
      approvalId = next.reuse.approvalId;
      // Waited on by an earlier execution (a restart): its first due time stands (domain/clock.ts).
      const dueAt = resumedDueAt(next.reuse, execution, fresh, untilFirstDue);
      if (!(await rewaitApproval(next.reuse, taskToken, dueAt, execution))) {
        // Decided between our read and our write: pass the decision on.
        const now2 = await getApproval(approvalId);
        if (now2?.decision) await passOn(now2);
        return { approvalId };
      }
      await audit(caseId, 'workflow', `gate.${gate}.waiting`, { approvalId }, undefined, now, true);
      // Its due time passed while nothing ran: the wait ends now, as at its timeout (the gate escalates); still
      // ahead, the workflow waits again until then.
      await endResumedWait(taskToken, dueAt, fresh, now, untilFirstDue);
    } else {
      approvalId = newId();
      await putApproval(
        {
          approvalId,
          caseId,
          force: kase.force,
          gate,
          requiredRank: next.create.requiredRank,
          status: 'pending',
          subjectId,
          requestedBy: proposedBy ?? kase.createdBy,
          ...(proposedBy ? { proposedBy } : {}),
          crimeReference: kase.crimeReference,
          ...(gate === 'closure' && kase.closureProposal ? { closureReason: kase.closureProposal.reason } : {}),
          caseCreatedBy: kase.createdBy.sub,
          otherDeciders: otherDeciders(gate, approvals),
          createdAt: now,
          dueAt: fresh,
          overdue: false,
          ...(execution ? { execution } : {}),
          ...(next.create.escalatedFrom ? { escalatedFrom: next.create.escalatedFrom } : {}),
        },
        taskToken,
      );
      await audit(
        caseId,
        'workflow',
        `gate.${gate}.opened`,
        { approvalId, requiredRank: next.create.requiredRank },
        undefined,
        now,
        true,
      );
    }
    // A closure proposed while this approval was being opened: whichever of the two comes second withdraws it.
    if (gate === 'identification') await giveWayToClosure(caseId, now);
    if (gate === 'disclosure' || gate === 'delay') await withdrawForDecline(caseId, now);
    return { approvalId };
  },
);
