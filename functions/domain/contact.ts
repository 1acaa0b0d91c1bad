import type { VictimContact } from '../schemas/api.js';
import { policy } from './policy.js';
import type { CaseRecord, ContactVerification } from './records.js';
import { isFinal } from './stages.js';
import { WrongStage, ChannelUnsafe } from './errors.js';

/**
 * The victim's contact details (docs/process.md, "Contact changes"). Victims
 * change numbers and move, often because of the stalking. A stalker may
 * control the victim's phone: a channel is used only once the investigator
 * has verified it safe with the victim, recently; a channel recorded unsafe is
 * never used until its details change and it is verified again; a changed
 * channel loses its verification, so the old number or address is never
 * used, and the new one waits for its own.
 */
export type Channel = 'sms' | 'letter';
export const CHANNELS: readonly Channel[] = ['sms', 'letter'];

/** Where a channel stands: no details on file, details not yet verified, recorded unsafe, verified too long ago, or safe. */
export type ChannelState = 'absent' | 'unverified' | 'unsafe' | 'stale' | 'safe';

/** A verification older than this is asked for again before anything is sent. */
export const verificationMaxAgeSeconds = () => policy.contactVerificationMaxAgeDays * policy.daySeconds;

export function channelState(
  kase: Pick<CaseRecord, 'victim' | 'contactVerified'>,
  channel: Channel,
  now: string,
): ChannelState {
  const c = kase.victim.contact;
  if ((channel === 'sms' ? c.phone : c.postalAddress) === undefined) return 'absent';
  const v = kase.contactVerified[channel];
  if (!v) return 'unverified';
  if (v.safe === false) return 'unsafe';
  return Date.parse(now) - Date.parse(v.at) > verificationMaxAgeSeconds() * 1000 ? 'stale' : 'safe';
}

/** What the API shows of each channel: `true` only for a channel verified safe and recently. */
export const contactVerifiedView = (kase: Pick<CaseRecord, 'victim' | 'contactVerified'>, now: string) => ({
  sms: channelState(kase, 'sms', now) === 'safe',
  letter: channelState(kase, 'letter', now) === 'safe',
});

export interface DeliveryPlan {
  /** Channels to verify (again) before anything is sent: the workflow waits on CONTACT_VERIFICATION. */
  verify: Channel[];
  /** The letter goes by post (Notify). */
  byPost: boolean;
  /** The SMS asking the victim to contact the officer goes (Notify). */
  bySms: boolean;
  /**
   * Told in person: `HANDOVER` when the victim chose it (or chose SMS, which never carries the disclosure, or has
   * no address), `IN_PERSON_DISCLOSURE` when no written channel is left that is safe.
   */
  inPerson?: 'HANDOVER' | 'IN_PERSON_DISCLOSURE';
}

/**
 * How the disclosure reaches the victim, judged when it is about to be sent.
 * The channels the victim's choice calls for must be verified, and recently:
 * the letter when post is the channel, the phone unless the victim chose to be
 * told in person (then an SMS goes only to a phone already verified safe). A
 * channel recorded unsafe is left out; with no safe written channel left the
 * disclosure is made in person.
 */
export function deliveryPlan(kase: Pick<CaseRecord, 'victim' | 'contactVerified'>, now: string): DeliveryPlan {
  const preferred = kase.victim.contact.preferredChannel;
  const sms = channelState(kase, 'sms', now);
  const letter = channelState(kase, 'letter', now);
  const pending = (s: ChannelState) => s === 'unverified' || s === 'stale';
  const verify: Channel[] = [
    ...(preferred === 'letter' && pending(letter) ? (['letter'] as const) : []),
    ...(preferred !== 'in_person' && pending(sms) ? (['sms'] as const) : []),
  ];
  const byPost = preferred === 'letter' && letter === 'safe';
  const bySms = sms === 'safe';
  const inPerson =
    preferred === 'in_person' ? 'HANDOVER' : byPost ? undefined : bySms ? 'HANDOVER' : 'IN_PERSON_DISCLOSURE';
  return { verify, byPost, bySms, ...(inPerson ? { inPerson } : {}) };
}

/** Why an SMS to the phone cannot go, by where the phone stands. */
const SMS_NOT_SENT: Record<ChannelState, string> = {
  absent: 'no_phone',
  unverified: 'phone_not_verified',
  unsafe: 'phone_unsafe',
  stale: 'phone_verification_stale',
  safe: 'none',
};

/**
 * Why an update SMS (Victims' Code, the arrest track) cannot go to the victim, or `undefined` when it may: the
 * victim chose to be told in person (the preferred channel), or the phone is not verified safe, recently.
 */
export function updateSmsBarred(kase: Pick<CaseRecord, 'victim' | 'contactVerified'>, now: string): string | undefined {
  if (kase.victim.contact.preferredChannel === 'in_person') return 'victim_prefers_in_person';
  const sms = channelState(kase, 'sms', now);
  return sms === 'safe' ? undefined : SMS_NOT_SENT[sms];
}

/** Nothing is left to verify before the disclosure goes. */
export const contactReady = (kase: Pick<CaseRecord, 'victim' | 'contactVerified'>, now: string) =>
  deliveryPlan(kase, now).verify.length === 0;

const sameAddress = (a: VictimContact['postalAddress'], b: VictimContact['postalAddress']) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * New contact details, in the shape they were given at opening. A changed
 * phone loses the SMS verification (and an unsafe mark: the new number is
 * judged on its own), a changed address the letter's. Refused on a closed or
 * rejected case. Returns the case and what changed.
 */
export function changeContact(
  kase: CaseRecord,
  contact: VictimContact,
): { kase: CaseRecord; changed: (keyof VictimContact)[] } {
  if (isFinal(kase.stage)) throw new WrongStage(`the case is ${kase.stage}: its contact details are kept as they were`);
  const old = kase.victim.contact;
  const changed = (['preferredChannel', 'phone', 'postalAddress', 'safeTimes'] as const).filter((k) =>
    k === 'postalAddress' ? !sameAddress(old.postalAddress, contact.postalAddress) : old[k] !== contact[k],
  );
  const contactVerified = { ...kase.contactVerified };
  if (changed.includes('phone')) delete contactVerified.sms;
  if (changed.includes('postalAddress')) delete contactVerified.letter;
  return { kase: { ...kase, victim: { ...kase.victim, contact }, contactVerified }, changed };
}

/**
 * A verification recorded: safe (`verified: true`) or unsafe. A channel
 * recorded unsafe stays unsafe until its details change (409). The same
 * person confirming the same thing again, while their verification is still
 * current (their first answer lost on the way back), is the same verification.
 */
export function recordVerification(
  kase: CaseRecord,
  channel: Channel,
  verification: ContactVerification,
  now: string,
): { kase: CaseRecord; verification: ContactVerification; repeated: boolean } {
  const state = channelState(kase, channel, now);
  const earlier = kase.contactVerified[channel];
  const safe = verification.safe !== false;
  if (state === 'unsafe' && safe)
    throw new ChannelUnsafe(
      `the ${channel === 'sms' ? 'phone' : 'postal address'} was recorded unsafe: it is used again only once its details change and the new ones are verified`,
    );
  const repeated =
    !!earlier &&
    state !== 'stale' &&
    earlier.by.sub === verification.by.sub &&
    earlier.note === verification.note &&
    (earlier.safe !== false) === safe;
  if (repeated) return { kase, verification: earlier, repeated };
  return {
    kase: { ...kase, contactVerified: { ...kase.contactVerified, [channel]: verification } },
    verification,
    repeated,
  };
}
