import { mayDecideGate, SEPARATED_GATES } from '../../domain/access.js';
import { isOverdue } from '../../domain/cases.js';
import { approvalView, identificationEvidence } from '../../domain/views.js';
import { getCase, listPendingApprovals, loadCase } from '../../adapters/cases.js';
import { apiHandler, json } from '../../http/api.js';

/** Only what the caller may decide: rank, own case, own proposal and the two-person rule applied. */
export const handler = apiHandler('listApprovals', async ({ user, now }) => {
  const pending = await listPendingApprovals(user.force);
  const rows = [];
  for (const a of pending) {
    const kase = await getCase(a.caseId);
    if (!kase) continue;
    const other = SEPARATED_GATES[a.gate];
    const otherDeciders = other
      ? ((await loadCase(a.caseId))?.approvals ?? [])
          .filter((x) => x.gate === other && x.status === 'approved')
          .map((x) => x.decidedBy!.sub)
      : [];
    const verdict = mayDecideGate(user, {
      gate: a.gate,
      requiredRank: a.requiredRank,
      caseForce: kase.force,
      caseCreatedBy: kase.createdBy.sub,
      proposedBy: a.proposedBy?.sub,
      otherDeciders,
    });
    if (!verdict.allowed) continue;
    const v = approvalView(a);
    const evidence = a.gate === 'identification' ? identificationEvidence((await loadCase(a.caseId))!) : undefined;
    rows.push({ ...v, overdue: a.overdue || isOverdue(a.dueAt, now), ...(evidence ? { evidence } : {}) });
  }
  rows.sort((x, y) => Number(y.overdue) - Number(x.overdue) || x.dueAt.localeCompare(y.dueAt));
  return json(200, rows);
});
