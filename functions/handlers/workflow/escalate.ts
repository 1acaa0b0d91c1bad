import { escalateOverdue } from '../../domain/arrestTrack.js';
import { escalation } from '../../domain/cases.js';
import type { TaskName } from '../../domain/stages.js';
import { EscalateEvent } from '../../schemas/workflow.js';
import { markApproval, markTaskOverdue, mustLoadCase, mutateCase } from '../../adapters/cases.js';
import { workflowHandler } from '../../http/workflow.js';
import { audit } from '../shared.js';

/**
 * A wait passed its due time: an approval goes one rank up (or stays, overdue, at the top); a task shows overdue to supervisors;
 * on the arrest track, each thing owed that has fallen due is marked overdue, once.
 */
export const handler = workflowHandler('escalate', EscalateEvent, async (input, now) => {
  const { caseId } = input;
  if ('gate' in input) {
    const { approvals } = await mustLoadCase(caseId);
    const pending = approvals.filter((a) => a.gate === input.gate && a.status === 'pending').sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
    if (!pending) return { escalated: false };
    const how = escalation(pending);
    if (how === 'escalate') await markApproval(pending, { status: 'escalated' });
    else await markApproval(pending, { overdue: true });
    await audit(caseId, 'workflow', `gate.${input.gate}.${how === 'escalate' ? 'escalated' : 'overdue'}`, { approvalId: pending.approvalId, fromRank: pending.requiredRank }, undefined, now);
    return { escalated: how === 'escalate' };
  }
  if (input.task === 'ARREST_TRACK') {
    if (!escalateOverdue((await mustLoadCase(caseId)).kase, now).escalated.length) return { escalated: false, overdue: 0 };
    let escalated: ReturnType<typeof escalateOverdue>['escalated'] = [];
    await mutateCase(caseId, (k) => {
      const out = escalateOverdue(k, now);
      escalated = out.escalated;
      return out.kase;
    }, now);
    for (const e of escalated) await audit(caseId, 'workflow', `task.${e.task}.overdue`, { arrestIndex: String(e.arrestIndex) }, undefined, now);
    return { escalated: false, overdue: escalated.length };
  }
  await markTaskOverdue(caseId, input.task as TaskName);
  await audit(caseId, 'workflow', `task.${input.task}.overdue`, {}, undefined, now);
  return { escalated: false };
});
