import type {
  ArrestInput,
  Authorisation,
  CaseInput,
  ClosureProposalInput,
  IdentificationInput,
  ReturnInput,
} from '../schemas/api.js';
import type { ProtectionOrderInput, VictimUpdateInput } from '../schemas/afterIdentification.js';
import type { SafeTimeHold } from './safeTimes.js';
import type { Gate } from './gates.js';
import type { Rank } from './ranks.js';
import type { Stage } from './stages.js';
import type { TaskName } from './tasks.js';
import type { NormalisedTime } from './time.js';

/** The records the `cases` table holds. Plain data: the adapters store them, the domain reasons over them. */

export type ArrestOutcome = ArrestInput['outcome'];
export type VictimUpdateHow = VictimUpdateInput['how'];
export type SpoDecision = Omit<ProtectionOrderInput, 'arrestIndex'>;

export type AccountRecord = CaseInput['accounts'][number] & { accountId: string };

export interface Person {
  sub: string;
  name: string;
}

export interface IdentificationRecord extends Omit<IdentificationInput, 'rationale'> {
  proposalId: string;
  rationale: string;
  proposedBy: Person;
  proposedAt: string;
  status: 'proposed' | 'approved' | 'rejected';
  /** The accounts the standing points tie to the suspect: the only ones a letter attributes to them. */
  accountIds?: string[];
}

export interface DisclosureProposalRecord {
  proposalId: string;
  action: 'disclose' | 'delay';
  ground?: string;
  reviewInDays?: number;
  rationale: string;
  proposedBy: Person;
  proposedAt: string;
  status: 'proposed' | 'approved' | 'rejected';
}

export interface DelayRecord {
  proposalId: string;
  ground: string;
  reviewInDays: number;
  approvedAt: string;
  reviewAt: string;
  /** A proposal to disclose ended the delay before its review date (domain/disclosureProposal.ts). */
  endedEarly?: { at: string; by: Person; proposalId: string };
}

export interface ArrestRecord {
  outcome: ArrestOutcome;
  at: string;
  recordedBy: Person;
  recordedAt: string;
  /** The investigator told the victim of this outcome themselves: no update SMS is sent for it. */
  victimInformed?: { how: VictimUpdateHow; at: string };
  /** When the workflow opened what this outcome calls for (domain/arrestTrack.ts). */
  handledAt?: string;
}

/** Something the arrest track owes by a time: due, escalated once when past due, done. */
export interface FollowUpRecord {
  /** The outcome (index into `arrests`) that called for it. */
  arrestIndex: number;
  dueAt: string;
  escalatedAt?: string;
  doneAt?: string;
}

/** Victims' Code: the victim told of an arrest-track outcome, by the update SMS or by the investigator. */
export interface VictimUpdateRecord extends FollowUpRecord {
  by?: 'sms' | 'investigator';
  how?: VictimUpdateHow;
  /** The Notify reference of the update SMS. */
  reference?: string;
  recordedBy?: Person;
  /** Why no SMS went (no phone verified safe, Notify refused it): the investigator tells the victim and records it. */
  smsNotSent?: string;
}

export interface SpoDecisionRecord extends SpoDecision {
  recordedBy: Person;
  recordedAt: string;
}

/** A Stalking Protection Order considered on an outcome; a full order made brings the subject's 3-day notification. */
export interface SpoConsiderationRecord extends FollowUpRecord {
  trigger: ArrestOutcome;
  decisions: SpoDecisionRecord[];
  /** An order sought (or an interim one decided) awaits the court's decision on it. */
  application?: FollowUpRecord;
  notification?: FollowUpRecord & {
    notified?: boolean;
    at?: string;
    recordedBy?: Person;
    /** Recorded as not notified, the subject notified later: when, and who recorded it. */
    late?: { at: string; recordedBy: Person };
  };
  /** The subject did not notify in time: the owner follows the breach up until the notification is recorded. */
  missedNotification?: FollowUpRecord;
}

/** The prison service asked to block the offender's contact with the victim, until it confirms. */
export interface PrisonContactBlockRecord extends FollowUpRecord {
  eventId: string;
  requestedAt: string;
  publishedAt?: string;
  confirmedBy?: Person;
  prisonReference?: string;
}

export interface ArrestTrackRecord {
  /** The next outcome expected, and by when; none once the track has reached a final outcome. */
  expectedOutcome?: FollowUpRecord;
  victimUpdates: VictimUpdateRecord[];
  spoConsiderations: SpoConsiderationRecord[];
  prisonContactBlocks: PrisonContactBlockRecord[];
  endedAt?: string;
}

/** A referral to a support service, made only with the victim's consent; what was shared is named, never copied. */
export interface ReferralRecord {
  referralId: string;
  service: string;
  consent: { given: true; recordedAt: string; how: string };
  shared: string[];
  /** HMAC-SHA-256 of the values shared (domain/audit.ts keyedDigestOf): proves them to the force, gives nothing away to a reader. */
  sharedDigest: string;
  referredBy: Person;
  referredAt: string;
}

/** A case handed from one officer to another (docs/api.md, the case owner). */
export interface OwnerTransferRecord {
  transferId: string;
  from: Person;
  to: Person;
  by: Person;
  at: string;
  reason: string;
}

export interface ClosureRecord {
  reason: string;
  decidedBy: Person;
  decidedAt: string;
  /** Closed without a suspect: the approved proposal (domain/closureProposal.ts), its rationale, and how the victim was told. */
  proposalId?: string;
  rationale?: string;
  victimTold?: { how: 'sms' | 'letter' | 'in_person'; at: string } | { how: 'not_told'; because: 'declined' };
  /** Notify's failure receipt for that message (domain/delivery.ts): the victim is to be told in person. */
  receiptFailure?: { reference: string; channel: 'sms' | 'letter'; status: string; at: string };
}

/** A proposal to close the case before identification is approved, decided at the `closure` gate. */
export interface ClosureProposalRecord {
  proposalId: string;
  reason: ClosureProposalInput['reason'];
  rationale: string;
  proposedBy: Person;
  proposedAt: string;
  /** The stage the case was at: a rejection leaves it there. */
  stage: Stage;
  status: 'proposed' | 'approved' | 'rejected';
}

/** The victim's choice about being told (docs/process.md, the victim's choice), as the investigator recorded it. */
export interface VictimChoiceRecord {
  choice: 'wants_to_know' | 'declines';
  channel?: 'letter' | 'sms' | 'in_person';
  /** A support worker (an IDVA or ISAC) will be present when the victim is told. */
  supportPresent?: boolean;
  note: string;
  by: Person;
  at: string;
}

export interface ContactVerification {
  by: Person;
  at: string;
  note: string;
  /** `false`: the channel was recorded unsafe (domain/contact.ts); absent on records made before it could be. */
  safe?: boolean;
}

export interface NotificationRecord {
  reference: string;
  purpose: string;
  channel: 'sms' | 'letter';
  notifyId: string;
  status: string;
  at: string;
}

export interface DisclosureRecord {
  version: number;
  approvedAt: string;
  channel: 'letter' | 'sms' | 'in_person';
  letterKey?: string;
  letterSha256?: string;
  sentAt?: string;
  handedOverAt?: string;
  /** Notify refused a send for good: the investigator delivers it another way. */
  failedAt?: string;
  failure?: string;
  /** Notify's receipt said the letter or SMS failed (domain/delivery.ts): delivery is reopened until a handover. */
  receiptFailure?: { reference: string; channel: 'sms' | 'letter'; status: string; at: string };
}

export interface CaseRecord {
  caseId: string;
  force: string;
  crimeReference: string;
  offence: CaseInput['offence'];
  summary: string;
  victim: CaseInput['victim'];
  risk: CaseInput['risk'];
  accounts: AccountRecord[];
  stage: Stage;
  createdBy: Person;
  /** The officer who owns the case (a `sub`): the opener, or the last transfer's new owner (domain/ownership.ts). */
  owner?: string;
  /** Every transfer of the case's ownership, oldest first: who handed it on, to whom, when and why. */
  ownerTransfers?: OwnerTransferRecord[];
  /** The summary the lists show (domain/caseSummary.ts caseSummary), kept true by every write that changes it. */
  openTasks?: { task: string; dueAt: string; overdue: boolean }[];
  nextDeadline?: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  executionName?: string;
  authorisation?: Authorisation & { approvalId: string; recordedBy: Person };
  identification?: IdentificationRecord;
  /** Proposals rejected at gate 2 before the current one, oldest first: gate 2 shows them. */
  earlierIdentifications?: IdentificationRecord[];
  disclosureProposal?: DisclosureProposalRecord;
  delays: DelayRecord[];
  disclosure?: DisclosureRecord;
  arrests: ArrestRecord[];
  arrestTasking?: { raisedAt: string; eventId: string };
  arrestTrack?: ArrestTrackRecord;
  referrals?: ReferralRecord[];
  closure?: ClosureRecord;
  closureProposal?: ClosureProposalRecord;
  /** Every choice the victim made about being told, oldest first: the last one stands (domain/victimChoice.ts). */
  victimChoices?: VictimChoiceRecord[];
  contactVerified: { sms?: ContactVerification; letter?: ContactVerification };
  notifications: NotificationRecord[];
  /** Messages to the victim held for their next safe window, by message (domain/safeTimes.ts): made once, kept. */
  safeTimeHolds?: Record<string, SafeTimeHold>;
}

/** `withdrawn`: what it decided no longer stands (a closure proposed, or the victim declined): nobody decides it. */
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'escalated' | 'withdrawn';

export interface ApprovalRecord {
  approvalId: string;
  caseId: string;
  force: string;
  gate: Gate;
  requiredRank: Rank;
  status: ApprovalStatus;
  /** The proposal this approval decides; a new proposal after a rejection gets a new approval. */
  subjectId: string;
  requestedBy: Person;
  proposedBy?: Person;
  /** What the queue shows and decides on without reading the case: its reference, who opened it, who decided the separated gate. */
  crimeReference?: string;
  caseCreatedBy?: string;
  otherDeciders?: string[];
  /** At the `closure` gate: why the investigator proposes closing, shown in the queue beside the gate. */
  closureReason?: ClosureProposalInput['reason'];
  createdAt: string;
  dueAt: string;
  overdue: boolean;
  escalatedFrom?: string;
  decision?: 'approve' | 'reject';
  rationale?: string;
  decidedBy?: Person;
  decidedRank?: Rank;
  decidedAt?: string;
  authorisation?: Authorisation;
  withdrawnAt?: string;
  withdrawnBecause?: 'closure_proposed' | 'victim_declined';
  /** The execution whose wait holds the approval (a resumed wait keeps its first due time: domain/clock.ts). */
  execution?: string;
}

export interface TaskRecord {
  caseId: string;
  /** TASK name, or REQUEST_RETURN#<requestId>. */
  key: string;
  task: TaskName;
  status: 'open' | 'done';
  openedAt: string;
  dueAt: string;
  overdue: boolean;
  requestId?: string;
  result?: Record<string, unknown>;
  doneAt?: string;
  /** The execution whose wait holds the task (a resumed wait keeps its first due time: domain/clock.ts). */
  execution?: string;
}

export type RequestKind = 'platform_preservation' | 'platform_disclosure' | 'isp_resolution';
export type RequestStatus = 'sent' | 'acknowledged' | 'awaiting_return' | 'returned' | 'abandoned';

export interface IpEvent {
  ip: string;
  port?: number;
  at: NormalisedTime;
  kind: string;
}

export interface NormalisedReturn {
  receivedAt: string;
  subscriber?: { name?: string; emails: string[]; phones: string[]; createdAt?: string };
  /**
   * The IP events ISP look-ups are made for on their own (at most policy.ispRequestsPerAccount, newest distinct
   * address and port first). The whole log, when it holds more, is `ipLog` (gzip of its JSON), `ipEventCount` long.
   */
  ipEvents: IpEvent[];
  ipEventCount?: number;
  ipLog?: Uint8Array;
  installationAddress?: ReturnInput['installationAddress'];
  billingAddress?: ReturnInput['billingAddress'];
  rawSha256: string;
  rawKey?: string;
  flags: string[];
}

export interface RequestRecord {
  requestId: string;
  caseId: string;
  /** The case's force and reference, for the SPoC's queue across the force. */
  force?: string;
  crimeReference?: string;
  kind: RequestKind;
  target: string;
  accountId?: string;
  accountHandle?: string;
  ip?: string;
  port?: number;
  eventAt?: string;
  /** A local time the clocks showed twice: both instants, earlier first (eventAt is the first); the ISP is asked for both. */
  atCandidates?: [string, string];
  sourceRequestId?: string;
  /** An ISP look-up the SPoC chose from the events beyond the bound, and who chose it. */
  chosenBy?: Person;
  /** The return came in after the communications data authorisation had expired: a possible reportable error. */
  afterAuthorisationExpiry?: boolean;
  status: RequestStatus;
  createdAt: string;
  dueAt: string;
  tipOffRisk: boolean;
  chasedAt?: string;
  returnedAt?: string;
  abandonedAt?: string;
  returned?: NormalisedReturn;
  /** Warnings a person must see, e.g. cgnat_without_port. */
  flags?: string[];
}
