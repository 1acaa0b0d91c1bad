import { recordSpoNotification } from '../../domain/arrestTrack.js';
import { person } from '../../domain/users.js';
import { mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/**
 * The subject of a full order notified their names and address within the 3 days, or did not: a breach to act on,
 * followed up by the owner until the subject's late notification is recorded here.
 */
export const handler = answeringHandler(inputs.recordSpoNotification, async ({ user, body, params, now }) => {
  await visibleCase(params.caseId, user);
  let late = false;
  await mutateCase(
    params.caseId,
    (k) => {
      late = !!k.arrestTrack?.spoConsiderations.find((s) => s.arrestIndex === body.arrestIndex)?.notification?.doneAt;
      return recordSpoNotification(k, body, person(user), now);
    },
    now,
  );
  await auditData(
    params.caseId,
    user,
    late ? 'spo.subject_notified_late' : body.notified ? 'spo.subject_notified' : 'spo.notification_missed',
    { arrestIndex: String(body.arrestIndex) },
    body,
    now,
  );
  return json(202, { status: 'accepted' });
});
