import { verifyChain } from '../../domain/audit.js';
import { readAudit } from '../../adapters/audit.js';
import { apiHandler, json } from '../../http/api.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

export const handler = apiHandler(inputs.verifyAudit, async ({ user, params }) => {
  await visibleCase(params.caseId, user);
  return json(200, verifyChain(await readAudit(params.caseId)));
});
