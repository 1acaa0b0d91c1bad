import { listFaultsPage } from '../../adapters/lists.js';
import { listVersion } from '../../adapters/listVersions.js';
import { pageRequest } from '../../adapters/pages.js';
import { apiHandler, json } from '../../http/api.js';
import { conditional, entityTag } from '../../http/etag.js';
import * as inputs from '../../routeInputs.js';

/** The dead-letter queue a supervisor works: steps that failed for good, overdue first, only those the caller's rank may run again. */
export const handler = apiHandler(inputs.listFaults, async ({ user, query, event, now }) => {
  const tag = entityTag(['listFaults', query, await listVersion(user.force, 'faults')], user, now);
  return conditional(event, tag, async () =>
    json(200, await listFaultsPage(user, pageRequest('listFaults', user.force, query), now)),
  );
});
