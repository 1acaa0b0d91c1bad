import { caseView } from '../../domain/views.js';
import { PathCaseId } from '../../schemas/api.js';
import { readAudit } from '../../adapters/audit.js';
import { apiHandler, json } from '../../http/api.js';
import { audit, visibleCase } from '../shared.js';

export const handler = apiHandler('getCase', async ({ user, params, now }) => {
  const bundle = await visibleCase(params.caseId, user);
  // Viewing a case's sensitive data is itself logged (Data Protection Act 2018 s.62).
  await audit(params.caseId, user, 'case.viewed', {}, undefined, now);
  const trail = await readAudit(params.caseId);
  return json(200, caseView(bundle, trail, user, now));
});
