import { chainLength, timelinePage } from '../../adapters/auditPages.js';
import { pageRequest } from '../../adapters/pages.js';
import { timelineEntry } from '../../domain/timeline.js';
import { apiHandler, json } from '../../http/api.js';
import { conditional, entityTag } from '../../http/etag.js';
import { seeableCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/** The case's timeline, newest first, in sentences; older entries a page at a time. */
export const handler = apiHandler(inputs.getTimeline, async ({ user, params, query, event, now }) => {
  await seeableCase(params.caseId, user);
  const tag = entityTag(['getTimeline', params, query, await chainLength(params.caseId)], user, now);
  return conditional(event, tag, async () =>
    json(200, await timelinePage(params.caseId, pageRequest('getTimeline', user.force, query, params), timelineEntry)),
  );
});
