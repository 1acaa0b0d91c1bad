import { confirmPrisonContact } from '../../domain/arrestTrack.js';
import { person } from '../../domain/users.js';
import { mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/** The prison service confirmed it blocks the offender's contact with the victim. */
export const handler = answeringHandler(inputs.confirmPrisonContact, async ({ user, body, params, now }) => {
  await visibleCase(params.caseId, user);
  let eventId = '';
  await mutateCase(
    params.caseId,
    (k) => {
      const out = confirmPrisonContact(k, body, person(user), now);
      eventId = out.block.eventId;
      return out.kase;
    },
    now,
  );
  await auditData(params.caseId, user, 'prison_contact.confirmed', { eventId }, body, now);
  return json(202, { status: 'accepted' });
});
