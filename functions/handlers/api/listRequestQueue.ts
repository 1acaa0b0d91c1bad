import { listRequestsPage } from '../../adapters/lists.js';
import { listVersion } from '../../adapters/listVersions.js';
import { pageRequest } from '../../adapters/pages.js';
import { apiHandler, json } from '../../http/api.js';
import { conditional, entityTag } from '../../http/etag.js';
import * as inputs from '../../routeInputs.js';

/** The SPoC's queue across the force, by due time: one Query, not one route per open case. */
export const handler = apiHandler(inputs.listRequestQueue, async ({ user, query, event, now }) => {
  const tag = entityTag(['listRequestQueue', query, await listVersion(user.force, 'requests')], user, now);
  return conditional(event, tag, async () =>
    json(200, await listRequestsPage(user.force, query.status, pageRequest('listRequestQueue', user.force, query))),
  );
});
