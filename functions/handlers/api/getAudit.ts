import { readAudit } from '../../adapters/audit.js';
import { apiHandler, json } from '../../http/api.js';
import { visibleCase } from '../shared.js';

export const handler = apiHandler('getAudit', async ({ user, params }) => {
  await visibleCase(params.caseId, user);
  return json(200, await readAudit(params.caseId));
});
