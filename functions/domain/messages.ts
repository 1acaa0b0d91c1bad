import type { ArrestOutcome, CaseRecord } from './records.js';
import { forbiddenSmsWord } from './smsWords.js';
import { FlowInvariantBroken } from './errors.js';

/**
 * What the victim is sent. The SMS may be read by the stalker on the victim's
 * phone: it never names the suspect, the offence, or says "stalking"; it asks
 * the victim to contact the officer, with the reference.
 */
export const LETTER_TEMPLATE_VERSION = 'disclosure-letter/1';
export const SMS_TEMPLATES = {
  disclosure: 'sms-contact-officer/1',
  victim_update: 'sms-victim-update/1',
  not_traced: 'sms-not-traced/1',
} as const;
export type SmsPurpose = keyof typeof SMS_TEMPLATES;

export interface Officer {
  name: string;
  phone: string;
  force: string;
}

export function smsBody(purpose: SmsPurpose, crimeReference: string, officer: Officer): string {
  if (purpose === 'not_traced')
    // Only to a phone verified safe: it says the enquiry ended, never what it was about or whom it concerned.
    return `${officer.force}: ${officer.name} here about your report ${crimeReference}. We have not been able to trace the account that contacted you, and the enquiry has now closed. Please call ${officer.phone} if you would like to talk it through.`;
  const ask =
    purpose === 'disclosure'
      ? 'has an update for you and would like to speak with you'
      : 'has news about your report and would like to speak with you';
  return `${officer.force}: ${officer.name} ${ask}. Please call ${officer.phone} and quote ${crimeReference}.`;
}

/** How each offence is named: none of these may reach an SMS. */
const OFFENCE_LABELS: Record<CaseRecord['offence'], string[]> = {
  stalking_s2a: ['stalking_s2a', 'stalking', 'section 2A'],
  stalking_fear_violence_s4a: ['stalking_fear_violence_s4a', 'fear of violence', 'section 4A'],
  harassment_s2: ['harassment_s2', 'harassment', 'section 2'],
  malicious_communications: ['malicious_communications', 'malicious communication'],
};

/**
 * The SMS would break its content rule: a body this check refuses is never
 * sent. Permanent (the same case gives the same body), so the step is parked
 * for a supervisor rather than retried; the message names the rules broken,
 * never the text.
 */
export class SmsContentRefused extends Error {
  override readonly name = 'SmsContentRefused';
  constructor(readonly rules: string[]) {
    super(`the SMS was not sent: it would carry ${rules.join(', ')}`);
  }
}

const holdsPhrase = (text: string, phrase: string) => {
  const escaped = phrase.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return escaped !== '' && new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
};

/**
 * The last look at an SMS body before it goes: no forbidden word, no offence
 * label, and nothing that names the suspect (their name, an alias, an
 * account handle). Returns the body, or throws SmsContentRefused.
 */
export function checkedSmsBody(body: string, kase: CaseRecord): string {
  const rules: string[] = [];
  if (forbiddenSmsWord(body)) rules.push('a forbidden word');
  const lower = body.toLowerCase();
  if (OFFENCE_LABELS[kase.offence].some((label) => lower.includes(label.toLowerCase()))) rules.push('the offence');
  const suspect = kase.identification?.suspect;
  const names = [...(suspect ? [suspect.name, ...suspect.aliases] : []), ...kase.accounts.map((a) => a.handle)];
  if (names.some((n) => holdsPhrase(body, n))) rules.push("the suspect's name");
  if (rules.length) throw new SmsContentRefused(rules);
  return body;
}

export interface LetterContent {
  templateVersion: string;
  force: string;
  reference: string;
  /** When the letter is dated from (its approval), or a calendar date: it prints the day in England (englandDates.ts). */
  date: string;
  salutation: string;
  /** The victim's postal address, printed only on a letter that goes by post. */
  recipient?: { name: string; lines: string[]; postcode: string };
  paragraphs: { heading: string; lines: string[] }[];
  officer: Officer;
}

const STATUS_TEXT: Record<ArrestOutcome | 'none', string> = {
  arrested: 'has been arrested and is under investigation',
  voluntary_interview: 'has been interviewed under caution and is under investigation',
  not_located: 'is under investigation; officers are seeking to locate them',
  bail: 'has been released on bail with conditions while the case continues',
  released_under_investigation: 'has been released while the investigation continues',
  charged: 'has been charged and the case will go to court',
  no_further_action: 'will face no further action at present',
  convicted: 'has been convicted',
  acquitted: 'was found not guilty by the court',
  custodial_sentence: 'has been convicted and sentenced to custody',
  community_sentence: 'has been convicted and given a community sentence',
  remanded_in_custody: 'has been remanded in custody by the court',
  released_from_custody: 'has been released from custody',
  none: 'is under investigation',
};
/** The Stalking Protection Orders made on the case, latest last. */
function ordersInPlace(kase: CaseRecord): { considered: string; conditions: string[] }[] {
  return (kase.arrestTrack?.spoConsiderations ?? []).flatMap((s) =>
    s.decisions.flatMap((d) =>
      d.decision === 'made' && d.order ? [{ considered: d.considered, conditions: d.order.conditions }] : [],
    ),
  );
}

const EMERGENCY_LINE =
  'If you are in immediate danger, call 999. If you cannot speak, call 999 and press 55 when asked.';
const SUPPORT_PARAGRAPH = {
  heading: 'Support',
  lines: ['The National Stalking Helpline: 0808 802 0300.', 'Victim Support: 0808 16 89 111, free and confidential.'],
};

/** What every letter to the victim opens with; their postal address only on a letter that goes by post. */
function letterHead(kase: CaseRecord, officer: Officer, date: string, templateVersion: string, byPost: boolean) {
  const address = kase.victim.contact.postalAddress;
  return {
    templateVersion,
    force: officer.force,
    reference: kase.crimeReference,
    date,
    salutation: `Dear ${kase.victim.name}`,
    ...(byPost && address
      ? { recipient: { name: kase.victim.name, lines: address.lines, postcode: address.postcode } }
      : {}),
  };
}

/** After a conviction (a remand or release may come after it) the presumption of innocence no longer applies. */
const PROVEN: readonly ArrestOutcome[] = ['convicted', 'custodial_sentence', 'community_sentence'];

/**
 * docs/process.md step 9. Contains: reference and date; the suspect's name and
 * aliases; the accounts linked to them; their status with the presumption of
 * innocence; conditions; how to report a breach; 999 and support; the
 * officer; a confidentiality request. Never: the suspect's address or
 * workplace, the evidence, the data sources or methods, third parties' data.
 */
export function letterContent(
  kase: CaseRecord,
  officer: Officer,
  date: string,
  options: { byPost?: boolean } = {},
): LetterContent {
  const suspect = kase.identification?.suspect;
  if (!suspect) throw new FlowInvariantBroken('a disclosure letter needs an approved identification');
  const latestArrest = kase.arrests.at(-1)?.outcome ?? 'none';
  const aliases = suspect.aliases.length ? ` (also known as ${suspect.aliases.join(', ')})` : '';
  const linked = new Set(kase.identification!.points.map((p) => p.requestId));
  // Only the accounts a standing point tied to the suspect: an untraced or unrelated account is never put to a named person.
  const tied = new Set(kase.identification!.accountIds ?? []);
  const accounts = kase.accounts.filter((a) => tied.has(a.accountId)).map((a) => `${a.handle} on ${a.platform}`);
  return {
    ...letterHead(kase, officer, date, LETTER_TEMPLATE_VERSION, !!options.byPost),
    paragraphs: [
      {
        heading: 'Why we are writing to you',
        lines: [
          `You reported being contacted by an online account that did not show who was behind it (our reference ${kase.crimeReference}).`,
          'You have a right to know who we believe is responsible, and we are telling you at the earliest opportunity.',
        ],
      },
      {
        heading: 'Who we believe is responsible',
        lines: [
          `We believe the person responsible is ${suspect.name}${aliases}.`,
          accounts.length ? `We believe they used these accounts: ${accounts.join('; ')}.` : '',
          linked.size ? 'We are confident in this identification.' : '',
        ].filter(Boolean),
      },
      {
        heading: 'Where the investigation is now',
        lines: [
          `This person ${STATUS_TEXT[latestArrest]}.`,
          kase.arrests.some((a) => PROVEN.includes(a.outcome))
            ? 'A court has found them guilty.'
            : 'They are presumed innocent unless and until they are proved guilty in court.',
          ...ordersInPlace(kase).map(
            (o) =>
              `A${o.considered === 'interim' ? 'n interim' : ''} Stalking Protection Order is in place. Its conditions: ${o.conditions.join('; ')}.`,
          ),
          'If bail conditions or a Stalking Protection Order are put in place, we will tell you what they are.',
        ],
      },
      {
        heading: 'If they contact you',
        lines: [
          `If this person contacts you, or you see them near you, tell us quoting ${kase.crimeReference}. Keep any messages as evidence.`,
          EMERGENCY_LINE,
        ],
      },
      SUPPORT_PARAGRAPH,
      {
        heading: 'Please keep this letter private',
        lines: [
          'Please do not share this person’s name publicly or on social media: doing so could harm the investigation or your safety.',
        ],
      },
    ],
    officer,
  };
}

export const NOT_TRACED_LETTER_TEMPLATE_VERSION = 'not-traced-letter/1';

/**
 * docs/process.md, closing without a suspect: the letter telling the victim the account could not be traced.
 * It names no one (there is no suspect), and says what the victim can still do.
 */
export function notTracedLetterContent(kase: CaseRecord, officer: Officer, date: string): LetterContent {
  return {
    ...letterHead(kase, officer, date, NOT_TRACED_LETTER_TEMPLATE_VERSION, true),
    paragraphs: [
      {
        heading: 'Why we are writing to you',
        lines: [
          `You reported being contacted by an online account that did not show who was behind it (our reference ${kase.crimeReference}).`,
          'We asked the companies involved for the records that could show who used the account.',
        ],
      },
      {
        heading: 'What we found',
        lines: [
          'We have not been able to trace who was behind the account, and we have closed this enquiry.',
          'If new information comes to light, we will look at it again.',
        ],
      },
      {
        heading: 'If you are contacted again',
        lines: [
          `If the account or anyone else contacts you, tell us quoting ${kase.crimeReference}. Keep any messages as evidence.`,
          EMERGENCY_LINE,
        ],
      },
      SUPPORT_PARAGRAPH,
    ],
    officer,
  };
}

/** Every piece of text the letter will show, for checking what it must and must not contain. */
export function letterText(content: LetterContent): string {
  return [
    content.force,
    content.reference,
    content.date,
    content.salutation,
    ...(content.recipient ? [content.recipient.name, ...content.recipient.lines, content.recipient.postcode] : []),
    ...content.paragraphs.flatMap((p) => [p.heading, ...p.lines]),
    content.officer.name,
    content.officer.phone,
  ].join('\n');
}
