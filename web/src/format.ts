import type {
  ProtectionOrderInput,
  ReferralInput,
  VictimUpdateInput,
} from '../../functions/schemas/afterIdentification.js';
import { TASK_CONSOLE, TRACK_TASKS } from '../../functions/domain/tasks.js';

/** Words for the API's codes, and times as people read them (Europe/London). */
export const STAGE_LABELS: Record<string, string> = {
  DATA_REQUEST_APPROVAL: 'Data request approval',
  PLATFORM_REQUESTS: 'Platform requests',
  ISP_RESOLUTION: 'ISP resolution',
  IDENTIFICATION: 'Identification',
  IDENTIFICATION_APPROVAL: 'Identification approval',
  DISCLOSURE_DECISION: 'Disclosure decision',
  DISCLOSURE_APPROVAL: 'Disclosure approval',
  DELAY_APPROVAL: 'Delay approval',
  DELAYED: 'Delayed',
  DISCLOSURE_DELIVERY: 'Disclosure delivery',
  AFTER_DISCLOSURE: 'After disclosure',
  DISCLOSURE_DECLINED: 'Disclosure declined by the victim',
  CLOSED: 'Closed',
  REJECTED: 'Rejected',
};
export const FINAL_STAGES = ['CLOSED', 'REJECTED'];

/** A task's words: the registry's (functions/domain/tasks.ts), and a pending approval's by the stage it holds. */
export const TASK_LABELS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(TASK_CONSOLE).map(([k, t]) => [k, t.label])),
  ...Object.fromEntries(Object.entries(TRACK_TASKS).map(([k, t]) => [k, t.label])),
  CLOSURE_APPROVAL: 'Close without a suspect (supervisor)',
  ...Object.fromEntries(Object.entries(STAGE_LABELS).map(([k, v]) => [k, `${v} (supervisor)`])),
};

/** Where a contact channel stands (GET /cases/{caseId} contactChannels). */
export const CONTACT_STATE_LABELS: Record<string, string> = {
  absent: 'none on file',
  unverified: 'not yet verified',
  unsafe: 'unsafe, never used',
  stale: 'verified over 28 days ago, to verify again',
  safe: 'verified safe',
};

export const GATE_LABELS: Record<string, string> = {
  data_request: 'Data request',
  identification: 'Identification',
  disclosure: 'Disclosure',
  delay: 'Delay',
  closure: 'Close without a suspect',
};

/** Why a case closes without a suspect (docs/api.md). */
export const CLOSURE_REASON_LABELS: Record<string, string> = {
  no_suspect_identified: 'No suspect could be identified',
  victim_withdrew: 'The victim withdrew',
  other: 'Another reason',
};

export const RANK_LABELS: Record<string, string> = {
  constable: 'Constable',
  sergeant: 'Sergeant',
  inspector: 'Inspector',
  chief_inspector: 'Chief inspector',
  superintendent: 'Superintendent',
};

export const OFFENCE_LABELS: Record<string, string> = {
  stalking_s2a: 'Stalking (s.2A Protection from Harassment Act 1997)',
  stalking_fear_violence_s4a: 'Stalking involving fear of violence (s.4A)',
  harassment_s2: 'Harassment (s.2)',
  malicious_communications: 'Malicious communications',
};

export const PLATFORM_LABELS: Record<string, string> = {
  meta: 'Meta (Facebook)',
  instagram: 'Instagram',
  whatsapp: 'WhatsApp',
  google: 'Google',
  youtube: 'YouTube',
  x: 'X',
  snap: 'Snapchat',
  tiktok: 'TikTok',
  microsoft: 'Microsoft',
  discord: 'Discord',
  other: 'Other',
};

export const CHANNEL_LABELS: Record<string, string> = {
  letter: 'Letter by post',
  sms: 'Text message',
  in_person: 'In person',
};

export const DELAY_GROUND_LABELS: Record<string, string> = {
  prejudice_investigation: 'Disclosure would prejudice the investigation',
  risk_to_suspect_or_others: 'Risk to the suspect or others',
  identification_unsafe: 'Identification not yet safe',
  victim_safety_plan_pending: "Victim's safety plan not yet in place",
  other: 'Other (explain in the rationale)',
};

export const REQUEST_KIND_LABELS: Record<string, string> = {
  platform_preservation: 'Preservation',
  platform_disclosure: 'Platform disclosure',
  isp_resolution: 'ISP resolution',
};

export const ARREST_LABELS: Record<string, string> = {
  arrested: 'Arrested',
  voluntary_interview: 'Voluntary interview',
  not_located: 'Not located',
  bail: 'Released on bail',
  released_under_investigation: 'Released under investigation',
  charged: 'Charged',
  no_further_action: 'No further action',
  convicted: 'Convicted',
  acquitted: 'Acquitted',
  remanded_in_custody: 'Remanded in custody',
  custodial_sentence: 'Custodial sentence',
  community_sentence: 'Community sentence',
  released_from_custody: 'Released from custody',
};

/** How the investigator told the victim of an outcome (Victims' Code). */
export const VICTIM_UPDATE_HOW_LABELS: Record<VictimUpdateInput['how'], string> = {
  phone: 'By phone',
  in_person: 'In person',
  letter: 'By letter',
  email: 'By email',
  other: 'Another way (say how in the note)',
};

export const SPO_KIND_LABELS: Record<ProtectionOrderInput['considered'], string> = {
  interim: 'Interim order',
  full: 'Full order',
};

export const SPO_POWER_LABELS: Record<ProtectionOrderInput['power'], string> = {
  application: 'Application to the magistrates',
  on_conviction: "The court's own power on conviction",
  on_acquittal: "The court's own power on acquittal",
};

export const SPO_DECISION_LABELS: Record<ProtectionOrderInput['decision'], string> = {
  not_sought: 'Not sought',
  sought: 'Sought: the court has still to decide',
  made: 'Made by the court',
  refused: 'Refused by the court',
};

export const SUPPORT_SERVICE_LABELS: Record<ReferralInput['service'], string> = {
  stalking_advocate: 'Independent stalking advocate',
  national_helpline: 'National Stalking Helpline',
  victim_support: 'Victim Support',
  local_victim_service: 'Local victim service',
};

export const CONSENT_HOW_LABELS: Record<ReferralInput['consent']['how'], string> = {
  in_person: 'In person',
  phone: 'By phone',
  written: 'In writing',
  electronic: 'Electronically',
};

/** What a referral may pass on, by name: never the suspect. */
export const SHAREABLE_LABELS: Record<ReferralInput['shared'][number], string> = {
  'victim.name': "The victim's name",
  'victim.dateOfBirth': "The victim's date of birth",
  'victim.contact.phone': "The victim's phone number",
  'victim.contact.postalAddress': "The victim's address",
  'victim.contact.safeTimes': 'When it is safe to contact the victim',
  crimeReference: 'The crime reference',
  offence: 'The offence',
  risk: 'The risk assessment',
  officer: 'The officer in the case',
};

export const label = (table: Record<string, string>, code: string | undefined) =>
  code ? (table[code] ?? code.replace(/_/g, ' ')) : '';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/London',
});
export const when = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '–');

export function relative(iso: string, now = Date.now()): string {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  const abs = Math.abs(minutes);
  const span = abs < 90 ? `${abs} min` : abs < 48 * 60 ? `${Math.round(abs / 60)} h` : `${Math.round(abs / 1440)} days`;
  return minutes >= 0 ? `in ${span}` : `${span} ago`;
}

export function stageTagClass(stage: string): string {
  if (stage === 'CLOSED') return 'govuk-tag govuk-tag--grey';
  if (stage === 'REJECTED') return 'govuk-tag govuk-tag--red';
  if (stage.endsWith('_APPROVAL')) return 'govuk-tag govuk-tag--yellow';
  if (stage === 'DELAYED') return 'govuk-tag govuk-tag--orange';
  return 'govuk-tag govuk-tag--blue';
}
