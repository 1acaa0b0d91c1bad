import type { VictimChoiceInput } from '../schemas/api.js';
import { isFailure } from './delivery.js';
import type { ApprovalRecord, CaseRecord, Person, VictimChoiceRecord } from './records.js';
import { isFinal } from './stages.js';
import { TASK_NAMES, TASKS, type TaskName } from './tasks.js';
import { WrongStage, AlreadyDecided } from './errors.js';

/**
 * The victim's choice (docs/process.md, "The victim's choice"). Disclosure is
 * the victim's right, not an obligation: they may decline to be told, or ask
 * to be told by a channel of their choosing, with a support worker present. A
 * victim who declines is sent nothing that names anyone: the right-to-know
 * branch ends in DISCLOSURE_DECLINED while the arrest track goes on, and the
 * case can close. They may change their mind until the case closes; once the
 * disclosure has gone out there is nothing left to choose.
 */

/** The choice that stands: the last one recorded (none recorded: the presumption, the victim is told). */
export const currentChoice = (kase: Pick<CaseRecord, 'victimChoices'>): VictimChoiceRecord | undefined =>
  kase.victimChoices?.at(-1);

export const victimDeclined = (kase: Pick<CaseRecord, 'victimChoices'>): boolean =>
  currentChoice(kase)?.choice === 'declines';

/** The disclosure has reached the victim, or is on its way to them: handed over, or a message accepted by Notify. */
export function disclosureGoneOut(kase: Pick<CaseRecord, 'disclosure' | 'notifications'>): boolean {
  if (kase.disclosure?.handedOverAt || kase.disclosure?.sentAt) return true;
  return kase.notifications.some((n) => n.purpose === 'disclosure' && !isFailure(n.status));
}

/**
 * The same request as the choice that stands, from the same person: the choice, channel, support worker and note
 * all alike. It is what a person sends again when the answer to the first was lost, and records nothing new (a
 * choice made again with anything different is a new record).
 */
export function sameChoiceAgain(
  kase: Pick<CaseRecord, 'victimChoices'>,
  input: VictimChoiceInput,
  by: Person,
): boolean {
  const c = currentChoice(kase);
  return (
    c !== undefined &&
    c.by.sub === by.sub &&
    c.choice === input.choice &&
    c.channel === input.channel &&
    c.supportPresent === input.supportPresent &&
    c.note === input.note
  );
}

/**
 * The choice recorded on the case. A channel chosen becomes the preferred
 * channel. Refused (409) on a closed case and once the disclosure has gone out. The same request again
 * (sameChoiceAgain) leaves the case as it is.
 */
export function recordVictimChoice(kase: CaseRecord, input: VictimChoiceInput, by: Person, now: string): CaseRecord {
  if (isFinal(kase.stage))
    throw new WrongStage(`the case is ${kase.stage}: the victim's choice can no longer change it`);
  if (disclosureGoneOut(kase))
    throw new AlreadyDecided(
      'the disclosure has already been delivered to the victim: there is no choice left to record',
    );
  if (sameChoiceAgain(kase, input, by)) return kase;
  const choice: VictimChoiceRecord = {
    choice: input.choice,
    ...(input.channel ? { channel: input.channel } : {}),
    ...(input.supportPresent !== undefined ? { supportPresent: input.supportPresent } : {}),
    note: input.note,
    by,
    at: now,
  };
  return {
    ...kase,
    victim: input.channel
      ? { ...kase.victim, contact: { ...kase.victim.contact, preferredChannel: input.channel } }
      : kase.victim,
    victimChoices: [...(kase.victimChoices ?? []), choice],
  };
}

/** The waits of the right-to-know branch a decline ends (domain/tasks.ts endedBy): each goes to DISCLOSURE_DECLINED. */
const ENDED_BY_DECLINE: readonly TaskName[] = /* @__PURE__ */ TASK_NAMES.filter((t) => TASKS[t].endedBy === 'decline');

/**
 * What a wait answers with because of the victim's choice, if anything: a
 * decline ends every wait of the right-to-know branch before delivery; a
 * change of mind ends the declined branch's wait (back to the decision), and
 * the closing wait of a declined case (the branch runs again from the
 * decision). The declined branch's wait also ends when the arrest track has
 * ended, so that the case can close.
 */
export function choiceAnswers(kase: CaseRecord, task: TaskName): Record<string, unknown> | undefined {
  const declined = victimDeclined(kase);
  if (declined && ENDED_BY_DECLINE.includes(task) && !kase.disclosure?.handedOverAt)
    return task === 'DISCLOSURE_PROPOSAL' || task === 'DELAY_REVIEW' ? { action: 'declined' } : { declined: true };
  if (task === 'VICTIM_CHOICE') {
    if (!declined) return { choice: 'wants_to_know' };
    if (kase.arrestTrack?.endedAt) return { choice: 'declines', trackEnded: true };
  }
  if (task === 'CASE_CLOSURE' && !declined && kase.stage === 'DISCLOSURE_DECLINED' && !kase.closure)
    return { reopen: true };
  return undefined;
}

/**
 * The gates a decline takes the question from: whether to disclose, or to delay, no longer stands while the
 * victim declines to be told, so their pending approvals are withdrawn (nobody decides them) and the branch
 * goes on to DISCLOSURE_DECLINED. Whether the case closes without a suspect still stands.
 */
export const withdrawnByDecline = (a: Pick<ApprovalRecord, 'gate' | 'status'>): boolean =>
  (a.gate === 'disclosure' || a.gate === 'delay') && a.status === 'pending';
