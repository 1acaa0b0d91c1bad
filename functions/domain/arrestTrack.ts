import type { ArrestInput } from '../schemas/api.js';
import type {
  PrisonContactConfirmedInput,
  ProtectionOrderInput,
  SpoNotificationInput,
  VictimUpdateInput,
} from '../schemas/afterIdentification.js';
import { addSeconds, isOverdue } from './clock.js';
import { policy } from './policy.js';
import type {
  ArrestOutcome,
  ArrestRecord,
  ArrestTrackRecord,
  CaseRecord,
  FollowUpRecord,
  Person,
  PrisonContactBlockRecord,
  SpoConsiderationRecord,
  SpoDecision,
} from './records.js';
import type { OpenTask } from './stages.js';
import type { TrackTask } from './tasks.js';
import { daysBeginningWith, workingDaysAfter } from './workingDays.js';
import { WrongStage, AlreadyDecided, NothingAwaited, OutOfOrder, invalid } from './errors.js';

/**
 * The arrest track (docs/process.md, steps 7 and 10). Outcomes come over time (not
 * located, then arrested; arrested, charged, remanded, convicted, sentenced
 * weeks later); each calls for things owed by a time: the victim told
 * (Victims' Code), a Stalking Protection Order considered (on arrest, charge,
 * conviction, acquittal), the prison or remand centre asked to block contact
 * (remand in custody, custodial sentence). The track ends at a final outcome
 * once all of those are done.
 *
 * Everything here is on the case record. The workflow advances it
 * (advanceTrack) and waits until something is due or changes; the API
 * records what people do.
 */
type Phase = 'at_large' | 'investigation' | 'charged' | 'remanded' | 'convicted' | 'convicted_remanded' | 'ended';

/**
 * The allowed sequences, in one table: in each phase, the outcomes that may
 * be recorded next and the phase each leads to. Charged: arrested again for a
 * breach, bailed to court, remanded in custody, or tried. Remanded: bailed or
 * released from custody (awaiting trial again), or tried. Convicted: the track
 * stays open until a sentence is recorded, however long after; the offender
 * may be remanded until sentencing.
 */
const SEQUENCES: Record<Phase, Partial<Record<ArrestOutcome, Phase>>> = {
  at_large: {
    arrested: 'investigation',
    voluntary_interview: 'investigation',
    not_located: 'at_large',
    no_further_action: 'ended',
  },
  investigation: {
    arrested: 'investigation',
    voluntary_interview: 'investigation',
    not_located: 'at_large',
    bail: 'investigation',
    released_under_investigation: 'investigation',
    charged: 'charged',
    no_further_action: 'ended',
  },
  charged: {
    arrested: 'charged',
    bail: 'charged',
    remanded_in_custody: 'remanded',
    convicted: 'convicted',
    acquitted: 'ended',
    no_further_action: 'ended',
  },
  remanded: {
    bail: 'charged',
    released_from_custody: 'charged',
    convicted: 'convicted_remanded',
    acquitted: 'ended',
    no_further_action: 'ended',
  },
  convicted: {
    custodial_sentence: 'ended',
    community_sentence: 'ended',
    remanded_in_custody: 'convicted_remanded',
  },
  convicted_remanded: {
    custodial_sentence: 'ended',
    community_sentence: 'ended',
    bail: 'convicted',
    released_from_custody: 'convicted',
  },
  ended: {},
};

/** Where the outcomes on record have taken the track (each was checked against the table when recorded). */
const phaseOf = (arrests: readonly Pick<ArrestRecord, 'outcome'>[]): Phase =>
  arrests.reduce<Phase>((p, a) => SEQUENCES[p][a.outcome] ?? p, 'at_large');

/** The outcomes that may be recorded next. */
export const mayFollow = (arrests: readonly Pick<ArrestRecord, 'outcome'>[]): readonly ArrestOutcome[] =>
  Object.keys(SEQUENCES[phaseOf(arrests)]) as ArrestOutcome[];

/** No further outcome is awaited: no further action, an acquittal, or a sentence. */
export const isFinal = (arrests: readonly Pick<ArrestRecord, 'outcome'>[]): boolean => phaseOf(arrests) === 'ended';

/** Outcomes that put the suspect in custody: the prison or remand centre is asked to block contact with the victim. */
export const CUSTODY_OUTCOMES: readonly ArrestOutcome[] = ['remanded_in_custody', 'custodial_sentence'];

/** docs/process.md step 10: an order is considered on arrest, charge, conviction and acquittal. */
export const SPO_TRIGGERS: readonly ArrestOutcome[] = ['arrested', 'charged', 'convicted', 'acquitted'];

/** The court's own powers: an order on conviction, or on acquittal where the person is still a risk. */
const POWER_NEEDS: Record<SpoDecision['power'], ArrestOutcome | undefined> = {
  application: undefined,
  on_conviction: 'convicted',
  on_acquittal: 'acquitted',
};

export type TrackOpenTask = OpenTask & { arrestIndex: number };

export const emptyTrack = (): ArrestTrackRecord => ({
  victimUpdates: [],
  spoConsiderations: [],
  prisonContactBlocks: [],
});

/** An order applied for (or made interim) whose court decision is still to come. */
export function awaitingCourt(s: SpoConsiderationRecord): boolean {
  const last = s.decisions.at(-1);
  if (!last) return false;
  return (
    last.decision === 'sought' ||
    (last.considered === 'interim' && (last.decision === 'made' || last.decision === 'refused'))
  );
}

const fullOrderMade = (s: SpoConsiderationRecord) =>
  s.decisions.find((d) => d.decision === 'made' && d.considered === 'full' && d.order);

/** The subject of a full order was recorded as not having notified in time: a breach the owner follows up. */
const notificationMissed = (s: SpoConsiderationRecord) => s.notification?.notified === false;

/** Everything the track owes, each with the task it shows as; the expected outcome only while it is awaited. */
function owed(kase: CaseRecord): { task: TrackTask; item: FollowUpRecord }[] {
  const t = kase.arrestTrack;
  if (!t) return [];
  const out: { task: TrackTask; item: FollowUpRecord }[] = [];
  if (t.expectedOutcome && kase.arrests.length <= t.expectedOutcome.arrestIndex)
    out.push({ task: 'ARREST_OUTCOME', item: t.expectedOutcome });
  for (const u of t.victimUpdates) out.push({ task: 'VICTIM_UPDATE', item: u });
  for (const s of t.spoConsiderations) {
    out.push({ task: 'SPO_CONSIDERATION', item: s });
    if (s.application) out.push({ task: 'SPO_APPLICATION', item: s.application });
    if (s.notification) out.push({ task: 'SPO_NOTIFICATION', item: s.notification });
    if (s.missedNotification) out.push({ task: 'SPO_NOTIFICATION_MISSED', item: s.missedNotification });
  }
  for (const p of t.prisonContactBlocks) out.push({ task: 'PRISON_CONTACT', item: p });
  return out;
}

const stillOwed = (kase: CaseRecord) => owed(kase).filter(({ item }) => !item.doneAt);

/** The track's open tasks, as the case and the task lists show them. */
export function trackTasks(kase: CaseRecord, now: string): TrackOpenTask[] {
  return stillOwed(kase).map(({ task, item }) => ({
    task,
    dueAt: item.dueAt,
    overdue: !!item.escalatedAt || isOverdue(item.dueAt, now),
    arrestIndex: item.arrestIndex,
  }));
}

/** The workflow's clock: durations the policy gives in days run at `daySeconds` a day (compressed in demos and tests). */
export interface TrackClock {
  now: string;
  daySeconds: number;
  /** How long the first outcome (or the next after "not located") may take, on the same clock. */
  arrestOutcomeSeconds: number;
}

const days = (c: TrackClock, n: number) => n * c.daySeconds;

/** A deadline the calendar sets (working days, days from service), on the workflow's clock: the same instant unless time is compressed. */
export function onWorkflowClock(deadline: string, c: TrackClock): string {
  const ahead = Math.max(0, Date.parse(deadline) - Date.parse(c.now));
  return new Date(Date.parse(c.now) + Math.round((ahead * c.daySeconds) / policy.daySeconds)).toISOString();
}

export function victimUpdateDeadline(kase: CaseRecord, outcomeAt: string): string {
  const n = kase.victim.enhancedRights
    ? policy.victimUpdateWorkingDays.enhanced
    : policy.victimUpdateWorkingDays.standard;
  return workingDaysAfter(outcomeAt, n);
}

export interface Opened {
  task: TrackTask;
  arrestIndex: number;
  /** Opened and at once done: the investigator had already told the victim. */
  done?: boolean;
}

/**
 * Open what each new outcome calls for, what a recorded order calls for, and
 * the wait for the next outcome; end the track when nothing more can come and
 * nothing is owed. Applying it twice changes nothing more.
 */
export function advanceTrack(kase: CaseRecord, c: TrackClock): { kase: CaseRecord; opened: Opened[]; ended: boolean } {
  const next = structuredClone(kase);
  next.arrestTrack ??= emptyTrack();
  const track = next.arrestTrack;
  const opened: Opened[] = [];
  next.arrests.forEach((a, arrestIndex) => {
    if (a.handledAt) return;
    a.handledAt = c.now;
    const told = a.victimInformed;
    track.victimUpdates.push({
      arrestIndex,
      dueAt: onWorkflowClock(victimUpdateDeadline(next, a.at), c),
      ...(told ? { doneAt: told.at, by: 'investigator' as const, how: told.how, recordedBy: a.recordedBy } : {}),
    });
    opened.push({ task: 'VICTIM_UPDATE', arrestIndex, ...(told ? { done: true } : {}) });
    if (SPO_TRIGGERS.includes(a.outcome)) {
      track.spoConsiderations.push({
        arrestIndex,
        trigger: a.outcome,
        dueAt: addSeconds(c.now, days(c, policy.spoConsiderationDays)),
        decisions: [],
      });
      opened.push({ task: 'SPO_CONSIDERATION', arrestIndex });
    }
    if (CUSTODY_OUTCOMES.includes(a.outcome)) {
      track.prisonContactBlocks.push({
        arrestIndex,
        eventId: `${next.caseId}:prison-contact-block:${arrestIndex}`,
        requestedAt: c.now,
        dueAt: addSeconds(c.now, days(c, policy.prisonContactConfirmationDays)),
      });
      opened.push({ task: 'PRISON_CONTACT', arrestIndex });
    }
  });
  for (const s of track.spoConsiderations) {
    if (awaitingCourt(s) && !s.application) {
      s.application = { arrestIndex: s.arrestIndex, dueAt: addSeconds(c.now, days(c, policy.spoApplicationDays)) };
      opened.push({ task: 'SPO_APPLICATION', arrestIndex: s.arrestIndex });
    }
    const made = fullOrderMade(s);
    if (made?.order && !s.notification) {
      s.notification = {
        arrestIndex: s.arrestIndex,
        dueAt: onWorkflowClock(daysBeginningWith(made.order.servedAt, policy.spoNotificationDays), c),
      };
      opened.push({ task: 'SPO_NOTIFICATION', arrestIndex: s.arrestIndex });
    }
    if (notificationMissed(s) && !s.missedNotification) {
      const late = s.notification?.late;
      s.missedNotification = {
        arrestIndex: s.arrestIndex,
        dueAt: addSeconds(c.now, days(c, policy.spoMissedNotificationDays)),
        ...(late ? { doneAt: late.at } : {}),
      };
      opened.push({ task: 'SPO_NOTIFICATION_MISSED', arrestIndex: s.arrestIndex, ...(late ? { done: true } : {}) });
    }
  }
  if (isFinal(next.arrests)) delete track.expectedOutcome;
  else if (track.expectedOutcome?.arrestIndex !== next.arrests.length) {
    const seconds =
      phaseOf(next.arrests) === 'at_large' ? c.arrestOutcomeSeconds : days(c, policy.arrestOutcomeReviewDays);
    track.expectedOutcome = { arrestIndex: next.arrests.length, dueAt: addSeconds(c.now, seconds) };
    opened.push({ task: 'ARREST_OUTCOME', arrestIndex: next.arrests.length });
  }
  const ended = isFinal(next.arrests) && stillOwed(next).length === 0;
  if (ended) track.endedAt ??= c.now;
  return { kase: next, opened, ended };
}

/** Whether the track has something to do now (the workflow's wait ends at once); what is merely due is left to the wait's timeout. */
export function trackNeedsAdvancing(kase: CaseRecord): boolean {
  if (kase.arrests.some((a) => !a.handledAt)) return true;
  const t = kase.arrestTrack;
  if (!t || t.endedAt) return false;
  if (
    t.spoConsiderations.some(
      (s) =>
        (awaitingCourt(s) && !s.application) ||
        (fullOrderMade(s) && !s.notification) ||
        (notificationMissed(s) && !s.missedNotification),
    )
  )
    return true;
  return isFinal(kase.arrests) && stillOwed(kase).length === 0;
}

/** How long the workflow may wait before something falls due that has not yet been escalated; at most a week of its days. */
export function trackWaitSeconds(kase: CaseRecord, c: TrackClock): number {
  const cap = Math.max(1, Math.round(days(c, policy.arrestTrackMaxWaitDays)));
  const dues = stillOwed(kase)
    .filter(({ item }) => !item.escalatedAt)
    .map(({ item }) => Date.parse(item.dueAt));
  if (!dues.length) return cap;
  return Math.min(cap, Math.max(1, Math.ceil((Math.min(...dues) - Date.parse(c.now)) / 1000)));
}

/**
 * The answer to the arrest track's wait when something is recorded: `waitSeconds` is what the wait had left (its
 * due time `dueAt`), in whole seconds rounded down, at least one. The next turn of the track waits no longer than
 * that and opens its wait in the same invocation when nothing falls due sooner (workflow/steps.ts waitOnTrack).
 */
export function trackWaitAnswer(dueAt: string, now: string): { changed: true; waitSeconds: number } {
  return { changed: true, waitSeconds: Math.max(1, Math.floor((Date.parse(dueAt) - Date.parse(now)) / 1000)) };
}

/** Past due and not yet escalated: each is marked once, shows overdue, and is written to the trail by the caller. */
export function escalateOverdue(
  kase: CaseRecord,
  now: string,
): { kase: CaseRecord; escalated: { task: TrackTask; arrestIndex: number }[] } {
  const next = structuredClone(kase);
  const escalated: { task: TrackTask; arrestIndex: number }[] = [];
  for (const { task, item } of stillOwed(next)) {
    if (item.escalatedAt || !isOverdue(item.dueAt, now)) continue;
    item.escalatedAt = now;
    escalated.push({ task, arrestIndex: item.arrestIndex });
  }
  return { kase: next, escalated };
}

/** Prison contact blocks asked for and not yet sent out to the prison service. */
export const unpublishedBlocks = (kase: CaseRecord): PrisonContactBlockRecord[] =>
  (kase.arrestTrack?.prisonContactBlocks ?? []).filter((p) => !p.publishedAt);

export function blockPublished(kase: CaseRecord, eventId: string, now: string): CaseRecord {
  const next = structuredClone(kase);
  const block = next.arrestTrack?.prisonContactBlocks.find((p) => p.eventId === eventId);
  if (block) block.publishedAt ??= now;
  return next;
}

/** Victim updates the workflow still has to try by SMS. */
export const updatesToSend = (kase: CaseRecord) =>
  (kase.arrestTrack?.victimUpdates ?? []).filter((u) => !u.doneAt && !u.smsNotSent);

/** The update SMS went (or Notify already had it): the update is done. */
export function victimUpdateSent(kase: CaseRecord, arrestIndex: number, reference: string, now: string): CaseRecord {
  const next = structuredClone(kase);
  const u = next.arrestTrack?.victimUpdates.find((x) => x.arrestIndex === arrestIndex);
  if (u && !u.doneAt) Object.assign(u, { doneAt: now, by: 'sms', reference });
  return next;
}

/** No SMS can go for this update: it stays owed, for the investigator to tell the victim and record it. */
export function victimUpdateNotSent(kase: CaseRecord, arrestIndex: number, reason: string): CaseRecord {
  const next = structuredClone(kase);
  const u = next.arrestTrack?.victimUpdates.find((x) => x.arrestIndex === arrestIndex);
  if (u && !u.doneAt) u.smsNotSent = reason;
  return next;
}

// What people record.

/** Allowance for the recorder's clock running ahead of ours. */
const CLOCK_SKEW_MS = 5 * 60_000;
const inFuture = (at: string, now: string) => Date.parse(at) > Date.parse(now) + CLOCK_SKEW_MS;
const iso = (at: string) => new Date(at).toISOString();
const label = (o: string) => o.replace(/_/g, ' ');

function requireOpenCase(kase: CaseRecord): void {
  if (kase.stage === 'CLOSED' || kase.stage === 'REJECTED') throw new WrongStage(`the case is ${kase.stage}`);
}

export function recordOutcome(kase: CaseRecord, input: ArrestInput, by: Person, now: string): CaseRecord {
  if (!kase.arrestTasking) throw new NothingAwaited('no arrest outcome is awaited on this case');
  requireOpenCase(kase);
  if (kase.arrestTrack?.endedAt) throw new OutOfOrder('the arrest track has ended: no further outcome can be recorded');
  const allowed = mayFollow(kase.arrests);
  const last = kase.arrests.at(-1);
  if (!allowed.includes(input.outcome))
    throw new OutOfOrder(
      `after ${last ? `"${label(last.outcome)}"` : 'the arrest tasking'} the next outcome is one of: ${allowed.map(label).join(', ') || 'none'}`,
    );
  if (inFuture(input.at, now)) throw new OutOfOrder('an arrest outcome cannot be in the future');
  if (last && Date.parse(input.at) < Date.parse(last.at))
    throw invalid('outcomes are recorded in the order they happened', [
      { path: 'at', message: `is before the last outcome (${last.at})` },
    ]);
  const told = input.victimInformed;
  if (told && (inFuture(told.at, now) || Date.parse(told.at) < Date.parse(input.at)))
    throw invalid('the victim is told of an outcome after it happens, and not in the future', [
      { path: 'victimInformed.at', message: 'between the outcome and now' },
    ]);
  const record: ArrestRecord = {
    outcome: input.outcome,
    at: iso(input.at),
    recordedBy: by,
    recordedAt: now,
    ...(told ? { victimInformed: { how: told.how, at: iso(told.at) } } : {}),
  };
  return { ...kase, arrests: [...kase.arrests, record] };
}

function trackOf(kase: CaseRecord): ArrestTrackRecord {
  requireOpenCase(kase);
  if (!kase.arrestTrack) throw new NothingAwaited('the arrest track has not started on this case');
  return kase.arrestTrack;
}

function checkPast(at: string, now: string, path: string, after?: { at: string; what: string }): void {
  if (inFuture(at, now))
    throw invalid('a time recorded cannot be in the future', [{ path, message: 'must not be in the future' }]);
  if (after && Date.parse(at) < Date.parse(after.at))
    throw invalid(`this happens after ${after.what}`, [{ path, message: `is before ${after.what} (${after.at})` }]);
}

/** Victims' Code: the investigator told the victim themselves. */
export function recordVictimUpdate(kase: CaseRecord, input: VictimUpdateInput, by: Person, now: string): CaseRecord {
  const next = structuredClone(kase);
  const u = trackOf(next).victimUpdates.find((x) => x.arrestIndex === input.arrestIndex);
  if (!u) throw new NothingAwaited(`no victim update is owed for outcome ${input.arrestIndex}`);
  if (u.doneAt)
    throw new AlreadyDecided(
      `the victim was already told of outcome ${input.arrestIndex} (${u.by === 'sms' ? 'by the update SMS' : 'as recorded'})`,
    );
  checkPast(input.at, now, 'at', { at: next.arrests[input.arrestIndex]!.at, what: 'the outcome' });
  Object.assign(u, { doneAt: iso(input.at), by: 'investigator', how: input.how, recordedBy: by });
  return next;
}

/** The decisions that may follow the last one on a consideration, or why none may. */
function checkSequence(s: SpoConsiderationRecord, d: SpoDecision): void {
  const last = s.decisions.at(-1);
  if (!last) return;
  if (last.decision === 'sought') {
    if ((d.decision === 'made' || d.decision === 'refused') && d.considered === last.considered) return;
    throw new OutOfOrder(
      `an ${last.considered} order was sought: what follows is the court's answer to it (made or refused)`,
    );
  }
  if (last.considered === 'interim' && (last.decision === 'made' || last.decision === 'refused')) {
    if (d.considered === 'full') return;
    throw new OutOfOrder('after the interim order, what follows is the full order');
  }
  throw new AlreadyDecided(`this consideration is already decided (${label(last.decision)})`);
}

/** A Stalking Protection Order considered: the decision, its reason, and for an order made its terms. */
export function recordSpoDecision(kase: CaseRecord, input: ProtectionOrderInput, by: Person, now: string): CaseRecord {
  const next = structuredClone(kase);
  const s = trackOf(next).spoConsiderations.find((x) => x.arrestIndex === input.arrestIndex);
  if (!s)
    throw new NothingAwaited(`no Stalking Protection Order consideration is owed for outcome ${input.arrestIndex}`);
  const needs = POWER_NEEDS[input.power];
  if (needs && s.trigger !== needs)
    throw invalid(
      `an order ${label(input.power)} is the court's power on ${needs === 'convicted' ? 'a conviction' : 'an acquittal'}`,
      [{ path: 'power', message: `this consideration follows "${label(s.trigger)}"` }],
    );
  checkSequence(s, input);
  if (input.order) {
    const outcome = { at: next.arrests[input.arrestIndex]!.at, what: 'the outcome' };
    checkPast(input.order.madeAt, now, 'order.madeAt', outcome);
    checkPast(input.order.servedAt, now, 'order.servedAt', outcome);
  }
  const { arrestIndex: _, ...decision } = input;
  s.decisions.push({ ...decision, recordedBy: by, recordedAt: now });
  s.doneAt ??= now;
  if (s.application && !s.application.doneAt && !awaitingCourt(s)) s.application.doneAt = now;
  return next;
}

/**
 * The subject of a full order notified the police of their names and address, or did not (a breach to act on).
 * Not notified opens a follow-up for the owner (advanceTrack), open until the subject's late notification is
 * recorded here with `notified: true`.
 */
export function recordSpoNotification(
  kase: CaseRecord,
  input: SpoNotificationInput,
  by: Person,
  now: string,
): CaseRecord {
  const next = structuredClone(kase);
  const s = trackOf(next).spoConsiderations.find((x) => x.arrestIndex === input.arrestIndex);
  const n = s?.notification;
  if (!s || !n)
    throw new NothingAwaited(`no full order made on outcome ${input.arrestIndex} awaits its subject's notification`);
  if (n.doneAt && !(notificationMissed(s) && !n.late)) throw new AlreadyDecided('the notification is already recorded');
  if (n.doneAt && !input.notified)
    throw new AlreadyDecided('the notification is already recorded as missed: record it when the subject notifies');
  checkPast(input.at, now, 'at', { at: fullOrderMade(s)!.order!.servedAt, what: 'the order was served' });
  if (n.doneAt) {
    n.late = { at: iso(input.at), recordedBy: by };
    if (s.missedNotification) s.missedNotification.doneAt ??= iso(input.at);
    return next;
  }
  Object.assign(n, { notified: input.notified, at: iso(input.at), doneAt: iso(input.at), recordedBy: by });
  return next;
}

/** The prison service confirmed the block on contact with the victim. */
export function confirmPrisonContact(
  kase: CaseRecord,
  input: PrisonContactConfirmedInput,
  by: Person,
  now: string,
): { kase: CaseRecord; block: PrisonContactBlockRecord } {
  const next = structuredClone(kase);
  const open = trackOf(next).prisonContactBlocks.filter((p) => !p.doneAt);
  const block = input.arrestIndex === undefined ? open[0] : open.find((p) => p.arrestIndex === input.arrestIndex);
  if (!block) throw new NothingAwaited('no prison contact block awaits confirmation on this case');
  if (input.arrestIndex === undefined && open.length > 1)
    throw invalid('more than one block awaits confirmation', [
      { path: 'arrestIndex', message: `say which: ${open.map((p) => p.arrestIndex).join(' or ')}` },
    ]);
  checkPast(input.at, now, 'at', { at: block.requestedAt, what: 'the block was asked for' });
  Object.assign(block, {
    doneAt: iso(input.at),
    confirmedBy: by,
    ...(input.prisonReference ? { prisonReference: input.prisonReference } : {}),
  });
  return { kase: next, block };
}
