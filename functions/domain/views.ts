import { maySeeVictimContact } from './access.js';
import { candidates } from './correlation.js';
import { caseOpenTasks, nextDeadline } from './caseSummary.js';
import { caseOwner } from './ownership.js';
import { channelState, contactVerifiedView } from './contact.js';
import { disclosureDelivered } from './delivery.js';
import { faultView, type FaultRecord } from './faults.js';
import type { ApprovalRecord, CaseRecord, RequestRecord, TaskRecord } from './records.js';
import type { timelineEntry } from './timeline.js';
import { hasRole, type User } from './users.js';

/** What the API shows of a case; the auditor never sees the victim's contact details. */
export function caseView(
  b: {
    kase: CaseRecord;
    approvals: ApprovalRecord[];
    tasks: TaskRecord[];
    requests: RequestRecord[];
    faults: FaultRecord[];
  },
  timeline: { items: readonly ReturnType<typeof timelineEntry>[]; nextCursor: string | null },
  user: User,
  now: string,
) {
  const { kase } = b;
  const open = caseOpenTasks(b, now);
  const victim = maySeeVictimContact(user)
    ? kase.victim
    : {
        enhancedRights: kase.victim.enhancedRights,
        contact: { preferredChannel: kase.victim.contact.preferredChannel },
      };
  return {
    caseId: kase.caseId,
    crimeReference: kase.crimeReference,
    offence: kase.offence,
    summary: kase.summary,
    stage: kase.stage,
    createdBy: kase.createdBy.sub,
    owner: caseOwner(kase),
    ownerTransfers: (kase.ownerTransfers ?? []).map((t) => ({
      transferId: t.transferId,
      from: t.from.sub,
      to: t.to.sub,
      by: t.by.sub,
      at: t.at,
      reason: t.reason,
    })),
    createdAt: kase.createdAt,
    version: kase.version,
    victim,
    risk: kase.risk,
    accounts: kase.accounts,
    openTasks: open,
    nextDeadline: nextDeadline(open),
    requests: b.requests.map(requestView),
    approvals: b.approvals.map(approvalView),
    faults: b.faults.map((f) => faultView(f, now)),
    decisions: b.approvals
      .filter((a) => a.decision)
      .map((a) => ({
        approvalId: a.approvalId,
        gate: a.gate,
        decision: a.decision,
        rationale: a.rationale,
        decidedBy: a.decidedBy?.sub,
        decidedAt: a.decidedAt,
      })),
    authorisation: kase.authorisation,
    identification: kase.identification,
    disclosureProposal: kase.disclosureProposal,
    delays: kase.delays,
    disclosure: kase.disclosure && { ...kase.disclosure, delivered: disclosureDelivered(kase) },
    arrests: kase.arrests,
    arrestTrack: kase.arrestTrack,
    referrals: kase.referrals ?? [],
    closure: kase.closure,
    closureProposal: kase.closureProposal,
    // The note may say why, in the victim's circumstances: only for those who may see the victim's contact.
    victimChoices: (kase.victimChoices ?? []).map(({ by, note, ...c }) => ({
      ...c,
      by: by.sub,
      ...(maySeeVictimContact(user) ? { note } : {}),
    })),
    contactVerified: contactVerifiedView(kase, now),
    /** Where each channel stands: absent, unverified, unsafe, stale or safe (domain/contact.ts). */
    contactChannels: { sms: channelState(kase, 'sms', now), letter: channelState(kase, 'letter', now) },
    notifications: kase.notifications,
    candidates: candidates(b.requests),
    earlierProposals: earlierProposals(b),
    ...(hasRole(user, 'supervisor') ? { possibleReportableErrors: possibleReportableErrors(b) } : {}),
    tipOffWarning: b.requests.some((r) => r.tipOffRisk),
    timeline: timeline.items,
    timelineCursor: timeline.nextCursor,
  };
}

export function requestView(r: RequestRecord) {
  return {
    requestId: r.requestId,
    kind: r.kind,
    target: r.target,
    ...(r.accountHandle ? { accountHandle: r.accountHandle } : {}),
    ...(r.ip ? { ip: r.ip, eventAt: r.eventAt, port: r.port } : {}),
    ...(r.atCandidates ? { atCandidates: r.atCandidates } : {}),
    ...(r.sourceRequestId ? { sourceRequestId: r.sourceRequestId } : {}),
    ...(r.chosenBy ? { chosenBy: r.chosenBy.sub } : {}),
    ...(r.returned?.ipEvents.length || r.returned?.ipEventCount
      ? { ipEventCount: r.returned.ipEventCount ?? r.returned.ipEvents.length }
      : {}),
    ...(r.afterAuthorisationExpiry ? { afterAuthorisationExpiry: true } : {}),
    status: r.status,
    dueAt: r.dueAt,
    tipOffRisk: r.tipOffRisk,
    createdAt: r.createdAt,
    ...(r.chasedAt ? { chasedAt: r.chasedAt } : {}),
    flags: [...(r.flags ?? []), ...(r.returned?.flags ?? [])],
    ...(r.returnedAt ? { returnedAt: r.returnedAt } : {}),
    ...(r.abandonedAt ? { abandonedAt: r.abandonedAt } : {}),
  };
}

export function approvalView(a: ApprovalRecord) {
  return {
    approvalId: a.approvalId,
    caseId: a.caseId,
    gate: a.gate,
    requiredRank: a.requiredRank,
    status: a.status,
    requestedBy: a.requestedBy.sub,
    ...(a.proposedBy ? { proposedBy: a.proposedBy.sub } : {}),
    dueAt: a.dueAt,
    overdue: a.overdue,
    createdAt: a.createdAt,
  };
}

/**
 * What gate 2 shows the supervisor: the suspect proposed, the candidate the
 * points came from with what supports and what contradicts it, and any
 * tip-off warning (a platform that tells its users was asked).
 */
export function identificationEvidence(b: {
  kase: CaseRecord;
  requests: RequestRecord[];
  approvals: readonly ApprovalRecord[];
}) {
  const proposal = b.kase.identification;
  const all = candidates(b.requests);
  const proposedSources = new Set(proposal?.points.map((p) => p.requestId) ?? []);
  const candidate =
    all.find((c) => c.candidateId === proposal?.candidateId) ??
    all.find((c) => c.points.some((p) => proposedSources.has(p.requestId)));
  return {
    suspect: proposal ? { name: proposal.suspect.name, aliases: proposal.suspect.aliases } : undefined,
    points: proposal?.points ?? [],
    candidate: candidate
      ? {
          candidateId: candidate.candidateId,
          name: candidate.name,
          points: candidate.points,
          contradictions: candidate.contradictions,
        }
      : undefined,
    tipOffWarning: b.requests.some((r) => r.tipOffRisk),
    earlierProposals: earlierProposals(b),
  };
}

/** The case's proposals rejected at gate 2, oldest first, each with who rejected it and why. */
export function earlierProposals(b: { kase: CaseRecord; approvals: readonly ApprovalRecord[] }) {
  const earlier = [...(b.kase.earlierIdentifications ?? [])];
  if (b.kase.identification?.status === 'rejected') earlier.push(b.kase.identification);
  return earlier.map((p) => {
    const rejection = b.approvals.find(
      (a) => a.gate === 'identification' && a.subjectId === p.proposalId && a.status === 'rejected',
    );
    return {
      proposalId: p.proposalId,
      suspect: { name: p.suspect.name, aliases: p.suspect.aliases },
      points: p.points,
      rationale: p.rationale,
      proposedBy: p.proposedBy.sub,
      proposedAt: p.proposedAt,
      ...(rejection
        ? { rejectedBy: rejection.decidedBy?.sub, rejectedAt: rejection.decidedAt, rejection: rejection.rationale }
        : {}),
    };
  });
}

/**
 * Returns received after the communications data authorisation had expired:
 * data acquired without authority is a possible reportable error (to the
 * Investigatory Powers Commissioner), for a supervisor to consider.
 */
export function possibleReportableErrors(b: { kase: CaseRecord; requests: readonly RequestRecord[] }) {
  return b.requests
    .filter((r) => r.afterAuthorisationExpiry)
    .map((r) => ({
      requestId: r.requestId,
      kind: r.kind,
      target: r.target,
      receivedAt: r.returned?.receivedAt,
      authorisationExpiredAt: b.kase.authorisation?.expiresAt,
      text: 'A return was received after the authorisation had expired: a possible reportable error.',
    }));
}
