import { newCase } from '../../domain/caseOpening.js';
import { createCase } from '../../adapters/case.js';
import { startCaseExecution } from '../../adapters/workflow.js';
import { apiHandler, json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { newId } from '../../adapters/ids.js';
import { count } from '../../adapters/figures.js';
import * as inputs from '../../routeInputs.js';

export const handler = apiHandler(inputs.openCase, async ({ user, body, now }) => {
  const caseId = newId();
  const kase = newCase(
    body,
    user,
    caseId,
    now,
    body.accounts.map(() => newId()),
  );
  await createCase(kase);
  count('caseOpened');
  await auditData(caseId, user, 'case.opened', { crimeReference: kase.crimeReference }, body, now);
  // The execution name is the case id: starting it twice is refused by Step Functions, so a case has one workflow.
  await startCaseExecution(caseId, caseId);
  return json(201, { caseId, stage: kase.stage });
});
