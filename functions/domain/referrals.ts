import type { ReferralInput } from '../schemas/afterIdentification.js';
import { caseOfficer } from './ownership.js';
import type { CaseRecord, Person, ReferralRecord } from './records.js';
import { WrongStage, invalid } from './errors.js';

/**
 * docs/process.md step 10: a referral to a support service, made only with the
 * victim's consent. What is shared is named field by field; the trail keeps
 * the names and a keyed digest of the values (`digest`, which holds the
 * key), never the values.
 */
type Field = ReferralInput['shared'][number];

function fieldValue(kase: CaseRecord, field: Field): unknown {
  switch (field) {
    case 'victim.name':
      return kase.victim.name;
    case 'victim.dateOfBirth':
      return kase.victim.dateOfBirth;
    case 'victim.contact.phone':
      return kase.victim.contact.phone;
    case 'victim.contact.postalAddress':
      return kase.victim.contact.postalAddress;
    case 'victim.contact.safeTimes':
      return kase.victim.contact.safeTimes;
    case 'crimeReference':
      return kase.crimeReference;
    case 'offence':
      return kase.offence;
    case 'risk':
      return kase.risk;
    case 'officer':
      return caseOfficer(kase);
  }
}

export function makeReferral(
  kase: CaseRecord,
  input: ReferralInput,
  by: Person,
  now: string,
  referralId: string,
  digest: (data: unknown) => string,
): { kase: CaseRecord; referral: ReferralRecord; sharedValues: Record<string, unknown> } {
  if (!input.consent.given)
    throw invalid("no referral without the victim's consent", [
      { path: 'consent.given', message: 'the victim has not consented: nothing is referred and nothing is shared' },
    ]);
  if (kase.stage === 'CLOSED' || kase.stage === 'REJECTED') throw new WrongStage(`the case is ${kase.stage}`);
  if (Date.parse(input.consent.recordedAt) > Date.parse(now))
    throw invalid('consent is recorded when it is given, not in the future', [
      { path: 'consent.recordedAt', message: 'must not be in the future' },
    ]);
  const missing = input.shared.flatMap((f, i) =>
    fieldValue(kase, f) === undefined ? [{ path: `shared.${i}`, message: `the case has no ${f}` }] : [],
  );
  if (missing.length) throw invalid('only what the case holds can be shared', missing);
  const shared = [...new Set(input.shared)];
  const sharedValues = Object.fromEntries(shared.map((f) => [f, fieldValue(kase, f)]));
  const referral: ReferralRecord = {
    referralId,
    service: input.service,
    consent: { given: true, recordedAt: new Date(input.consent.recordedAt).toISOString(), how: input.consent.how },
    shared,
    sharedDigest: digest(sharedValues),
    referredBy: by,
    referredAt: now,
  };
  return { kase: { ...kase, referrals: [...(kase.referrals ?? []), referral] }, referral, sharedValues };
}
