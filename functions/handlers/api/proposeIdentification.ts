import { enforce, mayPropose } from '../../domain/access.js';
import { checkIdentification, person, requireStage } from '../../domain/cases.js';
import { conflict } from '../../domain/errors.js';
import { IdentificationInput, PathCaseId } from '../../schemas/api.js';
import { mutateCase } from '../../adapters/cases.js';
import { apiHandler, json } from '../../http/api.js';
import { audit, completeStep, newId, visibleCase } from '../shared.js';

export const handler = apiHandler('proposeIdentification', async ({ user, body, params, now }) => {
  enforce(mayPropose(user));
  const { requests } = await visibleCase(params.caseId, user);
  checkIdentification(body, requests);
  const proposalId = newId();
  await mutateCase(
    params.caseId,
    (k) => {
      requireStage(k, 'IDENTIFICATION');
      if (k.identification?.status === 'proposed') throw conflict('a suspect is already proposed and awaiting approval');
      k.identification = { ...body, proposalId, proposedBy: person(user), proposedAt: now, status: 'proposed' };
      return k;
    },
    now,
  );
  await audit(params.caseId, user, 'identification.proposed', { proposalId, points: String(body.points.length) }, body, now);
  await completeStep(params.caseId, 'IDENTIFICATION_PROPOSAL', { proposalId }, now);
  return json(202, { status: 'accepted', proposalId });
});
