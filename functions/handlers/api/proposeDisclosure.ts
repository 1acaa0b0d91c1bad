import { enforce, mayPropose } from '../../domain/access.js';
import { person } from '../../domain/users.js';
import { recordDisclosureProposal } from '../../domain/disclosureProposal.js';
import type { DelayRecord } from '../../domain/records.js';
import { mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { audit } from '../../services/audit.js';
import { newId } from '../../adapters/ids.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

export const handler = answeringHandler(inputs.proposeDisclosure, async ({ user, body, params, now }) => {
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
  // The delay's ground fell away before its review date: its wait ends now and the proposal goes to the disclosure gate.
  if (endedDelay)
    await audit(
      params.caseId,
      user,
      'disclosure.delay_ended',
      { delayProposalId: endedDelay.proposalId, proposalId },
      undefined,
      now,
    );
  return json(202, { status: 'accepted', proposalId });
});
