import { consultationsPage, viewsInWindow } from '../../adapters/consultations.js';
import { pageRequest } from '../../adapters/pages.js';
import { viewEntry, viewWindow } from '../../domain/consultations.js';
import { policy } from '../../domain/policy.js';
import { apiHandler, json } from '../../http/api.js';
import { conditional, entityTag } from '../../http/etag.js';
import { seeableCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/**
 * Who viewed the case, newest window first, a page at a time: the consultation log's records (one per person a
 * window), not entries of the trail. Its tag moves with the number recorded in the current window (a view is
 * recorded in its own time's window, so no other window's records change).
 */
export const handler = apiHandler(inputs.getViews, async ({ user, params, query, event, now }) => {
  await seeableCase(params.caseId, user);
  const window = viewWindow(now, policy.viewRecordWindowSeconds);
  const tag = entityTag(['getViews', params, query, window, await viewsInWindow(params.caseId, window)], user, now);
  return conditional(event, tag, async () =>
    json(200, await consultationsPage(params.caseId, pageRequest('getViews', user.force, query, params), viewEntry)),
  );
});
