import { recordOutcome } from '../../domain/arrestTrack.js';
import { person } from '../../domain/users.js';
import { mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/** An arrest-track outcome, whenever it happens: the workflow opens what it calls for (domain/arrestTrack.ts). */
export const handler = answeringHandler(inputs.recordArrest, async ({ user, body, params, now }) => {
  await visibleCase(params.caseId, user);
  const kase = await mutateCase(params.caseId, (k) => recordOutcome(k, body, person(user), now), now);
  const index = kase.arrests.length - 1;
  await auditData(
    params.caseId,
    user,
    `arrest.${body.outcome}`,
    { index: String(index), ...(body.victimInformed ? { victimInformed: body.victimInformed.how } : {}) },
    body,
    now,
  );
  return json(202, { status: 'accepted', outcome: body.outcome, index });
});
