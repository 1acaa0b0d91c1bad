import { recordVictimUpdate } from '../../domain/arrestTrack.js';
import { person } from '../../domain/users.js';
import { mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/** Victims' Code: the investigator told the victim of an outcome themselves (or the SMS could not go). */
export const handler = answeringHandler(inputs.recordVictimUpdate, async ({ user, body, params, now }) => {
  await visibleCase(params.caseId, user);
  await mutateCase(params.caseId, (k) => recordVictimUpdate(k, body, person(user), now), now);
  await auditData(
    params.caseId,
    user,
    'victim_update.recorded',
    { arrestIndex: String(body.arrestIndex), how: body.how },
    body,
    now,
  );
  return json(202, { status: 'accepted' });
});
