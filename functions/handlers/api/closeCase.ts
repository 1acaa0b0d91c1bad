import { person } from '../../domain/users.js';
import { checkClosing, recordClosure } from '../../domain/closing.js';
import { mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/** The investigator's decision to close, with its reason; the workflow then closes the case. */
export const handler = answeringHandler(inputs.closeCase, async ({ user, body, params, now }) => {
  checkClosing(await visibleCase(params.caseId, user), now);
  await mutateCase(params.caseId, (k) => recordClosure(k, body, person(user), now), now);
  await auditData(params.caseId, user, 'case.closure_decided', {}, body, now);
  return json(202, { status: 'accepted' });
});
