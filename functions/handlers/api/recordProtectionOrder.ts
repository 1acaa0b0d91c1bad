import { recordSpoDecision } from '../../domain/arrestTrack.js';
import { person } from '../../domain/users.js';
import { mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/** A Stalking Protection Order considered on an arrest-track outcome: decision, reason, and an order's terms. */
export const handler = answeringHandler(inputs.recordProtectionOrder, async ({ user, body, params, now }) => {
  await visibleCase(params.caseId, user);
  await mutateCase(params.caseId, (k) => recordSpoDecision(k, body, person(user), now), now);
  await auditData(
    params.caseId,
    user,
    `spo.${body.decision}`,
    { arrestIndex: String(body.arrestIndex), considered: body.considered, power: body.power },
    body,
    now,
  );
  return json(202, { status: 'accepted' });
});
