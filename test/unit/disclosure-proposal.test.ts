import { describe, expect, test } from 'vitest';
import { taskSatisfied } from '../../functions/domain/taskAnswers.js';
import { delayEndedBy, delayInForce, recordDisclosureProposal } from '../../functions/domain/disclosureProposal.js';
import type { ApprovalRecord, CaseRecord, DelayRecord } from '../../functions/domain/records.js';
import { STAGES, type Stage } from '../../functions/domain/stages.js';
import type { DisclosureProposalInput } from '../../functions/schemas/api.js';
import { aCaseRecord, CASE_NOW } from '../support/caseRecord.js';
import { thrownBy } from '../support/thrown.js';

const alice = { sub: 'local-inv.alice', name: 'DC Alice Hughes' };
const ahmed = { sub: 'local-inv.ahmed', name: 'DC Ahmed Khan' };
const DAY2 = '2026-11-20T10:00:00.000Z';
const disclose: DisclosureProposalInput = { action: 'disclose', rationale: 'The suspect was arrested this morning.' };
const delay: DisclosureProposalInput = {
  action: 'delay',
  ground: 'prejudice_investigation',
  reviewInDays: 14,
  rationale: 'An arrest is planned.',
};

const aDelay = (over: Partial<DelayRecord> = {}): DelayRecord => ({
  proposalId: 'prop-delay',
  ground: 'prejudice_investigation',
  reviewInDays: 28,
  approvedAt: CASE_NOW,
  reviewAt: '2026-12-16T10:00:00.000Z',
  ...over,
});

/** A case waiting out an approved 28-day delay, approved on CASE_NOW. */
const delayedCase = (over: Partial<CaseRecord> = {}) =>
  aCaseRecord({
    stage: 'DELAYED',
    disclosureProposal: {
      proposalId: 'prop-delay',
      action: 'delay',
      ground: 'prejudice_investigation',
      reviewInDays: 28,
      rationale: 'An arrest is planned.',
      proposedBy: alice,
      proposedAt: CASE_NOW,
      status: 'approved',
    },
    delays: [aDelay()],
    ...over,
  });

const decided = (subjectId: string, status: 'approved' | 'rejected'): ApprovalRecord =>
  ({ approvalId: 'appr-1', caseId: 'case-000007', gate: 'disclosure', subjectId, status }) as ApprovalRecord;

describe('recordDisclosureProposal', () => {
  test.each([disclose, delay])(
    'at DISCLOSURE_DECISION a proposal to $action is recorded, awaiting its gate',
    (input) => {
      const { kase, endedDelay } = recordDisclosureProposal(
        aCaseRecord({ stage: 'DISCLOSURE_DECISION' }),
        input,
        alice,
        'prop-new',
        DAY2,
      );
      expect(endedDelay).toBeUndefined();
      expect(kase.disclosureProposal).toEqual({
        proposalId: 'prop-new',
        ...input,
        proposedBy: alice,
        proposedAt: DAY2,
        status: 'proposed',
      });
      expect(kase.delays).toEqual([]);
    },
  );

  test('while DELAYED a proposal to disclose ends the delay at once, recording when, by whom and by which proposal', () => {
    const before = delayedCase();
    const { kase, endedDelay } = recordDisclosureProposal(before, disclose, ahmed, 'prop-new', DAY2);
    expect(endedDelay).toEqual({ ...aDelay(), endedEarly: { at: DAY2, by: ahmed, proposalId: 'prop-new' } });
    expect(kase.delays).toEqual([endedDelay]);
    expect(kase.disclosureProposal).toMatchObject({ proposalId: 'prop-new', action: 'disclose', status: 'proposed' });
    expect(delayInForce(kase)).toBeUndefined();
    // The case it was given is left as it was.
    expect(before.delays[0]!.endedEarly).toBeUndefined();
  });

  test('only the delay in force ends: earlier delays, already over, keep their record', () => {
    const earlier = aDelay({ proposalId: 'prop-old', endedEarly: { at: CASE_NOW, by: alice, proposalId: 'prop-x' } });
    const { kase } = recordDisclosureProposal(
      delayedCase({ delays: [earlier, aDelay()] }),
      disclose,
      alice,
      'prop-new',
      DAY2,
    );
    expect(kase.delays[0]).toEqual(earlier);
    expect(kase.delays[1]!.endedEarly?.proposalId).toBe('prop-new');
  });

  test('while DELAYED a proposal to delay again is refused (409): the delay runs to its review date', () => {
    const e = thrownBy(() => recordDisclosureProposal(delayedCase(), delay, alice, 'prop-new', DAY2));
    expect(e.kind).toBe('Conflict');
    expect(e.message).toMatch(/only a proposal to disclose ends it early/);
  });

  test('a disclose proposal already awaiting its gate is not replaced (409)', () => {
    const waiting = recordDisclosureProposal(delayedCase(), disclose, alice, 'prop-new', DAY2).kase;
    expect(thrownBy(() => recordDisclosureProposal(waiting, disclose, ahmed, 'prop-2', DAY2)).kind).toBe('Conflict');
  });

  const elsewhere = STAGES.filter((s) => s !== 'DISCLOSURE_DECISION' && s !== 'DELAYED');
  test.each(elsewhere)('at %s no proposal is accepted (409)', (stage: Stage) => {
    for (const input of [disclose, delay])
      expect(
        thrownBy(() => recordDisclosureProposal(delayedCase({ stage }), input, alice, 'prop-new', DAY2)).kind,
      ).toBe('Conflict');
  });
});

describe("the delay's review wait", () => {
  test('runs while the delay is in force: nothing ends it', () => {
    const kase = delayedCase();
    expect(delayInForce(kase)).toEqual(aDelay());
    expect(delayEndedBy(kase)).toBeUndefined();
    expect(taskSatisfied({ kase, approvals: [], requests: [] }, 'DELAY_REVIEW', undefined, CASE_NOW)).toBeUndefined();
  });

  test('ends with the proposal that ended the delay, which goes on to the disclosure gate', () => {
    const { kase } = recordDisclosureProposal(delayedCase(), disclose, alice, 'prop-new', DAY2);
    const answer = { proposalId: 'prop-new', action: 'disclose' };
    expect(delayEndedBy(kase)).toEqual(answer);
    expect(taskSatisfied({ kase, approvals: [], requests: [] }, 'DELAY_REVIEW', undefined, CASE_NOW)).toEqual(answer);
  });

  test.each(['approved', 'rejected'] as const)(
    'is not ended again by that proposal once its gate has %s it',
    (status) => {
      const { kase } = recordDisclosureProposal(delayedCase(), disclose, alice, 'prop-new', DAY2);
      expect(
        taskSatisfied(
          { kase, approvals: [decided('prop-new', status)], requests: [] },
          'DELAY_REVIEW',
          undefined,
          CASE_NOW,
        ),
      ).toBe(undefined);
      const settled = { ...kase, disclosureProposal: { ...kase.disclosureProposal!, status } };
      expect(delayEndedBy(settled)).toBeUndefined();
    },
  );

  test('a later delay, approved after an early end was rejected at the gate, waits its own review', () => {
    const ended = aDelay({ endedEarly: { at: DAY2, by: alice, proposalId: 'prop-new' } });
    const kase = delayedCase({ delays: [ended, aDelay({ proposalId: 'prop-delay-2' })] });
    expect(delayInForce(kase)?.proposalId).toBe('prop-delay-2');
    expect(delayEndedBy(kase)).toBeUndefined();
  });
});
