import { mayRetryFault } from '../../domain/access.js';
import { faultView } from '../../domain/faults.js';
import { getCase, listOpenFaults } from '../../adapters/cases.js';
import { apiHandler, json } from '../../http/api.js';

/** The dead-letter queue a supervisor works: steps that failed for good, overdue first, only those the caller's rank may run again. */
export const handler = apiHandler('listFaults', async ({ user, now }) => {
  const rows = [];
  for (const f of await listOpenFaults(user.force)) {
    if (!mayRetryFault(user, { caseForce: f.force, requiredRank: f.requiredRank }).allowed) continue;
    const kase = await getCase(f.caseId);
    rows.push({ ...faultView(f, now), ...(kase ? { stage: kase.stage, crimeReference: kase.crimeReference } : {}) });
  }
  rows.sort((x, y) => Number(y.overdue) - Number(x.overdue) || x.dueAt.localeCompare(y.dueAt));
  return json(200, rows);
});
