import { describe, expect, test } from 'vitest';
import { caseRow, caseStatus, caseSummary } from '../../functions/domain/caseSummary.js';
import { mayDecideQueued, otherDeciders } from '../../functions/domain/gateDecisions.js';
import type { ApprovalRecord, CaseRecord } from '../../functions/domain/records.js';
import type { User } from '../../functions/domain/users.js';

/** What the lists show of a case and of a pending approval, worked out from their own items (no mocks, no store). */
const NOW = '2026-11-30T12:00:00.000Z';
const kase = {
  caseId: 'case-1',
  force: 'LOCAL',
  crimeReference: 'LOCAL/26/1',
  stage: 'DATA_REQUEST_APPROVAL',
  createdBy: { sub: 'alice', name: 'Alice' },
  arrests: [],
} as unknown as CaseRecord;
const approval = (over: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
  approvalId: 'a-1',
  caseId: 'case-1',
  force: 'LOCAL',
  gate: 'data_request',
  requiredRank: 'sergeant',
  status: 'pending',
  subjectId: 'case-1',
  requestedBy: { sub: 'alice', name: 'Alice' },
  createdAt: NOW,
  dueAt: '2026-12-01T12:00:00.000Z',
  overdue: false,
  caseCreatedBy: 'alice',
  otherDeciders: [],
  ...over,
});
const supervisor = (sub: string, rank: User['rank'], force = 'LOCAL'): User => ({
  sub,
  name: sub,
  groups: ['supervisor'],
  rank,
  force,
});

describe('the case summary', () => {
  test('is the open tasks soonest first, the next deadline, and the owner (the opener until handed on)', () => {
    const s = caseSummary({ kase, tasks: [], approvals: [approval()], faults: [] }, NOW);
    expect(s).toEqual({
      openTasks: [{ task: 'DATA_REQUEST_APPROVAL', dueAt: '2026-12-01T12:00:00.000Z', overdue: false }],
      nextDeadline: '2026-12-01T12:00:00.000Z',
      owner: 'alice',
    });
    expect(caseSummary({ kase: { ...kase, owner: 'ahmed' }, tasks: [], approvals: [], faults: [] }, NOW).owner).toBe(
      'ahmed',
    );
  });

  test('a row works out overdue again when it is read: a deadline that has passed since the write shows', () => {
    const stored = { ...kase, ...caseSummary({ kase, tasks: [], approvals: [approval()], faults: [] }, NOW) };
    expect(caseRow(stored, NOW).openTasks[0]!.overdue).toBe(false);
    expect(caseRow(stored, '2026-12-02T00:00:00.000Z').openTasks[0]!.overdue).toBe(true);
    expect(caseRow(stored, NOW)).toMatchObject({
      createdBy: 'alice',
      owner: 'alice',
      nextDeadline: stored.nextDeadline,
    });
  });

  test('closed means a final stage', () => {
    expect(caseStatus('CLOSED')).toBe('closed');
    expect(caseStatus('REJECTED')).toBe('closed');
    expect(caseStatus('DISCLOSURE_DECISION')).toBe('open');
  });
});

describe('the approval queue decides from the approval alone', () => {
  test('rank, own case, own proposal, the two-person rule and the force, each from what the approval carries', () => {
    expect(mayDecideQueued(supervisor('bob', 'sergeant'), approval()).allowed).toBe(true);
    expect(mayDecideQueued(supervisor('bob', 'sergeant'), approval({ requiredRank: 'inspector' })).allowed).toBe(false);
    expect(mayDecideQueued(supervisor('alice', 'superintendent'), approval()).allowed).toBe(false);
    expect(
      mayDecideQueued(supervisor('carol', 'sergeant'), approval({ proposedBy: { sub: 'carol', name: 'Carol' } }))
        .allowed,
    ).toBe(false);
    expect(
      mayDecideQueued(supervisor('dave', 'inspector'), approval({ gate: 'disclosure', otherDeciders: ['dave'] }))
        .allowed,
    ).toBe(false);
    expect(mayDecideQueued(supervisor('erin', 'superintendent', 'OTHER'), approval()).allowed).toBe(false);
  });

  test('who decided the separated gate: only an approved decision at the other gate counts', () => {
    const decided = (gate: ApprovalRecord['gate'], status: ApprovalRecord['status'], sub: string) =>
      approval({ gate, status, decidedBy: { sub, name: sub } });
    const all = [
      decided('identification', 'approved', 'carol'),
      decided('identification', 'rejected', 'bob'),
      decided('data_request', 'approved', 'dave'),
    ];
    expect(otherDeciders('disclosure', all)).toEqual(['carol']);
    expect(otherDeciders('delay', all)).toEqual([]);
    expect(otherDeciders('identification', [decided('disclosure', 'approved', 'erin')])).toEqual(['erin']);
  });
});
