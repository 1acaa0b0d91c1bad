import type { DisclosureProposalInput } from '../schemas/api.js';
import type { CaseRecord, DelayRecord, Person } from './records.js';
import { WrongStage, AlreadyDecided, OutOfOrder, ChangedMeanwhile, invalid } from './errors.js';
import { policy } from './policy.js';

/**
 * The right-to-know proposal (docs/process.md step 8; docs/api.md, "Disclosure
 * proposal"). At DISCLOSURE_DECISION the investigator proposes disclose or
 * delay. While DELAYED only disclose may be proposed: the delay's ground has
 * fallen away (the suspect arrested on day 2), so the delay ends at once and
 * the proposal goes to the disclosure gate. A delay on a delay is refused: a
 * delay in force runs to its review date, where the decision comes round again.
 * Returns the case with the proposal, and the delay it ended, if any.
 */
export function recordDisclosureProposal(
  kase: CaseRecord,
  input: DisclosureProposalInput,
  by: Person,
  proposalId: string,
  now: string,
): { kase: CaseRecord; endedDelay?: DelayRecord } {
  const delayed = kase.stage === 'DELAYED';
  if (kase.stage !== 'DISCLOSURE_DECISION' && !delayed)
    throw new WrongStage(`the case is at ${kase.stage}, not DISCLOSURE_DECISION or DELAYED`);
  if (delayed && input.action !== 'disclose')
    throw new OutOfOrder('a delay is in force until its review date: only a proposal to disclose ends it early');
  if (kase.disclosureProposal?.status === 'proposed')
    throw new AlreadyDecided('a proposal is already awaiting approval');
  const proposal = {
    proposalId,
    action: input.action,
    ...(input.ground ? { ground: input.ground } : {}),
    ...(input.reviewInDays ? { reviewInDays: input.reviewInDays } : {}),
    rationale: input.rationale,
    proposedBy: by,
    proposedAt: now,
    status: 'proposed' as const,
  };
  if (!delayed) return { kase: { ...kase, disclosureProposal: proposal } };
  const current = delayInForce(kase);
  if (!current) throw new ChangedMeanwhile('the case is delayed but no delay is on record yet; try again in a moment');
  const endedDelay: DelayRecord = { ...current, endedEarly: { at: now, by, proposalId } };
  return {
    kase: {
      ...kase,
      disclosureProposal: proposal,
      delays: kase.delays.map((d) => (d === current ? endedDelay : d)),
    },
    endedDelay,
  };
}

/** The delay the case waits out: the newest one on record, unless a proposal to disclose has ended it. */
export function delayInForce(kase: Pick<CaseRecord, 'delays'>): DelayRecord | undefined {
  const last = kase.delays.at(-1);
  return last && !last.endedEarly ? last : undefined;
}

/**
 * What the delay's review wait answers with: the proposal that ended the delay
 * early, while it still awaits its gate. The workflow goes on with it to the
 * disclosure gate at once (and after a restart, without waiting again).
 */
export function delayEndedBy(kase: Pick<CaseRecord, 'delays' | 'disclosureProposal'>) {
  const last = kase.delays.at(-1);
  const p = kase.disclosureProposal;
  return last?.endedEarly && p?.proposalId === last.endedEarly.proposalId && p.status === 'proposed'
    ? { proposalId: p.proposalId, action: p.action }
    : undefined;
}

/** A delay's review date: never more than the policy ceiling away. */
export function delayReviewSeconds(reviewInDays: number, daySeconds: number): number {
  if (!Number.isInteger(reviewInDays) || reviewInDays < 1 || reviewInDays > policy.maxDelayDays)
    throw invalid(`a review date is 1 to ${policy.maxDelayDays} days away`);
  return reviewInDays * daySeconds;
}
