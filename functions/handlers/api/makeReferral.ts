import { person } from '../../domain/users.js';
import { makeReferral } from '../../domain/referrals.js';
import { dataDigester } from '../../adapters/auditKey.js';
import { mutateCase } from '../../adapters/case.js';
import { apiHandler, json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { newId } from '../../adapters/ids.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/** A consent-based referral to a support service: the consent and what was shared go to the trail by name and digest only. */
export const handler = apiHandler(inputs.makeReferral, async ({ user, body, params, now }) => {
  await visibleCase(params.caseId, user);
  const referralId = newId();
  const digest = await dataDigester();
  let made: ReturnType<typeof makeReferral> | undefined;
  await mutateCase(
    params.caseId,
    (k) => {
      made = makeReferral(k, body, person(user), now, referralId, digest);
      return made.kase;
    },
    now,
  );
  const { referral, sharedValues } = made!;
  await auditData(
    params.caseId,
    user,
    'referral.made',
    {
      referralId,
      service: referral.service,
      consentHow: referral.consent.how,
      consentRecordedAt: referral.consent.recordedAt,
      shared: referral.shared.join(','),
    },
    { consent: referral.consent, shared: sharedValues },
    now,
  );
  return json(201, { referralId, service: referral.service, shared: referral.shared });
});
