import { escalateOverdue } from '../../domain/arrestTrack.js';
import { escalation } from '../../domain/gateDecisions.js';
import type { TaskName } from '../../domain/tasks.js';
import { EscalateEvent } from '../../schemas/workflow.js';
import { markApproval } from '../../adapters/approval.js';
import { mustLoadCase, mutateCase } from '../../adapters/case.js';
import { completeTask, markTaskOverdue } from '../../adapters/task.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { audit } from '../../services/audit.js';
import { count } from '../../adapters/figures.js';

/**
 * A wait passed its due time: an approval goes one rank up (or stays, overdue, at the top); a task shows overdue to supervisors;
 * on the arrest track, each thing owed that has fallen due is marked overdue, once; a delay's review wait ends at its
 * review date.
 */
export const handler = workflowHandler('escalate', EscalateEvent, async (input, now) => {
  const { caseId } = input;
  if ('gate' in input) {
    const { approvals } = await mustLoadCase(caseId);
    const latest = approvals
      .filter((a) => a.gate === input.gate)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .at(-1);
    const action = (how: 'escalated' | 'overdue') => `gate.${input.gate}.${how}` as const;
    if (latest?.status === 'escalated') {
      // Escalated by an earlier run of this step: its entry is asserted again.
      await audit(
        caseId,
        'workflow',
        action('escalated'),
        { approvalId: latest.approvalId, fromRank: latest.requiredRank },
        undefined,
        now,
        true,
      );
      return { escalated: true };
    }
    if (latest?.status !== 'pending') return { escalated: false };
    const how = escalation(latest);
    if (how === 'escalate') {
      await markApproval(latest, { status: 'escalated' });
      count('gateEscalated');
    } else await markApproval(latest, { overdue: true });
    // Overdue at the top rank recurs at each due time: that entry names the due time it missed.
    const ids = {
      approvalId: latest.approvalId,
      fromRank: latest.requiredRank,
      ...(how === 'escalate' ? {} : { missedDueAt: latest.dueAt }),
    };
    await audit(caseId, 'workflow', action(how === 'escalate' ? 'escalated' : 'overdue'), ids, undefined, now, true);
    return { escalated: how === 'escalate' };
  }
  if (input.task === 'ARREST_TRACK') {
    if (!escalateOverdue((await mustLoadCase(caseId)).kase, now).escalated.length)
      return { escalated: false, overdue: 0 };
    let escalated: ReturnType<typeof escalateOverdue>['escalated'] = [];
    await mutateCase(
      caseId,
      (k) => {
        const out = escalateOverdue(k, now);
        escalated = out.escalated;
        return out.kase;
      },
      now,
    );
    for (const e of escalated)
      await audit(
        caseId,
        'workflow',
        `task.${e.task}.overdue`,
        { arrestIndex: String(e.arrestIndex) },
        undefined,
        now,
        true,
      );
    return { escalated: false, overdue: escalated.length };
  }
  if (input.task === 'DELAY_REVIEW') {
    // Not late: the delay ran to its review date. Its wait is done, and the decision comes round again.
    const { kase } = await mustLoadCase(caseId);
    await completeTask(caseId, 'DELAY_REVIEW', { reviewDue: true }, now);
    const delay = kase.delays.at(-1);
    await audit(
      caseId,
      'workflow',
      'disclosure.delay_review_due',
      delay ? { proposalId: delay.proposalId } : {},
      undefined,
      now,
      true,
    );
    return { escalated: false };
  }
  const task = (await mustLoadCase(caseId)).tasks.find((t) => t.key === input.task);
  await markTaskOverdue(caseId, input.task as TaskName);
  await audit(
    caseId,
    'workflow',
    `task.${input.task as TaskName}.overdue`,
    {},
    undefined,
    now,
    `task.overdue|${input.task}|${task?.openedAt ?? 'unknown'}`,
  );
  return { escalated: false };
});
