import { enforce, mayPropose } from '../../domain/access.js';
import { person } from '../../domain/users.js';
import { recordClosureProposal } from '../../domain/closureProposal.js';
import { WrongStage } from '../../domain/errors.js';
import { mustLoadCase, mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { newId } from '../../adapters/ids.js';
import { visibleCase } from '../../services/caseAccess.js';
import { withdrawForClosure } from '../../services/withdrawals.js';
import * as inputs from '../../routeInputs.js';

/**
 * docs/api.md, closing without a suspect: the investigator proposes to close the case before identification is
 * approved; the `closure` gate decides. Identification gives way to the gate at once (services/withdrawals.ts).
 */
export const handler = answeringHandler(inputs.proposeClosure, async ({ user, body, params, now }) => {
  enforce(mayPropose(user));
  const { kase } = await visibleCase(params.caseId, user);
  // The same person proposing the same again (their first answer lost on the way back) finishes what it began.
  const earlier = kase.closureProposal;
  const replay =
    earlier?.status === 'proposed' &&
    earlier.proposedBy.sub === user.sub &&
    earlier.reason === body.reason &&
    earlier.rationale === body.rationale;
  const proposalId = replay ? earlier.proposalId : newId();
  if (!replay)
    await mutateCase(params.caseId, (k) => recordClosureProposal(k, body, person(user), proposalId, now), now);
  await withdrawForClosure(params.caseId, now);
  // Gate 2 approved the suspect between this proposal's record and its withdrawal: the case has moved past
  // identification, so the proposal is taken back, and nothing else is changed.
  const after = (await mustLoadCase(params.caseId)).kase;
  if (after.identification?.status === 'approved' && after.closureProposal?.proposalId === proposalId) {
    await mutateCase(
      params.caseId,
      (k) => {
        if (k.closureProposal?.proposalId !== proposalId || k.closureProposal.status !== 'proposed') return k;
        const { closureProposal: _taken, ...rest } = k;
        return earlier && !replay ? { ...rest, closureProposal: earlier } : rest;
      },
      now,
    );
    throw new WrongStage(
      'identification was approved meanwhile: the case is past the point where it closes without a suspect',
    );
  }
  await auditData(
    params.caseId,
    user,
    'closure.proposed',
    { proposalId, reason: body.reason },
    body,
    now,
    `closure.proposed|${proposalId}`,
  );
  return json(202, { status: 'accepted', proposalId });
});
