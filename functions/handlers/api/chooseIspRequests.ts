import { enforce, mayUploadReturn } from '../../domain/access.js';
import { authorisationCurrent } from '../../domain/authorisation.js';
import { chosenIspRequests } from '../../domain/requests.js';
import { person } from '../../domain/users.js';
import { WrongStage, NothingAwaited, AuthorisationExpired, notFound } from '../../domain/errors.js';
import { putRequests } from '../../adapters/request.js';
import { ipLogOf } from '../../adapters/ipLog.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { newId } from '../../adapters/ids.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/** The SPoC asks for ISP look-ups on chosen rows of a platform's IP log, beyond those the bound made on their own. */
export const handler = answeringHandler(inputs.chooseIspRequests, async ({ user, params, body, now }) => {
  enforce(mayUploadReturn(user));
  const { kase, requests } = await visibleCase(params.caseId, user);
  const source = requests.find((r) => r.requestId === params.requestId);
  if (!source) throw notFound('no such request on this case');
  if (source.kind !== 'platform_disclosure' || source.status !== 'returned' || !source.returned)
    throw new NothingAwaited('ISP look-ups are chosen from a returned platform disclosure');
  if (kase.stage === 'CLOSED' || kase.stage === 'REJECTED') throw new WrongStage(`the case is ${kase.stage}`);
  if (!authorisationCurrent(kase, now)) throw new AuthorisationExpired();
  const { made, alreadyAsked } = chosenIspRequests(
    kase,
    source,
    ipLogOf(source.returned),
    body.events,
    requests,
    person(user),
    now,
    newId,
  );
  await putRequests(made);
  await auditData(
    kase.caseId,
    user,
    'requests.isp.chosen',
    { sourceRequestId: source.requestId, count: String(made.length) },
    { events: body.events, rationale: body.rationale, requestIds: made.map((r) => r.requestId) },
    now,
  );
  return json(202, { status: 'accepted', requestIds: made.map((r) => r.requestId), alreadyAsked });
});
