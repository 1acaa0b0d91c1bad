/**
 * The API's fixed lists, as plain values (no zod): a domain module that
 * needs one imports it from here, not from a schema module, so it carries
 * no schema it does not parse.
 */
export const OFFENCES = [
  'stalking_s2a',
  'stalking_fear_violence_s4a',
  'harassment_s2',
  'malicious_communications',
] as const;
export const PLATFORMS = [
  'meta',
  'instagram',
  'whatsapp',
  'google',
  'youtube',
  'x',
  'snap',
  'tiktok',
  'microsoft',
  'discord',
  'other',
] as const;
export const CHANNELS = ['letter', 'sms', 'in_person'] as const;
/** docs/api.md, closing without a suspect: why a case closes before anyone is identified. */
export const CLOSURE_REASONS = ['no_suspect_identified', 'victim_withdrew', 'other'] as const;
export const DELAY_GROUNDS = [
  'prejudice_investigation',
  'risk_to_suspect_or_others',
  'identification_unsafe',
  'victim_safety_plan_pending',
  'other',
] as const;
/** The three first outcomes (docs/api.md); then what the case records as it goes on (domain/arrestTrack.ts says which may follow which). */
export const ARREST_OUTCOMES = [
  'arrested',
  'voluntary_interview',
  'not_located',
  'bail',
  'released_under_investigation',
  'charged',
  'remanded_in_custody',
  'no_further_action',
  'convicted',
  'acquitted',
  'custodial_sentence',
  'community_sentence',
  'released_from_custody',
] as const;
export const POINT_KINDS = ['ip_resolution', 'email', 'phone', 'installation_address', 'other'] as const;
