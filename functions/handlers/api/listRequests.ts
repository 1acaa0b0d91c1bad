import { requestView } from '../../domain/views.js';
import { apiHandler, json } from '../../http/api.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

export const handler = apiHandler(inputs.listRequests, async ({ user, params }) => {
  const { requests } = await visibleCase(params.caseId, user);
  const order = { platform_preservation: 0, platform_disclosure: 1, isp_resolution: 2 } as const;
  return json(
    200,
    requests.sort((a, b) => order[a.kind] - order[b.kind] || a.createdAt.localeCompare(b.createdAt)).map(requestView),
  );
});
