import { listCasesPage } from '../../adapters/lists.js';
import { listVersion } from '../../adapters/listVersions.js';
import { pageRequest } from '../../adapters/pages.js';
import { apiHandler, json } from '../../http/api.js';
import { conditional, entityTag } from '../../http/etag.js';
import * as inputs from '../../routeInputs.js';

/** One Query on the index for the scope and status asked for; each row is the case's own summary. */
export const handler = apiHandler(inputs.listCases, async ({ user, query, event, now }) => {
  const tag = entityTag(['listCases', query, await listVersion(user.force, 'cases')], user, now);
  return conditional(event, tag, async () =>
    json(200, await listCasesPage(user, query, pageRequest('listCases', user.force, query), now)),
  );
});
