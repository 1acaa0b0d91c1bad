import { auditPage, chainLength } from '../../adapters/auditPages.js';
import { pageRequest } from '../../adapters/pages.js';
import { apiHandler, json } from '../../http/api.js';
import { conditional, entityTag } from '../../http/etag.js';
import { seeableCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/** The trail, oldest first, a page at a time; its tag moves with the chain's length. */
export const handler = apiHandler(inputs.getAudit, async ({ user, params, query, event, now }) => {
  await seeableCase(params.caseId, user);
  const tag = entityTag(['getAudit', params, query, await chainLength(params.caseId)], user, now);
  return conditional(event, tag, async () =>
    json(
      200,
      await auditPage(params.caseId, 'oldest_first', pageRequest('getAudit', user.force, query, params), (e) => e),
    ),
  );
});
