import { enforce, mayPropose } from '../../domain/access.js';
import { person } from '../../domain/cases.js';
import { recordDisclosureProposal } from '../../domain/disclosureProposal.js';
import type { DelayRecord } from '../../domain/records.js';
import { mutateCase } from '../../adapters/case.js';
import { apiHandler, json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { audit } from '../../services/audit.js';
import { completeStep } from '../../services/humanSteps.js';
import { newId } from '../../adapters/ids.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

export const handler = apiHandler(inputs.proposeDisclosure, async ({ user, body, params, now }) => {
  enforce(mayPropose(user));
  await visibleCase(params.caseId, user);
  const proposalId = newId();
  let endedDelay: DelayRecord | undefined;
  await mutateCase(
    params.caseId,
    (k) => {
      const out = recordDisclosureProposal(k, body, person(user), proposalId, now);
      endedDelay = out.endedDelay;
      return out.kase;
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
  const result = { proposalId, action: body.action };
  if (endedDelay) {
    // The delay's ground fell away before its review date: its wait ends now and the proposal goes to the disclosure gate.
    await audit(
      params.caseId,
      user,
      'disclosure.delay_ended',
      { delayProposalId: endedDelay.proposalId, proposalId },
      undefined,
      now,
    );
    await completeStep(params.caseId, 'DELAY_REVIEW', result, now);
  } else await completeStep(params.caseId, 'DISCLOSURE_PROPOSAL', result, now);
  return json(202, { status: 'accepted', proposalId });
});
