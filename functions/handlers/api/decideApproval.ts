import { applyDecision, checkDecision, decisionForWorkflow, replayLeftUndone } from '../../domain/gateDecisions.js';
import { person } from '../../domain/users.js';
import { notFound } from '../../domain/errors.js';
import { approvalToken, decideApproval, getApproval } from '../../adapters/approval.js';
import { mutateCase } from '../../adapters/case.js';
import { signal } from '../../adapters/workflow.js';
import { count } from '../../adapters/figures.js';
import { apiHandler, json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { audit } from '../../services/audit.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

export const handler = apiHandler(inputs.decideApproval, async ({ user, body, params, now }) => {
  const found = await getApproval(params.approvalId);
  if (!found) throw notFound('no such approval');
  const { kase, approvals, requests } = await visibleCase(found.caseId, user);
  // The same person sending the same decision again (their first answer lost on the way back) finishes what it began;
  // anyone else, or another decision, meets the rules (409 once decided).
  const replay = found.decidedBy?.sub === user.sub && found.decision === body.decision;
  if (!replay) checkDecision(user, found, kase, approvals, body, now);
  // The one write that decides: conditional on the approval still pending.
  const { approval, taskToken } = replay
    ? { approval: found, taskToken: await approvalToken(found) }
    : await decideApproval(found, {
        decision: body.decision,
        rationale: body.rationale,
        decidedBy: { sub: user.sub, name: user.name },
        decidedRank: user.rank,
        decidedAt: now,
        ...(body.authorisation ? { authorisation: body.authorisation } : {}),
      });
  if (!replay) count('gateDecided');
  // A replay re-signals and answers as the first time; it writes only what its first request left undone
  // (domain/gateDecisions.ts replayLeftUndone), and nothing at all to a closed or rejected case.
  if (!replay || replayLeftUndone(kase, approvals, approval))
    await mutateCase(kase.caseId, (k) => applyDecision(k, approval), now);
  if (!replay || (kase.stage !== 'CLOSED' && kase.stage !== 'REJECTED'))
    // Keyed on the approval: a replay whose first request got this far appends nothing.
    await auditData(
      kase.caseId,
      user,
      `gate.${approval.gate}.${approval.status as 'approved' | 'rejected'}`,
      { approvalId: approval.approvalId, subjectId: approval.subjectId },
      body,
      now,
      `gate.decided|${approval.approvalId}`,
    );
  const told = decisionForWorkflow(approval, requests);
  if (told.goOn && (!replay || (kase.stage !== 'CLOSED' && kase.stage !== 'REJECTED')))
    await audit(
      kase.caseId,
      user,
      'requests.reauthorisation_refused',
      { approvalId: approval.approvalId, held: String(requests.filter((r) => r.status === 'returned').length) },
      undefined,
      now,
      `reauthorisation.refused|${approval.approvalId}`,
    );
  await signal(taskToken, told);
  return json(200, {
    approvalId: approval.approvalId,
    caseId: approval.caseId,
    gate: approval.gate,
    status: approval.status,
    decidedBy: approval.decidedBy?.sub ?? person(user).sub,
    decidedAt: approval.decidedAt ?? now,
  });
});
