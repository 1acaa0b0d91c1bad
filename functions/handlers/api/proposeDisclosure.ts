import { enforce, mayPropose } from '../../domain/access.js';
import { person, requireStage } from '../../domain/cases.js';
import { conflict } from '../../domain/errors.js';
import { mutateCase } from '../../adapters/cases.js';
import { apiHandler, json } from '../../http/api.js';
import { auditData } from '../auditData.js';
import { completeStep, newId, visibleCase } from '../shared.js';

export const handler = apiHandler('proposeDisclosure', async ({ user, body, params, now }) => {
  enforce(mayPropose(user));
  await visibleCase(params.caseId, user);
  const proposalId = newId();
  await mutateCase(
    params.caseId,
    (k) => {
      requireStage(k, 'DISCLOSURE_DECISION');
      if (k.disclosureProposal?.status === 'proposed') throw conflict('a proposal is already awaiting approval');
      k.disclosureProposal = {
        proposalId,
        action: body.action,
        ...(body.ground ? { ground: body.ground } : {}),
        ...(body.reviewInDays ? { reviewInDays: body.reviewInDays } : {}),
        rationale: body.rationale,
        proposedBy: person(user),
        proposedAt: now,
        status: 'proposed',
      };
      return k;
    },
    now,
  );
  await auditData(
    params.caseId,
    user,
    `disclosure.proposed.${body.action}`,
    { proposalId, ...(body.ground ? { ground: body.ground } : {}) },
    body,
    now,
  );
  await completeStep(params.caseId, 'DISCLOSURE_PROPOSAL', { proposalId, action: body.action }, now);
  return json(202, { status: 'accepted', proposalId });
});
