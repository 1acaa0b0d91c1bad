/**
 * Every number the process runs on, in one place. Each says where it comes
 * from: a published source, or "default" where no published number exists and
 * a force may choose its own.
 */
const HOUR = 3600;
const DAY = 24 * HOUR;

export const policy = {
  /** Default: a supervisor decides a gate within a working day before it escalates one rank up. */
  gateDecisionSeconds: {
    data_request: 24 * HOUR,
    identification: 24 * HOUR,
    disclosure: 24 * HOUR,
    delay: 24 * HOUR,
  },
  /** Default (DOMAIN.md step 8): the right-to-know proposal is due within 24 hours of identification approval. */
  disclosureDecisionSeconds: 24 * HOUR,
  /** Default: the investigator proposes a suspect within 7 days of the last return. */
  identificationProposalSeconds: 7 * DAY,
  /** Default: an arrest outcome is recorded within 7 days of the tasking. */
  arrestOutcomeSeconds: 7 * DAY,
  /** Default: the victim's contact is verified safe within 2 days of approval. */
  contactVerificationSeconds: 2 * DAY,
  /** Default: an in-person handover happens within 3 days of approval. */
  handoverSeconds: 3 * DAY,
  /** Default (DOMAIN.md step 3): chase a platform or ISP return after 14 days. */
  returnChaseSeconds: 14 * DAY,
  /** Default (DOMAIN.md step 3): give up on a return after 60 days. */
  returnGiveUpSeconds: 60 * DAY,
  /** US providers preserve records for 90 days (18 U.S.C. 2703(f)); extendable by 90. */
  preservationDays: 90,
  /** Default: warn the SPoC to renew preservation at day 75. */
  preservationRenewalWarningDays: 75,
  /** Domestic-abuse disclosure scheme's ceiling for a delay before the decision is reviewed. */
  maxDelayDays: 28,
  /** Investigatory Powers Act 2016 s.61A: urgent authorisations last 3 days. */
  urgentAuthorisationDays: 3,
  /** Investigatory Powers Act 2016 Part 3: a normal authorisation lasts one month. */
  normalAuthorisationMonths: 1,
  /** Victims' Code right 6: update within 5 working days, 1 with enhanced rights. */
  victimUpdateWorkingDays: { standard: 5, enhanced: 1 },
  /** DOMAIN.md step 5: never fewer than two independent corroborating points. */
  minCorroboratingPoints: 2,
  /** A Standard execution lives at most a year: hand over to a fresh one well before. */
  executionHandoverSeconds: 300 * DAY,
  /** API.md: a rationale is 10 to 4,000 characters. */
  rationaleLength: { min: 10, max: 4000 },
  /** API.md: bodies over 1 MiB are refused. */
  maxBodyBytes: 1024 * 1024,
  daySeconds: DAY,
} as const;

export type Policy = typeof policy;
