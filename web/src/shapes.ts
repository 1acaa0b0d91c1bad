/** Shapes the HTTP API returns (docs/api.md, functions/domain/views.ts): types only, so tests under Node can use them too. */
export interface FieldError {
  path: string;
  message: string;
}
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

export interface OpenTask {
  task: string;
  dueAt: string;
  overdue: boolean;
  /** Arrest-track tasks: the outcome they follow. */
  arrestIndex?: number;
}
export interface CaseSummary {
  caseId: string;
  crimeReference: string;
  stage: string;
  openTasks: OpenTask[];
  nextDeadline: string | null;
  createdBy: string;
  /** Who owns the case (a user id): the opener until it is handed on. */
  owner?: string;
}
/** A workflow step that failed for good, waiting for a supervisor (GET /faults). */
export interface FaultSummary {
  faultId: string;
  caseId: string;
  crimeReference?: string;
  stage?: string;
  state: string;
  error: string;
  requiredRank: string;
  openedAt: string;
  dueAt: string;
  overdue: boolean;
  occurrences: number;
}

export interface ApprovalSummary {
  approvalId: string;
  caseId: string;
  gate: string;
  requiredRank: string;
  requestedBy: string;
  dueAt: string;
  overdue: boolean;
  crimeReference?: string;
  /** At the `closure` gate: why closing is proposed. */
  closureReason?: string;
}
export interface RequestView {
  requestId: string;
  kind: 'platform_preservation' | 'platform_disclosure' | 'isp_resolution';
  target: string;
  accountHandle?: string;
  ip?: string;
  eventAt?: string;
  port?: number;
  status: string;
  dueAt: string;
  tipOffRisk: boolean;
  createdAt: string;
  chasedAt?: string;
  returnedAt?: string;
  flags?: string[];
  /** A local time that happened twice: both UTC instants the ISP is asked about, earlier first. */
  atCandidates?: [string, string];
  sourceRequestId?: string;
  chosenBy?: string;
  /** How many IP events the platform's return holds (ISP look-ups are made for at most ten an account on their own). */
  ipEventCount?: number;
  /** The return came after the authorisation expired: a possible reportable error. */
  afterAuthorisationExpiry?: boolean;
}
/** One row of a platform's IP log (GET /cases/{caseId}/requests/{requestId}/ip-events). */
export interface IpLogRow {
  row: number;
  ip: string;
  port?: number;
  at: string;
  atCandidates?: [string, string];
  original: string;
  timeZone?: string;
  kind: string;
  ispRequestId?: string;
}
/** A proposal rejected at gate 2, with why. */
export interface EarlierProposal {
  proposalId: string;
  suspect: { name: string; aliases: string[] };
  points: CandidatePoint[];
  rationale: string;
  proposedBy: string;
  proposedAt: string;
  rejectedBy?: string;
  rejectedAt?: string;
  rejection?: string;
}
// The API's own types for candidates: one definition, in the domain.
import type { Candidate, CandidatePoint } from '../../functions/domain/correlation.js';
export type { Candidate, CandidatePoint };
export interface TimelineEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  /** The entry as a sentence. */
  text: string;
}

/** A person's view of a case, as the views page lists it (one per person per window): when first, and who. */
export interface ViewEntry {
  at: string;
  actor: string;
}

/** A page of a list (docs/api.md, "Lists are pages"). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface ApprovalView {
  approvalId: string;
  gate: string;
  requiredRank: string;
  status: string;
  requestedBy: string;
  proposedBy?: string;
  dueAt: string;
  overdue: boolean;
  createdAt: string;
}
export interface CaseView {
  caseId: string;
  crimeReference: string;
  offence: string;
  summary: string;
  stage: string;
  createdBy: string;
  /** Who owns the case (a user id), and every hand-over, oldest first. */
  owner: string;
  ownerTransfers: { transferId: string; from: string; to: string; by: string; at: string; reason: string }[];
  createdAt: string;
  version: number;
  victim: {
    name?: string;
    dateOfBirth?: string;
    enhancedRights: boolean;
    contact: {
      preferredChannel: string;
      phone?: string;
      postalAddress?: { lines: string[]; postcode: string };
      safeTimes?: string;
    };
  };
  risk: { four: Record<string, boolean>; sdashYes: number };
  accounts: { platform: string; handle: string; platformUserId?: string; url?: string; accountId: string }[];
  openTasks: OpenTask[];
  nextDeadline: string | null;
  requests: RequestView[];
  approvals: ApprovalView[];
  decisions: {
    approvalId: string;
    gate: string;
    decision: string;
    rationale?: string;
    decidedBy?: string;
    decidedAt?: string;
  }[];
  authorisation?: { route: string; reference: string; dataType: string; expiresAt: string };
  identification?: {
    proposalId: string;
    candidateId?: string;
    suspect: { name: string; aliases: string[]; dateOfBirth?: string };
    points: CandidatePoint[];
    rationale: string;
    proposedBy: { sub: string; name: string };
    proposedAt: string;
    status: string;
  };
  disclosureProposal?: {
    action: string;
    ground?: string;
    reviewInDays?: number;
    rationale: string;
    proposedBy: { sub: string; name: string };
    proposedAt: string;
    status: string;
  };
  closureProposal?: {
    proposalId: string;
    reason: string;
    rationale: string;
    proposedBy: { sub: string; name: string };
    proposedAt: string;
    stage: string;
    status: 'proposed' | 'approved' | 'rejected';
  };
  closure?: {
    reason: string;
    rationale?: string;
    decidedBy: { sub: string; name: string };
    decidedAt: string;
    victimTold?: { how: string; at?: string; because?: string };
    receiptFailure?: { channel: string; status: string; at: string };
  };
  delays: {
    ground: string;
    reviewInDays: number;
    approvedAt: string;
    reviewAt: string;
    endedEarly?: { at: string; by: { sub: string; name: string }; proposalId: string };
  }[];
  disclosure?: {
    version: number;
    approvedAt: string;
    channel: string;
    letterSha256?: string;
    sentAt?: string;
    handedOverAt?: string;
    /** Handed over, or the letter received with nothing failed (Notify's receipts). */
    delivered: boolean;
    receiptFailure?: { channel: string; status: string; at: string };
  };
  arrests: { outcome: string; at: string; recordedAt: string }[];
  referrals: { referralId: string; service: string; shared: string[]; referredAt: string }[];
  /** Verified safe, and recently: only these are used. */
  contactVerified: { sms: boolean; letter: boolean };
  /** Where each channel stands. */
  contactChannels: Record<'sms' | 'letter', 'absent' | 'unverified' | 'unsafe' | 'stale' | 'safe'>;
  /** Every choice the victim made about being told, oldest first: the last one stands. */
  victimChoices: {
    choice: 'wants_to_know' | 'declines';
    channel?: string;
    supportPresent?: boolean;
    note?: string;
    by: string;
    at: string;
  }[];
  notifications: { reference: string; purpose: string; channel: string; status: string; at: string }[];
  candidates: Candidate[];
  earlierProposals?: EarlierProposal[];
  /** Supervisors only: returns received after the authorisation expired. */
  possibleReportableErrors?: { requestId: string; kind: string; target: string; receivedAt?: string; text: string }[];
  tipOffWarning: boolean;
  timeline: TimelineEntry[];
  timelineCursor: string | null;
}
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  ids?: Record<string, string>;
  detail?: unknown;
  hash?: string;
}
export interface AuditVerification {
  valid: boolean;
  entries: number;
  head: string;
  firstBadSeq?: number;
}
export interface Summary {
  /** null: withheld, fewer than 5 cases (small-number suppression). */
  count: number | null;
  medianHours?: number | null;
  p90Hours?: number | null;
}
export interface Stats {
  generatedAt: string;
  cases: number | null;
  byStage: Record<string, number | null>;
  timeToIdentification: Summary;
  timeToDisclosure: Summary;
  delaysByGround: Record<string, number | null>;
  overdueGates?: Record<string, number | null>;
}
