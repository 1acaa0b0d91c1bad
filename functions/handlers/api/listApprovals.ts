import { listApprovalsPage } from '../../adapters/lists.js';
import { listVersion } from '../../adapters/listVersions.js';
import { pageRequest } from '../../adapters/pages.js';
import { apiHandler, json } from '../../http/api.js';
import { conditional, entityTag } from '../../http/etag.js';
import * as inputs from '../../routeInputs.js';

/** Only what the caller may decide (rank, own case, own proposal, the two-person rule), overdue first, from the queue's index alone. */
export const handler = apiHandler(inputs.listApprovals, async ({ user, query, event, now }) => {
  const tag = entityTag(['listApprovals', query, await listVersion(user.force, 'approvals')], user, now);
  return conditional(event, tag, async () =>
    json(200, await listApprovalsPage(user, pageRequest('listApprovals', user.force, query), now)),
  );
});
