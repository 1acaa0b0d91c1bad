import { caseOpenTasks, nextDeadline } from '../../domain/cases.js';
import { listCases, loadCase } from '../../adapters/cases.js';
import { apiHandler, json } from '../../http/api.js';

export const handler = apiHandler('listCases', async ({ user, now }) => {
  const cases = await listCases(user.force);
  const rows = await Promise.all(
    cases.map(async (c) => {
      const b = await loadCase(c.caseId);
      const open = b ? caseOpenTasks(b, now) : [];
      return {
        caseId: c.caseId,
        crimeReference: c.crimeReference,
        stage: c.stage,
        openTasks: open,
        nextDeadline: nextDeadline(open),
        createdBy: c.createdBy.sub,
      };
    }),
  );
  return json(200, rows);
});
