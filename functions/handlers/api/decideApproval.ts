import { applyDecision, checkDecision, person } from '../../domain/cases.js';
import { notFound } from '../../domain/errors.js';
import { DecisionInput, PathApproval } from '../../schemas/api.js';
import { decideApproval, getApproval, mutateCase } from '../../adapters/cases.js';
import { signal } from '../../adapters/workflow.js';
import { apiHandler, json } from '../../http/api.js';
import { audit, visibleCase } from '../shared.js';

export const handler = apiHandler('decideApproval', async ({ user, body, params, now }) => {
  const found = await getApproval(params.approvalId);
  if (!found) throw notFound('no such approval');
  const { kase, approvals } = await visibleCase(found.caseId, user);
  checkDecision(user, found, kase, approvals, body, now);
  // The one write that decides: conditional on the approval still pending.
  const { approval, taskToken } = await decideApproval(found, {
    decision: body.decision,
    rationale: body.rationale,
    decidedBy: { sub: user.sub, name: user.name },
    decidedRank: user.rank,
    decidedAt: now,
    ...(body.authorisation ? { authorisation: body.authorisation } : {}),
  });
  await mutateCase(kase.caseId, (k) => applyDecision(k, approval), now);
  await audit(kase.caseId, user, `gate.${approval.gate}.${approval.status}`, { approvalId: approval.approvalId, subjectId: approval.subjectId }, body, now);
  await signal(taskToken, { decision: body.decision, approvalId: approval.approvalId });
  return json(200, { approvalId: approval.approvalId, caseId: approval.caseId, gate: approval.gate, status: approval.status, decidedBy: person(user).sub, decidedAt: now });
});
