import { describe, expect, test } from 'vitest';
import {
  advanceTrack,
  confirmPrisonContact,
  escalateOverdue,
  isFinal,
  mayFollow,
  onWorkflowClock,
  recordOutcome,
  recordSpoDecision,
  recordSpoNotification,
  recordVictimUpdate,
  trackNeedsAdvancing,
  trackTasks,
  trackWaitAnswer,
  trackWaitSeconds,
  victimUpdateSent,
  type TrackClock,
} from '../../functions/domain/arrestTrack.js';
import { prisonContactBlockEvents } from '../../functions/domain/caseEvents.js';
import { caseOpenTasks } from '../../functions/domain/caseSummary.js';
import { checkClosing, recordClosure } from '../../functions/domain/closing.js';
import { DomainError } from '../../functions/domain/errors.js';
import type { ArrestOutcome, CaseRecord, TaskRecord } from '../../functions/domain/records.js';
import type { ProtectionOrderInput } from '../../functions/schemas/afterIdentification.js';
import { aCaseRecord } from '../support/caseRecord.js';
import { ProtectionOrderInput as ProtectionOrderSchema } from '../../functions/schemas/afterIdentification.js';
import { eventSchema } from '../../functions/schemas/events.js';

// Wednesday 18 November 2026, 10:00 in England (GMT).
const NOW = '2026-11-18T10:00:00.000Z';
const DAY = 86_400;
const alice = { sub: 'local-inv.alice', name: 'DC Alice Hughes' };
const realClock = (now = NOW): TrackClock => ({ now, daySeconds: DAY, arrestOutcomeSeconds: 7 * DAY });
const later = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

const given = {
  aCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
    return aCaseRecord({
      arrestTasking: { raisedAt: '2026-11-17T09:00:00.000Z', eventId: 'case-000007:arrest-tasking' },
      ...overrides,
    });
  },
  /** A case taken through these outcomes, each recorded and handled at NOW. */
  aCaseAfter(outcomes: ArrestOutcome[], overrides: Partial<CaseRecord> = {}): CaseRecord {
    let kase = given.aCase(overrides);
    for (const outcome of outcomes) {
      kase = recordOutcome(kase, { outcome, at: NOW }, alice, NOW);
      kase = advanceTrack(kase, realClock()).kase;
    }
    return kase;
  },
  anOrder(overrides: Partial<ProtectionOrderInput> = {}): ProtectionOrderInput {
    return {
      arrestIndex: 0,
      considered: 'full',
      power: 'application',
      decision: 'not_sought',
      reason: 'Bail conditions suffice for now.',
      ...overrides,
    };
  },
};

const fails = (f: () => unknown, kind: DomainError['kind'], message?: RegExp) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).kind).toBe(kind);
    if (message) expect((e as DomainError).message).toMatch(message);
    return e as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('which outcome may follow which', () => {
  test('at first, and after "not located": arrested, interviewed, not located again, or no further action', () => {
    expect(mayFollow([])).toEqual(['arrested', 'voluntary_interview', 'not_located', 'no_further_action']);
    expect(mayFollow([{ outcome: 'not_located' }])).toEqual(mayFollow([]));
  });

  test('arrested, then bail or release under investigation, then a charge or no further action', () => {
    for (const o of ['bail', 'released_under_investigation', 'charged', 'no_further_action'] as const)
      expect(mayFollow([{ outcome: 'arrested' }])).toContain(o);
    expect(mayFollow([{ outcome: 'arrested' }])).not.toContain('convicted');
  });

  test('charged: bail to court does not undo the charge; then remanded, convicted or acquitted', () => {
    expect(mayFollow([{ outcome: 'arrested' }, { outcome: 'charged' }, { outcome: 'bail' }])).toEqual([
      'arrested',
      'bail',
      'remanded_in_custody',
      'convicted',
      'acquitted',
      'no_further_action',
    ]);
  });

  test('remanded in custody: bailed or released from custody (awaiting trial again), or tried', () => {
    const remanded = [{ outcome: 'arrested' }, { outcome: 'charged' }, { outcome: 'remanded_in_custody' }] as const;
    expect(mayFollow(remanded)).toEqual([
      'bail',
      'released_from_custody',
      'convicted',
      'acquitted',
      'no_further_action',
    ]);
    expect(mayFollow([...remanded, { outcome: 'released_from_custody' }])).toEqual(
      mayFollow([{ outcome: 'arrested' }, { outcome: 'charged' }]),
    );
    expect(mayFollow([{ outcome: 'arrested' }])).not.toContain('remanded_in_custody');
    expect(mayFollow([{ outcome: 'arrested' }])).not.toContain('released_from_custody');
  });

  test('after a conviction the track stays open until a sentence; remand until sentencing is allowed', () => {
    const convicted = [{ outcome: 'arrested' }, { outcome: 'charged' }, { outcome: 'convicted' }] as const;
    expect(mayFollow(convicted)).toEqual(['custodial_sentence', 'community_sentence', 'remanded_in_custody']);
    expect(isFinal(convicted)).toBe(false);
    const heldForSentence = [...convicted, { outcome: 'remanded_in_custody' }] as const;
    expect(mayFollow(heldForSentence)).toEqual([
      'custodial_sentence',
      'community_sentence',
      'bail',
      'released_from_custody',
    ]);
    expect(mayFollow([...heldForSentence, { outcome: 'bail' }])).toEqual(mayFollow(convicted));
    const remandedThenConvicted = [
      { outcome: 'arrested' },
      { outcome: 'charged' },
      { outcome: 'remanded_in_custody' },
      { outcome: 'convicted' },
    ] as const;
    expect(mayFollow(remandedThenConvicted)).toEqual(mayFollow(heldForSentence));
  });

  test('after a final outcome nothing may follow', () => {
    const paths: ArrestOutcome[][] = [
      ['arrested', 'no_further_action'],
      ['arrested', 'charged', 'acquitted'],
      ['arrested', 'charged', 'convicted', 'custodial_sentence'],
      ['arrested', 'charged', 'convicted', 'community_sentence'],
      ['arrested', 'charged', 'remanded_in_custody', 'convicted', 'custodial_sentence'],
    ];
    for (const path of paths) {
      const arrests = path.map((outcome) => ({ outcome }));
      expect(mayFollow(arrests), path.join(' ')).toEqual([]);
      expect(isFinal(arrests), path.join(' ')).toBe(true);
    }
    expect(isFinal([{ outcome: 'arrested' }, { outcome: 'charged' }])).toBe(false);
  });
});

describe('recording an outcome', () => {
  test('needs the arrest tasking raised first', () => {
    fails(
      () => recordOutcome(given.aCase({ arrestTasking: undefined }), { outcome: 'arrested', at: NOW }, alice, NOW),
      'Conflict',
      /no arrest outcome is awaited/,
    );
  });

  test('refuses an outcome that cannot follow the last, naming those that can', () => {
    fails(
      () => recordOutcome(given.aCase(), { outcome: 'convicted', at: NOW }, alice, NOW),
      'Conflict',
      /arrested, voluntary interview, not located, no further action/,
    );
  });

  test('refuses a time in the future, and a time before the last outcome', () => {
    fails(
      () => recordOutcome(given.aCase(), { outcome: 'arrested', at: later(NOW, 3600) }, alice, NOW),
      'Conflict',
      /future/,
    );
    const arrested = given.aCaseAfter(['arrested']);
    const e = fails(() => recordOutcome(arrested, { outcome: 'bail', at: later(NOW, -60) }, alice, NOW), 'Invalid');
    expect(e.errors[0]?.path).toBe('at');
  });

  test('refuses anything once the track has ended, or the case is closed', () => {
    const ended = given.aCaseAfter(['no_further_action']);
    expect(ended.arrestTrack?.endedAt).toBeUndefined(); // the victim update is still owed
    const told = recordVictimUpdate(
      ended,
      { arrestIndex: 0, how: 'phone', at: NOW, note: 'Phoned the victim.' },
      alice,
      NOW,
    );
    const done = advanceTrack(told, realClock()).kase;
    expect(done.arrestTrack?.endedAt).toBe(NOW);
    fails(() => recordOutcome(done, { outcome: 'arrested', at: NOW }, alice, NOW), 'Conflict', /ended/);
    fails(
      () => recordOutcome(given.aCase({ stage: 'CLOSED' }), { outcome: 'arrested', at: NOW }, alice, NOW),
      'Conflict',
      /CLOSED/,
    );
  });
});

describe('what each outcome calls for', () => {
  test('an arrest: a victim update due in 5 working days, an SPO consideration, and the next outcome looked for in 28 days', () => {
    const kase = recordOutcome(given.aCase(), { outcome: 'arrested', at: NOW }, alice, NOW);
    const { kase: next, opened, ended } = advanceTrack(kase, realClock());
    expect(opened).toEqual([
      { task: 'VICTIM_UPDATE', arrestIndex: 0 },
      { task: 'SPO_CONSIDERATION', arrestIndex: 0 },
      { task: 'ARREST_OUTCOME', arrestIndex: 1 },
    ]);
    expect(ended).toBe(false);
    expect(next.arrestTrack!.victimUpdates[0]!.dueAt).toBe('2026-11-25T23:59:59.999Z');
    expect(next.arrestTrack!.spoConsiderations[0]).toMatchObject({
      trigger: 'arrested',
      dueAt: later(NOW, 2 * DAY),
      decisions: [],
    });
    expect(next.arrestTrack!.expectedOutcome).toEqual({ arrestIndex: 1, dueAt: later(NOW, 28 * DAY) });
    expect(next.arrests[0]!.handledAt).toBe(NOW);
  });

  test('with enhanced rights the update is due the next working day; a Friday outcome is due on Monday', () => {
    const friday = '2026-11-20T16:00:00.000Z';
    const kase = recordOutcome(
      given.aCase({ victim: { ...given.aCase().victim, enhancedRights: true } }),
      { outcome: 'voluntary_interview', at: friday },
      alice,
      friday,
    );
    expect(advanceTrack(kase, realClock(friday)).kase.arrestTrack!.victimUpdates[0]!.dueAt).toBe(
      '2026-11-23T23:59:59.999Z',
    );
  });

  test('an outcome the investigator already told the victim of opens its update done, so no SMS goes', () => {
    const kase = recordOutcome(
      given.aCase(),
      { outcome: 'arrested', at: NOW, victimInformed: { how: 'in_person', at: NOW } },
      alice,
      NOW,
    );
    const { kase: next, opened } = advanceTrack(kase, realClock());
    expect(opened[0]).toEqual({ task: 'VICTIM_UPDATE', arrestIndex: 0, done: true });
    expect(next.arrestTrack!.victimUpdates[0]).toMatchObject({ doneAt: NOW, by: 'investigator', how: 'in_person' });
    expect(
      trackTasks(next, NOW)
        .map((t) => t.task)
        .sort(),
    ).toEqual(['ARREST_OUTCOME', 'SPO_CONSIDERATION']);
  });

  test('not located: an update but no SPO consideration; the next outcome is wanted within the arrest-outcome time', () => {
    const kase = given.aCaseAfter(['not_located']);
    expect(kase.arrestTrack!.spoConsiderations).toEqual([]);
    expect(kase.arrestTrack!.expectedOutcome).toEqual({ arrestIndex: 1, dueAt: later(NOW, 7 * DAY) });
  });

  test('SPOs are considered on arrest, charge, conviction and acquittal only', () => {
    const convicted = given.aCaseAfter(['arrested', 'bail', 'charged', 'convicted']);
    expect(convicted.arrestTrack!.spoConsiderations.map((s) => s.trigger)).toEqual([
      'arrested',
      'charged',
      'convicted',
    ]);
    const acquitted = given.aCaseAfter(['voluntary_interview', 'charged', 'acquitted']);
    expect(acquitted.arrestTrack!.spoConsiderations.map((s) => s.trigger)).toEqual(['charged', 'acquitted']);
  });

  test('a custodial sentence asks the prison service to block contact, once, with a stable event id', () => {
    const kase = given.aCaseAfter(['arrested', 'charged', 'convicted', 'custodial_sentence']);
    expect(kase.arrestTrack!.prisonContactBlocks).toEqual([
      { arrestIndex: 3, eventId: 'case-000007:prison-contact-block:3', requestedAt: NOW, dueAt: later(NOW, 2 * DAY) },
    ]);
    expect(advanceTrack(kase, realClock(later(NOW, 60))).opened).toEqual([]);
  });

  test('a remand in custody asks for the block too; a release from custody updates the victim', () => {
    const remanded = given.aCaseAfter(['arrested', 'charged', 'remanded_in_custody']);
    expect(remanded.arrestTrack!.prisonContactBlocks).toEqual([
      { arrestIndex: 2, eventId: 'case-000007:prison-contact-block:2', requestedAt: NOW, dueAt: later(NOW, 2 * DAY) },
    ]);
    expect(remanded.arrestTrack!.spoConsiderations.map((s) => s.trigger)).toEqual(['arrested', 'charged']);
    const released = recordOutcome(remanded, { outcome: 'released_from_custody', at: NOW }, alice, NOW);
    const { opened } = advanceTrack(released, realClock());
    expect(opened).toEqual([
      { task: 'VICTIM_UPDATE', arrestIndex: 3 },
      { task: 'ARREST_OUTCOME', arrestIndex: 4 },
    ]);
  });

  test('a community sentence opens no block', () => {
    const kase = given.aCaseAfter(['arrested', 'charged', 'convicted', 'community_sentence']);
    expect(kase.arrestTrack!.prisonContactBlocks).toEqual([]);
    expect(kase.arrestTrack!.expectedOutcome).toBeUndefined();
  });

  test('the block goes out as PrisonContactBlock version 2 naming the custody; a sentence also as version 1', () => {
    const identified = {
      identification: {
        proposalId: 'p-1',
        suspect: { name: 'John Smith', aliases: ['anon'] },
        points: [],
        rationale: 'Two returns agree.',
        proposedBy: alice,
        proposedAt: NOW,
        status: 'approved' as const,
      },
    };
    const remanded = given.aCaseAfter(['arrested', 'charged', 'remanded_in_custody'], identified);
    const [onRemand, ...rest] = prisonContactBlockEvents(remanded, remanded.arrestTrack!.prisonContactBlocks[0]!);
    expect(rest).toEqual([]);
    expect(onRemand).toMatchObject({
      schemaVersion: '2',
      eventId: 'case-000007:prison-contact-block:2',
      custody: { outcome: 'remanded_in_custody', at: NOW },
      offender: { name: 'John Smith', aliases: ['anon'] },
      victim: { name: 'Jane Doe', phone: '+447700900123' },
    });
    const sentenced = given.aCaseAfter(['arrested', 'charged', 'convicted', 'custodial_sentence'], identified);
    const both = prisonContactBlockEvents(sentenced, sentenced.arrestTrack!.prisonContactBlocks[0]!);
    expect(both.map((e) => e.schemaVersion)).toEqual(['2', '1']);
    expect(new Set(both.map((e) => e.eventId)).size).toBe(1);
    for (const e of [onRemand!, ...both])
      expect(eventSchema('PrisonContactBlock', e.schemaVersion)!.safeParse(e).error).toBeUndefined();
  });

  test('advancing twice opens nothing more', () => {
    const once = given.aCaseAfter(['arrested']);
    const twice = advanceTrack(once, realClock(later(NOW, 3600)));
    expect(twice.opened).toEqual([]);
    expect(twice.kase).toEqual(once);
  });

  test('a deadline set by the calendar runs on the workflow’s clock: unchanged at scale 1, compressed in a demo', () => {
    expect(onWorkflowClock('2026-11-25T23:59:59.999Z', realClock())).toBe('2026-11-25T23:59:59.999Z');
    // 43,200 times fast: a day is 2 seconds, so 7.58 days ahead is about 15 seconds.
    const fast = onWorkflowClock('2026-11-25T23:59:59.999Z', { now: NOW, daySeconds: 2, arrestOutcomeSeconds: 14 });
    expect(Date.parse(fast) - Date.parse(NOW)).toBe(
      Math.round((Date.parse('2026-11-25T23:59:59.999Z') - Date.parse(NOW)) / 43_200),
    );
    expect(onWorkflowClock('2026-11-01T00:00:00.000Z', realClock())).toBe(NOW);
  });
});

describe('Stalking Protection Orders', () => {
  const onConviction = (overrides: Partial<ProtectionOrderInput> = {}): ProtectionOrderInput =>
    given.anOrder({
      arrestIndex: 2,
      power: 'on_conviction',
      decision: 'made',
      reason: 'Made by the court at sentencing.',
      order: {
        conditions: ['Not to contact the victim'],
        duration: { kind: 'time_limited', years: 5 },
        madeAt: NOW,
        servedAt: NOW,
      },
      ...overrides,
    });

  test('a full order is at least 2 years if time-limited, and has its terms; an interim one has no duration', () => {
    const short = ProtectionOrderSchema.safeParse(
      onConviction({
        order: { conditions: ['x'], duration: { kind: 'time_limited', years: 1 }, madeAt: NOW, servedAt: NOW },
      }),
    );
    expect(short.success).toBe(false);
    expect(short.error?.issues.map((i) => i.path.join('.'))).toEqual(['order.duration.years']);
    expect(
      ProtectionOrderSchema.safeParse(onConviction({ order: undefined })).error?.issues.map((i) => i.path.join('.')),
    ).toEqual(['order']);
    const interim = ProtectionOrderSchema.safeParse(
      given.anOrder({
        considered: 'interim',
        decision: 'made',
        order: { conditions: ['x'], duration: { kind: 'until_further_order' }, madeAt: NOW, servedAt: NOW },
      }),
    );
    expect(interim.error?.issues.map((i) => i.path.join('.'))).toEqual(['order.duration']);
    expect(
      ProtectionOrderSchema.safeParse(
        onConviction({
          order: { conditions: ['x'], duration: { kind: 'until_further_order' }, madeAt: NOW, servedAt: NOW },
        }),
      ).success,
    ).toBe(true);
  });

  test('a subject not notified opens a follow-up for the owner, open (and the track with it) until the late notification is recorded', () => {
    const sentenced = given.aCaseAfter(['arrested', 'charged', 'convicted', 'community_sentence']);
    // Every other consideration decided and every update done: only the order's notification keeps the track open.
    let kase = sentenced;
    for (const i of [0, 1]) kase = recordSpoDecision(kase, given.anOrder({ arrestIndex: i }), alice, NOW);
    kase = recordSpoDecision(kase, onConviction(), alice, NOW);
    for (const i of [0, 1, 2, 3])
      kase = recordVictimUpdate(kase, { arrestIndex: i, how: 'phone', at: NOW, note: 'Told by phone.' }, alice, NOW);
    kase = advanceTrack(kase, realClock()).kase;
    const missed = recordSpoNotification(
      kase,
      { arrestIndex: 2, notified: false, at: later(NOW, 4 * DAY), note: 'Did not attend within the 3 days.' },
      alice,
      later(NOW, 4 * DAY),
    );
    const whenMissed = realClock(later(NOW, 4 * DAY));
    expect(trackNeedsAdvancing(missed)).toBe(true);
    const followed = advanceTrack(missed, whenMissed);
    expect(followed.opened).toEqual([{ task: 'SPO_NOTIFICATION_MISSED', arrestIndex: 2 }]);
    expect(followed.ended).toBe(false);
    expect(trackTasks(followed.kase, whenMissed.now)).toEqual([
      { task: 'SPO_NOTIFICATION_MISSED', arrestIndex: 2, dueAt: later(NOW, 6 * DAY), overdue: false },
    ]);
    // Opened once: the workflow's next turn opens nothing more, and has nothing to do at once.
    expect(advanceTrack(followed.kase, whenMissed).opened).toEqual([]);
    expect(trackNeedsAdvancing(followed.kase)).toBe(false);
    // Missed again is no news; the late notification is what closes it.
    fails(
      () =>
        recordSpoNotification(
          followed.kase,
          { arrestIndex: 2, notified: false, at: whenMissed.now, note: 'Still nothing.' },
          alice,
          whenMissed.now,
        ),
      'Conflict',
      /record it when the subject notifies/,
    );
    const lateAt = later(NOW, 5 * DAY);
    const late = recordSpoNotification(
      followed.kase,
      { arrestIndex: 2, notified: true, at: lateAt, note: 'Came to the station a day late.' },
      alice,
      lateAt,
    );
    const s = late.arrestTrack!.spoConsiderations[2]!;
    expect(s.notification).toMatchObject({ notified: false, late: { at: lateAt, recordedBy: alice } });
    expect(s.missedNotification?.doneAt).toBe(lateAt);
    expect(trackTasks(late, lateAt)).toEqual([]);
    expect(advanceTrack(late, realClock(lateAt)).ended).toBe(true);
    fails(
      () => recordSpoNotification(late, { arrestIndex: 2, notified: true, at: lateAt, note: 'again' }, alice, lateAt),
      'Conflict',
      /already recorded/,
    );
  });

  test('a late notification recorded before the workflow opened the follow-up opens it already done', () => {
    let kase = given.aCaseAfter(['arrested', 'charged', 'convicted']);
    kase = advanceTrack(recordSpoDecision(kase, onConviction(), alice, NOW), realClock()).kase;
    kase = recordSpoNotification(kase, { arrestIndex: 2, notified: false, at: NOW, note: 'Missed.' }, alice, NOW);
    kase = recordSpoNotification(kase, { arrestIndex: 2, notified: true, at: NOW, note: 'Came in.' }, alice, NOW);
    const { kase: after, opened } = advanceTrack(kase, realClock());
    expect(opened).toEqual([{ task: 'SPO_NOTIFICATION_MISSED', arrestIndex: 2, done: true }]);
    expect(after.arrestTrack!.spoConsiderations[2]!.missedNotification?.doneAt).toBe(NOW);
    expect(trackTasks(after, NOW).map((t) => t.task)).not.toContain('SPO_NOTIFICATION_MISSED');
  });

  test('the powers on conviction and on acquittal are the court’s at those outcomes only', () => {
    const arrested = given.aCaseAfter(['arrested']);
    expect(
      fails(
        () => recordSpoDecision(arrested, given.anOrder({ power: 'on_conviction', decision: 'sought' }), alice, NOW),
        'Invalid',
      ).errors[0]?.path,
    ).toBe('power');
    const acquitted = given.aCaseAfter(['arrested', 'charged', 'acquitted']);
    const ok = recordSpoDecision(
      acquitted,
      given.anOrder({
        arrestIndex: 2,
        power: 'on_acquittal',
        decision: 'sought',
        reason: 'Still a risk to the victim.',
      }),
      alice,
      NOW,
    );
    expect(ok.arrestTrack!.spoConsiderations[2]!.decisions[0]).toMatchObject({
      power: 'on_acquittal',
      decision: 'sought',
      recordedBy: alice,
    });
  });

  test('a full order made opens the subject’s notification, due at the end of the third day beginning with service', () => {
    const convicted = given.aCaseAfter(['arrested', 'charged', 'convicted']);
    const made = recordSpoDecision(convicted, onConviction(), alice, NOW);
    expect(made.arrestTrack!.spoConsiderations[2]!.doneAt).toBe(NOW);
    expect(trackNeedsAdvancing(made)).toBe(true);
    const { kase, opened } = advanceTrack(made, realClock());
    expect(opened).toEqual([{ task: 'SPO_NOTIFICATION', arrestIndex: 2 }]);
    expect(kase.arrestTrack!.spoConsiderations[2]!.notification).toEqual({
      arrestIndex: 2,
      dueAt: '2026-11-20T23:59:59.999Z',
    });
    const notified = recordSpoNotification(
      kase,
      { arrestIndex: 2, notified: true, at: NOW, note: 'At the station.' },
      alice,
      NOW,
    );
    expect(notified.arrestTrack!.spoConsiderations[2]!.notification).toMatchObject({ notified: true, doneAt: NOW });
    fails(
      () => recordSpoNotification(notified, { arrestIndex: 2, notified: true, at: NOW, note: 'again' }, alice, NOW),
      'Conflict',
      /already/,
    );
  });

  test('an order sought awaits the court: made or refused of the same kind, then decided for good', () => {
    const arrested = given.aCaseAfter(['arrested']);
    const sought = recordSpoDecision(
      arrested,
      given.anOrder({ considered: 'interim', decision: 'sought', reason: 'Urgent: contact continued after arrest.' }),
      alice,
      NOW,
    );
    const { kase, opened } = advanceTrack(sought, realClock());
    expect(opened).toEqual([{ task: 'SPO_APPLICATION', arrestIndex: 0 }]);
    fails(
      () =>
        recordSpoDecision(
          kase,
          given.anOrder({
            considered: 'full',
            decision: 'made',
            order: { conditions: ['x'], duration: { kind: 'until_further_order' }, madeAt: NOW, servedAt: NOW },
          }),
          alice,
          NOW,
        ),
      'Conflict',
      /court's answer/,
    );
    const refused = recordSpoDecision(
      kase,
      given.anOrder({
        considered: 'interim',
        decision: 'refused',
        reason: 'The magistrates refused the interim order.',
      }),
      alice,
      NOW,
    );
    expect(refused.arrestTrack!.spoConsiderations[0]!.application?.doneAt).toBeUndefined(); // the full order is still to be decided
    const full = recordSpoDecision(
      refused,
      given.anOrder({ considered: 'full', decision: 'not_sought', reason: 'No fresh evidence for a full order.' }),
      alice,
      NOW,
    );
    expect(full.arrestTrack!.spoConsiderations[0]!.application?.doneAt).toBe(NOW);
    fails(() => recordSpoDecision(full, given.anOrder(), alice, NOW), 'Conflict', /already decided/);
  });

  test('no consideration is owed on an outcome that does not call for one', () => {
    fails(
      () => recordSpoDecision(given.aCaseAfter(['not_located']), given.anOrder(), alice, NOW),
      'Conflict',
      /no Stalking Protection Order consideration/,
    );
  });
});

describe('the track’s tasks, its waits and escalation', () => {
  test('the expected outcome shows as ARREST_OUTCOME only until it is recorded', () => {
    const waiting = advanceTrack(given.aCase(), realClock()).kase;
    expect(trackTasks(waiting, NOW)).toEqual([
      { task: 'ARREST_OUTCOME', dueAt: later(NOW, 7 * DAY), overdue: false, arrestIndex: 0 },
    ]);
    const recorded = recordOutcome(waiting, { outcome: 'not_located', at: NOW }, alice, NOW);
    expect(trackTasks(recorded, NOW)).toEqual([]);
  });

  test('the workflow waits until the soonest thing owed falls due, and at most a week', () => {
    const kase = given.aCaseAfter(['arrested']);
    expect(trackWaitSeconds(kase, realClock())).toBe(2 * DAY); // the SPO consideration
    expect(
      trackWaitSeconds(given.aCaseAfter(['arrested', 'charged', 'convicted', 'custodial_sentence']), realClock()),
    ).toBe(2 * DAY);
    const quiet = recordSpoDecision(kase, given.anOrder(), alice, NOW);
    const told = victimUpdateSent(quiet, 0, 'case-000007:victim_update:0', NOW);
    expect(trackWaitSeconds(told, realClock())).toBe(7 * DAY);
  });

  test('a wait answered tells what it had left, rounded down, so that the next turn never waits past the same due time', () => {
    const kase = given.aCaseAfter(['arrested']);
    const due = later(NOW, trackWaitSeconds(kase, realClock()));
    const answeredAt = '2026-11-18T12:00:00.400Z';
    const answer = trackWaitAnswer(due, answeredAt);
    expect(answer).toEqual({ changed: true, waitSeconds: 2 * DAY - 2 * 3600 - 1 });
    // Nothing new owed: the next turn, a moment later, would wait at least as long, so it may wait on this answer's time.
    expect(trackWaitSeconds(kase, { ...realClock(), now: answeredAt })).toBeGreaterThanOrEqual(answer.waitSeconds);
    // A wait answered at or past its due time still waits a second (a token wait's timeout is positive).
    expect(trackWaitAnswer(due, later(due, 5)).waitSeconds).toBe(1);
  });

  test('what falls due is escalated once, shows overdue, and is no longer waited for', () => {
    const kase = given.aCaseAfter(['arrested']);
    const at = later(NOW, 2 * DAY);
    const { kase: escalated, escalated: which } = escalateOverdue(kase, at);
    expect(which).toEqual([{ task: 'SPO_CONSIDERATION', arrestIndex: 0 }]);
    expect(trackTasks(escalated, at).find((t) => t.task === 'SPO_CONSIDERATION')?.overdue).toBe(true);
    expect(escalateOverdue(escalated, later(at, 60)).escalated).toEqual([]);
    expect(trackWaitSeconds(escalated, realClock(at))).toBe(
      Math.ceil((Date.parse('2026-11-25T23:59:59.999Z') - Date.parse(at)) / 1000),
    );
  });

  test('the track ends at a final outcome once nothing is owed, and not before', () => {
    let kase = given.aCaseAfter(['arrested', 'charged', 'convicted', 'community_sentence']);
    expect(trackNeedsAdvancing(kase)).toBe(false);
    kase = [0, 1, 2, 3].reduce((k, i) => victimUpdateSent(k, i, `ref-${i}`, NOW), kase);
    kase = recordSpoDecision(kase, given.anOrder(), alice, NOW);
    kase = recordSpoDecision(kase, given.anOrder({ arrestIndex: 1 }), alice, NOW);
    expect(trackNeedsAdvancing(kase)).toBe(false);
    kase = recordSpoDecision(
      kase,
      given.anOrder({ arrestIndex: 2, power: 'on_conviction', reason: 'The court was not asked: no risk remains.' }),
      alice,
      NOW,
    );
    expect(trackNeedsAdvancing(kase)).toBe(true);
    const { ended, kase: done } = advanceTrack(kase, realClock());
    expect(ended).toBe(true);
    expect(done.arrestTrack!.endedAt).toBe(NOW);
    expect(trackNeedsAdvancing(done)).toBe(false);
  });

  test('a conviction with everything it called for done still awaits the sentence, weeks later', () => {
    let kase = given.aCaseAfter(['arrested', 'charged', 'convicted']);
    kase = [0, 1, 2].reduce((k, i) => victimUpdateSent(k, i, `ref-${i}`, NOW), kase);
    kase = recordSpoDecision(kase, given.anOrder(), alice, NOW);
    kase = recordSpoDecision(kase, given.anOrder({ arrestIndex: 1 }), alice, NOW);
    kase = recordSpoDecision(
      kase,
      given.anOrder({ arrestIndex: 2, power: 'on_conviction', reason: 'The court was not asked: no risk remains.' }),
      alice,
      NOW,
    );
    const waiting = advanceTrack(kase, realClock());
    expect(waiting.ended).toBe(false);
    expect(trackTasks(waiting.kase, NOW).map((t) => t.task)).toEqual(['ARREST_OUTCOME']);
    // Six weeks on, the outcome is overdue (escalated once) and the track is still open for the sentence.
    const sixWeeks = later(NOW, 42 * DAY);
    const overdue = escalateOverdue(waiting.kase, sixWeeks).kase;
    const still = advanceTrack(overdue, realClock(sixWeeks));
    expect(still.ended).toBe(false);
    const sentenced = recordOutcome(still.kase, { outcome: 'custodial_sentence', at: sixWeeks }, alice, sixWeeks);
    const { kase: after, opened } = advanceTrack(sentenced, realClock(sixWeeks));
    expect(opened).toEqual([
      { task: 'VICTIM_UPDATE', arrestIndex: 3 },
      { task: 'PRISON_CONTACT', arrestIndex: 3 },
    ]);
    expect(after.arrestTrack!.expectedOutcome).toBeUndefined();
    expect(trackTasks(after, sixWeeks).map((t) => t.task)).toEqual(['VICTIM_UPDATE', 'PRISON_CONTACT']);
  });

  test('a prison block is confirmed; with two open, the confirmation says which', () => {
    const kase = given.aCaseAfter(['arrested', 'charged', 'convicted', 'custodial_sentence']);
    fails(
      () => confirmPrisonContact(given.aCaseAfter(['arrested']), { at: NOW, note: 'x' }, alice, NOW),
      'Conflict',
      /no prison contact block/,
    );
    const { kase: confirmed, block } = confirmPrisonContact(
      kase,
      { at: NOW, prisonReference: 'HMP-1234', note: 'Confirmed by the prison' },
      alice,
      NOW,
    );
    expect(block).toMatchObject({ doneAt: NOW, prisonReference: 'HMP-1234', confirmedBy: alice });
    expect(trackTasks(confirmed, NOW).map((t) => t.task)).not.toContain('PRISON_CONTACT');
  });

  test('a victim update recorded by the investigator: once, not before the outcome', () => {
    const kase = given.aCaseAfter(['arrested']);
    expect(
      fails(
        () => recordVictimUpdate(kase, { arrestIndex: 0, how: 'phone', at: later(NOW, -3600), note: 'x' }, alice, NOW),
        'Invalid',
      ).errors[0]?.path,
    ).toBe('at');
    const told = recordVictimUpdate(kase, { arrestIndex: 0, how: 'phone', at: NOW, note: 'Phoned her.' }, alice, NOW);
    fails(
      () => recordVictimUpdate(told, { arrestIndex: 0, how: 'phone', at: NOW, note: 'x' }, alice, NOW),
      'Conflict',
      /already told/,
    );
    fails(
      () => recordVictimUpdate(told, { arrestIndex: 5, how: 'phone', at: NOW, note: 'x' }, alice, NOW),
      'Conflict',
      /no victim update/,
    );
  });
});

describe('the case’s open tasks and closing', () => {
  const task = (t: Partial<TaskRecord>): TaskRecord => ({
    caseId: 'case-000007',
    key: String(t.task),
    task: 'CASE_CLOSURE',
    status: 'open',
    openedAt: NOW,
    dueAt: later(NOW, 14 * DAY),
    overdue: false,
    ...t,
  });

  test('the workflow’s own wait is never shown; what the track owes is', () => {
    const kase = given.aCaseAfter(['arrested']);
    const open = caseOpenTasks(
      { kase, tasks: [task({ task: 'ARREST_TRACK', dueAt: later(NOW, 60) })], approvals: [] },
      NOW,
    );
    expect(open.map((t) => t.task)).toEqual(['SPO_CONSIDERATION', 'VICTIM_UPDATE', 'ARREST_OUTCOME']);
  });

  test('a case closes only on the closing task, with nothing else open', () => {
    const kase = given.aCaseAfter(['arrested']);
    fails(
      () => checkClosing({ kase, tasks: [task({})], approvals: [] }, NOW),
      'Conflict',
      /no task is open; open: SPO_CONSIDERATION, VICTIM_UPDATE, ARREST_OUTCOME/,
    );
    fails(() => checkClosing({ kase: given.aCase(), tasks: [], approvals: [] }, NOW), 'Conflict', /still running/);
    expect(() => checkClosing({ kase: given.aCase(), tasks: [task({})], approvals: [] }, NOW)).not.toThrow();
    const closed = recordClosure(given.aCase(), { reason: 'No further action; victim told.' }, alice, NOW);
    expect(closed.closure).toEqual({ reason: 'No further action; victim told.', decidedBy: alice, decidedAt: NOW });
    fails(() => checkClosing({ kase: closed, tasks: [task({})], approvals: [] }, NOW), 'Conflict', /already recorded/);
    fails(
      () => checkClosing({ kase: given.aCase({ stage: 'CLOSED' }), tasks: [], approvals: [] }, NOW),
      'Conflict',
      /already CLOSED/,
    );
  });
});
