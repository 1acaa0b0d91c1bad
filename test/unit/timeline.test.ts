import { describe, expect, test } from 'vitest';
import { auditActions } from '../../functions/domain/auditActions.js';
import { timelineText } from '../../functions/domain/timeline.js';

/**
 * Every action the product writes to a trail reads as a sentence. The list is the one `audit` and `auditData` are
 * typed by (functions/domain/auditActions.ts): a new action fails the type check until it is named there, and then
 * this test until the timeline phrases it.
 */
const actions = auditActions();
const words = (action: string) => action.replace(/[_.]+/g, ' ').toLowerCase();

describe('the timeline reads every action the product writes as a sentence', () => {
  test('the list holds every family of actions', () => {
    expect(new Set(actions).size).toBe(actions.length);
    for (const family of ['case.', 'gate.', 'task.', 'closure.', 'victim.', 'notification.', 'arrest.', 'spo.'])
      expect(
        actions.some((a) => a.startsWith(family)),
        family,
      ).toBe(true);
  });

  test.each(actions.map((a) => [a]))('%s', (action) => {
    for (const actor of ['local-inv.alice', 'workflow', 'notify']) {
      const text = timelineText({ actor, action, ids: {} });
      // Not the last resort ("actor: the action's words."), which only an action of an older release may take.
      expect(text).not.toBe(
        `${actor === 'workflow' ? 'The workflow' : actor === 'notify' ? 'GOV.UK Notify' : actor}: ${words(action)}.`,
      );
      expect(text).toMatch(/\.$/);
      expect(text).not.toContain(action);
    }
  });

  test('an action this release does not write still reads, as who did what', () => {
    expect(timelineText({ actor: 'local-aud.frank', action: 'something.new_here', ids: {} })).toBe(
      'local-aud.frank: something new here.',
    );
  });
});

describe('sentences, with what the entry names', () => {
  test.each([
    [{ actor: 'local-inv.alice', action: 'case.opened', ids: {} }, 'local-inv.alice opened the case.'],
    [{ actor: 'workflow', action: 'case.platform_requests', ids: {} }, 'The case moved to platform requests.'],
    [
      { actor: 'workflow', action: 'gate.data_request.opened', ids: { requiredRank: 'sergeant' } },
      'The data request approval was opened for a sergeant or above.',
    ],
    [
      { actor: 'local-sgt.bob', action: 'gate.identification.approved', ids: {} },
      'local-sgt.bob approved the identification approval.',
    ],
    [
      { actor: 'workflow', action: 'task.CONTACT_VERIFICATION.overdue', ids: {} },
      'The task contact verification is overdue.',
    ],
    [
      { actor: 'notify', action: 'notification.delivered', ids: {} },
      "GOV.UK Notify reported a message's status: delivered.",
    ],
    [
      { actor: 'local-inv.alice', action: 'closure.proposed', ids: {} },
      'local-inv.alice proposed closing the case without a suspect.',
    ],
    [
      { actor: 'workflow', action: 'letter.made', ids: { purpose: 'not_traced' } },
      'The letter saying the account could not be traced was made.',
    ],
    [{ actor: 'workflow', action: 'letter.made', ids: {} }, 'The disclosure letter was made.'],
    [
      { actor: 'workflow', action: 'closure.victim_told', ids: { channel: 'sms' } },
      'The victim was told by SMS that the account could not be traced.',
    ],
    [
      { actor: 'local-inv.alice', action: 'victim.contact.changed', ids: {} },
      "local-inv.alice changed the victim's contact details.",
    ],
    [
      { actor: 'local-inv.alice', action: 'contact.unsafe.sms', ids: {} },
      "local-inv.alice recorded the victim's phone number as unsafe.",
    ],
    [
      { actor: 'notify', action: 'disclosure.delivery_reopened', ids: {} },
      'The disclosure could not be delivered: delivery is open again for the case owner.',
    ],
    [
      { actor: 'notify', action: 'notification.permanent-failure', ids: {} },
      "GOV.UK Notify reported a message's status: permanent failure.",
    ],
  ])('%o reads "%s"', (entry, text) => {
    expect(timelineText(entry)).toBe(text);
  });
});
