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
    closure: 24 * HOUR,
  },
  /** Default (docs/process.md step 8): the right-to-know proposal is due within 24 hours of identification approval. */
  disclosureDecisionSeconds: 24 * HOUR,
  /** Default: the investigator proposes a suspect within 7 days of the last return. */
  identificationProposalSeconds: 7 * DAY,
  /** Default: an arrest outcome is recorded within 7 days of the tasking. */
  arrestOutcomeSeconds: 7 * DAY,
  /** Default: the victim's contact is verified safe within 2 days of approval. */
  contactVerificationSeconds: 2 * DAY,
  /**
   * Default (our choice, as the domestic-abuse disclosure scheme's 28 days): a verification of the victim's contact
   * details older than this is asked for again before anything is sent; victims change numbers and move.
   */
  contactVerificationMaxAgeDays: 28,
  /** Default: an in-person handover happens within 3 days of approval. */
  handoverSeconds: 3 * DAY,
  /** Default (docs/process.md step 3): chase a platform or ISP return after 14 days. */
  returnChaseSeconds: 14 * DAY,
  /** Default (docs/process.md step 3): give up on a return after 60 days. */
  returnGiveUpSeconds: 60 * DAY,
  /** US providers preserve records for 90 days (18 U.S.C. 2703(f)); extendable by 90. */
  preservationDays: 90,
  /** Default: warn the SPoC to renew preservation at day 75, before the 90 days (preservationDays) lapse. */
  preservationRenewalWarningDays: 75,
  /** Domestic-abuse disclosure scheme's ceiling for a delay before the decision is reviewed. */
  maxDelayDays: 28,
  /**
   * Investigatory Powers Act 2016 Schedule 4 and the Communications Data Code of Practice: in a police force the
   * designated senior officer for an urgent authorisation (s.61A) is an inspector for entity data and a
   * superintendent for events data.
   */
  urgentDsoMinimumRank: { entity: 'inspector', events: 'superintendent' },
  /** Investigatory Powers Act 2016 s.61A: urgent authorisations last 3 days. */
  urgentAuthorisationDays: 3,
  /** Investigatory Powers Act 2016 Part 3: a normal authorisation lasts one month. */
  normalAuthorisationMonths: 1,
  /** Victims' Code right 6: update within 5 working days, 1 with enhanced rights. */
  victimUpdateWorkingDays: { standard: 5, enhanced: 1 },
  /** Default: while the suspect is on bail, released under investigation or awaiting trial, the next outcome is looked for every 28 days. */
  arrestOutcomeReviewDays: 28,
  /**
   * Default: GET /health warns, and the bank holiday alarm fires, once the bank holidays listed (bankHolidays.ts) end
   * within this many days. GOV.UK lists the coming years well ahead; six months leaves time to add the next year long
   * before any working-day deadline (at most 5 working days, victimUpdateWorkingDays) reaches past the table.
   */
  bankHolidayWarningDays: 180,
  /** Default: a Stalking Protection Order is considered within 2 days of an arrest, charge, conviction or acquittal. */
  spoConsiderationDays: 2,
  /** Default: the court's answer to an SPO application (or the full order after an interim one) is recorded within 28 days. */
  spoApplicationDays: 28,
  /** Stalking Protection Act 2019 s.2: a full order's prohibitions last a fixed period of at least 2 years, or until a further order. */
  spoMinimumYears: 2,
  /** Stalking Protection Act 2019 s.9: the subject notifies their names and home address within 3 days beginning with the day of service. */
  spoNotificationDays: 3,
  /** Default: a subject who did not notify in time is followed up (a breach to act on) within 2 days; the task stays open until they notify. */
  spoMissedNotificationDays: 2,
  /** Default: the prison service confirms the block on contact with the victim within 2 days of the request. */
  prisonContactConfirmationDays: 2,
  /** Default: while waiting on the arrest track, the workflow looks again at least once a week. */
  arrestTrackMaxWaitDays: 7,
  /** Default: once both tracks are done, the investigator decides on closing within 14 days. */
  caseClosureSeconds: 14 * DAY,
  /** Published figures: no cell rests on fewer than 5 cases (small-number suppression, as official statistics do). */
  publicationThreshold: 5,
  /** docs/process.md step 5: never fewer than two independent corroborating points. */
  minCorroboratingPoints: 2,
  /**
   * Default (docs/api.md): at most this many ISP look-ups made on their own for one platform account, the
   * newest event of each distinct IP address and port first; the SPoC asks for any of the rest by choice.
   */
  ispRequestsPerAccount: 10,
  /** Default: a SPoC asks for at most this many more ISP look-ups at a time. */
  ispRequestsChosenAtOnce: 50,
  /** Default: a step that failed for good waits this long for a supervisor (retry, or see why) before it is raised one rank. */
  faultResponseSeconds: 4 * HOUR,
  /** A Standard execution lives at most a year: hand over to a fresh one well before. */
  executionHandoverSeconds: 300 * DAY,
  /** docs/api.md: a rationale is 10 to 4,000 characters. */
  rationaleLength: { min: 10, max: 4000 },
  /** docs/api.md: bodies over 1 MiB are refused. */
  maxBodyBytes: 1024 * 1024,
  /** docs/api.md: a list answers pages of 1 to 200 items, 50 unless asked. */
  pageLimit: { default: 50, max: 200 },
  /**
   * Default: an ETag stands for at most this long. Within it a list's tag moves only with its version counter; past it
   * the list is built again, so a deadline passing (overdue) or a write whose counter was lost to a crash shows within it.
   */
  listTagSeconds: 60,
  /** docs/api.md: a case's answer carries its newest 50 timeline entries. */
  caseTimelineEntries: 50,
  /**
   * Default: a case's answer names at most this many other cases for each identifier it shares with them (a name
   * shared by thousands of cases would otherwise make every read of the case fetch all of them).
   */
  duplicateCasesPerIdentifier: 20,
  /** Fixed, not a choice: the seconds in a day (the local stack speeds time up through the workflow's settings, not here). */
  daySeconds: DAY,
  /** Default (DPA 2018 s.62 consultation logging): a person's views of one case within this window are one recorded consultation. */
  viewRecordWindowSeconds: HOUR,
  /**
   * docs/api.md: a crime reference is 3 to 30 capitals, digits, `/`
   * and `-`, starting with a capital or digit. A force may set a stricter
   * pattern in its profile (forces.ts).
   */
  crimeReferencePattern: /^[A-Z0-9][A-Z0-9/-]{2,29}$/,
} as const;

export type Policy = typeof policy;
