import { person } from '../../domain/cases.js';
import { conflict, invalid } from '../../domain/errors.js';
import { mutateCase } from '../../adapters/cases.js';
import { apiHandler, json } from '../../http/api.js';
import { auditData } from '../auditData.js';
import { completeStep, visibleCase } from '../shared.js';

export const handler = apiHandler('verifyContact', async ({ user, body, params, now }) => {
  const { kase } = await visibleCase(params.caseId, user);
  if (kase.stage === 'CLOSED' || kase.stage === 'REJECTED') throw conflict(`the case is ${kase.stage}`);
  const contact = kase.victim.contact;
  if (body.channel === 'sms' && !contact.phone)
    throw invalid('there is no phone number on file to verify', [{ path: 'channel', message: 'no phone on file' }]);
  if (body.channel === 'letter' && !contact.postalAddress)
    throw invalid('there is no postal address on file to verify', [
      { path: 'channel', message: 'no postal address on file' },
    ]);
  // The same person confirming the same thing again (their first answer lost on the way back) is the same verification:
  // it is completed, not recorded twice. A new note, or someone else, is a new verification.
  const earlier = kase.contactVerified[body.channel];
  const same = earlier && earlier.by.sub === user.sub && earlier.note === body.note ? earlier : undefined;
  const verification = same ?? { by: person(user), at: now, note: body.note };
  if (!same)
    await mutateCase(
      params.caseId,
      (k) => {
        k.contactVerified[body.channel] = verification;
        return k;
      },
      now,
    );
  await auditData(
    params.caseId,
    user,
    `contact.verified.${body.channel}`,
    {},
    body,
    now,
    `contact.verified.${body.channel}|${verification.by.sub}|${verification.at}`,
  );
  await completeStep(params.caseId, 'CONTACT_VERIFICATION', { channel: body.channel }, now);
  return json(200, { channel: body.channel, verified: true, at: verification.at });
});
