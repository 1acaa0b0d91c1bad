import { describe, expect, test } from 'vitest';
import { taskSatisfied } from '../../functions/domain/taskAnswers.js';
import type { CaseRecord } from '../../functions/domain/records.js';
import {
  choiceAnswers,
  currentChoice,
  disclosureGoneOut,
  recordVictimChoice,
  victimDeclined,
} from '../../functions/domain/victimChoice.js';
import { aCaseRecord, CASE_NOW } from '../support/caseRecord.js';
import { thrownBy } from '../support/thrown.js';

const alice = { sub: 'local-inv.alice', name: 'DC Alice Hughes' };
const declines = { choice: 'declines' as const, note: 'Not now.' };
const wants = { choice: 'wants_to_know' as const, note: 'She wants to know.' };
const atDecision = (over: Partial<CaseRecord> = {}) => aCaseRecord({ stage: 'DISCLOSURE_DECISION', ...over });
const bundle = (kase: CaseRecord) => ({ kase, approvals: [], requests: [] });

describe('recording the choice', () => {
  test('the last choice stands, and a channel chosen becomes the preferred channel', () => {
    const once = recordVictimChoice(atDecision(), declines, alice, CASE_NOW);
    expect(victimDeclined(once)).toBe(true);
    const twice = recordVictimChoice(
      once,
      { ...wants, channel: 'in_person', supportPresent: true },
      alice,
      '2026-11-19T10:00:00.000Z',
    );
    expect(victimDeclined(twice)).toBe(false);
    expect(currentChoice(twice)).toEqual({
      choice: 'wants_to_know',
      channel: 'in_person',
      supportPresent: true,
      note: 'She wants to know.',
      by: alice,
      at: '2026-11-19T10:00:00.000Z',
    });
    expect(twice.victimChoices).toHaveLength(2);
    expect(twice.victim.contact.preferredChannel).toBe('in_person');
    // Without a channel, the preferred one stays.
    expect(recordVictimChoice(atDecision(), declines, alice, CASE_NOW).victim.contact.preferredChannel).toBe('letter');
  });

  test('the same request again records nothing new; anything different, or from someone else, is a new record', () => {
    const once = recordVictimChoice(atDecision(), declines, alice, CASE_NOW);
    expect(recordVictimChoice(once, { ...declines }, alice, '2026-11-19T10:00:00.000Z')).toBe(once);
    const bob = { sub: 'local-sgt.bob', name: 'PS Bob' };
    for (const [input, by] of [
      [{ ...declines, note: 'Still not now.' }, alice],
      [{ ...declines, channel: 'letter' as const }, alice],
      [{ ...declines, supportPresent: false }, alice],
      [wants, alice],
      [declines, bob],
    ] as const)
      expect(recordVictimChoice(once, input, by, '2026-11-19T10:00:00.000Z').victimChoices).toHaveLength(2);
  });

  test('no choice recorded is the presumption: the victim is told', () => {
    expect(victimDeclined(atDecision())).toBe(false);
    expect(currentChoice(atDecision())).toBeUndefined();
  });

  test('refused once the case is closed or rejected', () => {
    for (const stage of ['CLOSED', 'REJECTED'] as const)
      expect(thrownBy(() => recordVictimChoice(atDecision({ stage }), wants, alice, CASE_NOW)).kind).toBe('Conflict');
  });

  test('refused once the disclosure has gone out: handed over, sent, or a message accepted by Notify', () => {
    const disclosure = { version: 1, approvedAt: CASE_NOW, channel: 'letter' as const };
    const cases = [
      atDecision({ stage: 'AFTER_DISCLOSURE', disclosure: { ...disclosure, handedOverAt: CASE_NOW } }),
      atDecision({ stage: 'AFTER_DISCLOSURE', disclosure: { ...disclosure, sentAt: CASE_NOW } }),
      atDecision({
        stage: 'DISCLOSURE_DELIVERY',
        disclosure,
        notifications: [
          {
            reference: 'c:disclosure-letter:v1',
            purpose: 'disclosure',
            channel: 'letter',
            notifyId: 'n',
            status: 'sending',
            at: CASE_NOW,
          },
        ],
      }),
    ];
    for (const k of cases) {
      expect(disclosureGoneOut(k)).toBe(true);
      expect(thrownBy(() => recordVictimChoice(k, declines, alice, CASE_NOW)).message).toMatch(/delivered/);
    }
  });

  test('a send Notify failed is not the disclosure gone out: the victim may still decline', () => {
    const k = atDecision({
      stage: 'DISCLOSURE_DELIVERY',
      disclosure: { version: 1, approvedAt: CASE_NOW, channel: 'letter', failedAt: CASE_NOW },
      notifications: [
        {
          reference: 'c:disclosure-letter:v1',
          purpose: 'disclosure',
          channel: 'letter',
          notifyId: 'n',
          status: 'permanent-failure',
          at: CASE_NOW,
        },
      ],
    });
    expect(victimDeclined(recordVictimChoice(k, declines, alice, CASE_NOW))).toBe(true);
  });
});

describe('what the waits answer with', () => {
  const declined = recordVictimChoice(atDecision(), declines, alice, CASE_NOW);

  test('a decline ends every wait of the right-to-know branch before delivery', () => {
    expect(taskSatisfied(bundle(declined), 'DISCLOSURE_PROPOSAL', undefined, CASE_NOW)).toEqual({ action: 'declined' });
    expect(taskSatisfied(bundle({ ...declined, stage: 'DELAYED' }), 'DELAY_REVIEW', undefined, CASE_NOW)).toEqual({
      action: 'declined',
    });
    for (const task of ['CONTACT_VERIFICATION', 'HANDOVER', 'DELIVERY_FAILED'] as const)
      expect(taskSatisfied(bundle({ ...declined, stage: 'DISCLOSURE_DELIVERY' }), task, undefined, CASE_NOW)).toEqual({
        declined: true,
      });
  });

  test('a decline does not undo a handover already recorded', () => {
    const handed = {
      ...declined,
      disclosure: { version: 1, approvedAt: CASE_NOW, channel: 'in_person' as const, handedOverAt: CASE_NOW },
    };
    expect(taskSatisfied(bundle(handed), 'HANDOVER', undefined, CASE_NOW)).toEqual({ handedOverAt: CASE_NOW });
  });

  test('the declined branch waits for a change of mind, or for the arrest track to end', () => {
    const waiting = { ...declined, stage: 'DISCLOSURE_DECLINED' as const };
    expect(choiceAnswers(waiting, 'VICTIM_CHOICE')).toBeUndefined();
    expect(
      choiceAnswers(
        {
          ...waiting,
          arrestTrack: { victimUpdates: [], spoConsiderations: [], prisonContactBlocks: [], endedAt: CASE_NOW },
        },
        'VICTIM_CHOICE',
      ),
    ).toEqual({ choice: 'declines', trackEnded: true });
    const changed = recordVictimChoice(waiting, wants, alice, CASE_NOW);
    expect(choiceAnswers(changed, 'VICTIM_CHOICE')).toEqual({ choice: 'wants_to_know' });
  });

  test('a change of mind while the declined case waits to close reopens the decision; a closing decision taken stands', () => {
    const waiting = recordVictimChoice({ ...declined, stage: 'DISCLOSURE_DECLINED' }, wants, alice, CASE_NOW);
    expect(taskSatisfied(bundle(waiting), 'CASE_CLOSURE', undefined, CASE_NOW)).toEqual({ reopen: true });
    const closing = { ...waiting, closure: { reason: 'Nothing left to do.', decidedBy: alice, decidedAt: CASE_NOW } };
    expect(taskSatisfied(bundle(closing), 'CASE_CLOSURE', undefined, CASE_NOW)).toEqual({ closedBy: alice.sub });
    // A case never declined closes as before.
    expect(taskSatisfied(bundle(aCaseRecord()), 'CASE_CLOSURE', undefined, CASE_NOW)).toBeUndefined();
  });

  test('wanting to know changes no wait of a case that never declined', () => {
    const k = recordVictimChoice(atDecision(), wants, alice, CASE_NOW);
    expect(taskSatisfied(bundle(k), 'DISCLOSURE_PROPOSAL', undefined, CASE_NOW)).toBeUndefined();
  });
});
