import { person } from '../../domain/users.js';
import { recordVerification } from '../../domain/contact.js';
import { WrongStage, invalid } from '../../domain/errors.js';
import type { ContactVerification } from '../../domain/records.js';
import { mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/**
 * docs/api.md, the victim's contact and choices: the investigator records a channel verified safe with the victim
 * (`verified: true`), or unsafe (`false`: nothing goes through it until its details change and are verified again).
 * The delivery waiting on a verification looks again: it sends, asks again, or goes in person.
 */
export const handler = answeringHandler(inputs.verifyContact, async ({ user, body, params, now }) => {
  const { kase } = await visibleCase(params.caseId, user);
  if (kase.stage === 'CLOSED' || kase.stage === 'REJECTED') throw new WrongStage(`the case is ${kase.stage}`);
  const contact = kase.victim.contact;
  if (body.channel === 'sms' && !contact.phone)
    throw invalid('there is no phone number on file to verify', [{ path: 'channel', message: 'no phone on file' }]);
  if (body.channel === 'letter' && !contact.postalAddress)
    throw invalid('there is no postal address on file to verify', [
      { path: 'channel', message: 'no postal address on file' },
    ]);
  const proposed: ContactVerification = { by: person(user), at: now, note: body.note, safe: body.verified };
  let verification = recordVerification(kase, body.channel, proposed, now).verification;
  await mutateCase(
    params.caseId,
    (k) => {
      // Judged again on the case as it is now: the same verification sent twice at once is recorded once.
      const out = recordVerification(k, body.channel, proposed, now);
      verification = out.verification;
      return out.kase;
    },
    now,
  );
  const what = body.verified ? 'verified' : 'unsafe';
  await auditData(
    params.caseId,
    user,
    `contact.${what}.${body.channel}`,
    {},
    body,
    now,
    `contact.${what}.${body.channel}|${verification.by.sub}|${verification.at}`,
  );
  return json(200, { channel: body.channel, verified: body.verified, at: verification.at });
});
