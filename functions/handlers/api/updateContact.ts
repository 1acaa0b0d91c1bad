import { changeContact, contactVerifiedView } from '../../domain/contact.js';
import { mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/**
 * docs/api.md, the victim's contact and choices: new contact details, in the shape given at opening. A changed phone
 * loses the SMS verification and a changed address the letter's: the old ones are never used again, and nothing goes
 * to the new ones until they are verified. The trail names what changed, never the details.
 */
export const handler = answeringHandler(inputs.updateContact, async ({ user, body, params, now }) => {
  await visibleCase(params.caseId, user);
  let changed: string[] = [];
  const kase = await mutateCase(
    params.caseId,
    (k) => {
      const out = changeContact(k, body);
      changed = out.changed;
      return out.kase;
    },
    now,
  );
  await auditData(
    params.caseId,
    user,
    'victim.contact.changed',
    { changed: changed.join(',') || 'nothing' },
    body,
    now,
  );
  return json(200, { contact: kase.victim.contact, verified: contactVerifiedView(kase, now) });
});
