import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  authorisationCurrent,
  authorisationCeiling,
  checkAuthorisation,
} from '../../functions/domain/authorisation.js';
import { newCase } from '../../functions/domain/caseOpening.js';
import { nextDeadline, openTasks } from '../../functions/domain/caseSummary.js';
import { addSeconds } from '../../functions/domain/clock.js';
import { delayReviewSeconds } from '../../functions/domain/disclosureProposal.js';
import {
  applyDecision,
  approvalSubject,
  checkDecision,
  decisionForWorkflow,
  escalation,
  nextApproval,
} from '../../functions/domain/gateDecisions.js';
import { checkIdentification } from '../../functions/domain/identification.js';
import { ispRequests, platformRequests } from '../../functions/domain/requests.js';
import { requireStage } from '../../functions/domain/stages.js';
import { taskSatisfied } from '../../functions/domain/taskAnswers.js';
import { channelState, deliveryPlan } from '../../functions/domain/contact.js';
import { GATES, GATE_RULES, type Gate } from '../../functions/domain/gates.js';
import { PLATFORM_PROFILES } from '../../functions/domain/platforms.js';
import { policy } from '../../functions/domain/policy.js';
import { RANKS } from '../../functions/domain/ranks.js';
import type { ApprovalRecord, CaseRecord, IpEvent, RequestRecord, TaskRecord } from '../../functions/domain/records.js';
import type { User } from '../../functions/domain/users.js';
import {
  PLATFORMS,
  type Authorisation,
  type CaseInput,
  type DecisionInput,
  type IdentificationInput,
} from '../../functions/schemas/api.js';
import { thrownBy } from '../support/thrown.js';
import { user } from '../support/users.js';

const NOW = '2026-11-20T10:00:00.000Z';
const DAY = 86_400;
const daysFrom = (iso: string, days: number) => addSeconds(iso, days * DAY);

const alice = user('local-inv.alice', 'DC Alice Hughes', ['investigator'], 'constable');
const ahmed = user('local-inv.ahmed', 'DC Ahmed Khan', ['investigator'], 'constable');
const bob = user('local-sgt.bob', 'Sgt Bob', ['supervisor'], 'sergeant');
const carol = user('local-sgt.carol', 'Sgt Carol', ['supervisor'], 'sergeant');
const dave = user('local-insp.dave', 'Insp Dave', ['supervisor'], 'inspector');
const erin = user('local-supt.erin', 'Supt Erin', ['supervisor'], 'superintendent');
const grace = user('local-ds.grace', 'DS Grace Obi', ['investigator', 'supervisor'], 'sergeant');
const ian = user('wyp-insp.ian', 'Insp Ian', ['supervisor'], 'inspector', 'WYP');
const person = (u: User) => ({ sub: u.sub, name: u.name });

/** Ids handed out in order, as the adapter's id generator would. */
function idsFrom(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${String(++n).padStart(4, '0')}`;
}

const given = {
  aCaseInput(overrides: Partial<CaseInput> = {}): CaseInput {
    return {
      crimeReference: 'LOCAL/26/000123',
      offence: 'stalking_s2a',
      summary: 'Repeated messages from an anonymous account',
      victim: {
        name: 'Jane Doe',
        dateOfBirth: '1990-04-01',
        enhancedRights: true,
        contact: {
          preferredChannel: 'letter',
          phone: '+447700900123',
          postalAddress: { lines: ['1 High Street', 'Leeds'], postcode: 'LS1 1AA' },
        },
      },
      risk: { four: { fixated: true, obsessive: true, unwanted: true, repeated: true }, sdashYes: 7 },
      accounts: [{ platform: 'instagram', handle: '@anon_watcher', platformUserId: '1784' }],
      ...overrides,
    };
  },
  aCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
    return {
      ...newCase(given.aCaseInput(), alice, 'case-000001', '2026-11-01T09:00:00.000Z', ['acct-0001']),
      ...overrides,
    };
  },
  aCaseWithContact(contact: CaseInput['victim']['contact'], verified: CaseRecord['contactVerified'] = {}): CaseRecord {
    const base = given.aCase();
    return { ...base, victim: { ...base.victim, contact }, contactVerified: verified };
  },
  anApproval(overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
    const gate = overrides.gate ?? 'data_request';
    return {
      approvalId: 'appr-0001',
      caseId: 'case-000001',
      force: 'LOCAL',
      gate,
      requiredRank: GATE_RULES[gate].minimumRank,
      status: 'pending',
      subjectId: gate === 'data_request' ? 'case-000001' : 'prop-0001',
      requestedBy: person(alice),
      ...(gate === 'data_request' ? {} : { proposedBy: person(alice) }),
      createdAt: '2026-11-20T09:00:00.000Z',
      dueAt: '2026-11-21T09:00:00.000Z',
      overdue: false,
      ...overrides,
    };
  },
  aDecidedApproval(
    gate: Gate,
    by: User,
    decision: 'approve' | 'reject',
    overrides: Partial<ApprovalRecord> = {},
  ): ApprovalRecord {
    return given.anApproval({
      gate,
      status: decision === 'approve' ? 'approved' : 'rejected',
      decision,
      decidedBy: person(by),
      decidedRank: by.rank,
      decidedAt: NOW,
      rationale: 'Decided on the evidence.',
      ...overrides,
    });
  },
  anAuthorisation(overrides: Partial<Authorisation> = {}): Authorisation {
    return { route: 'ocda', reference: 'OCDA/26/0042', dataType: 'entity', expiresAt: daysFrom(NOW, 20), ...overrides };
  },
  approve(authorisation?: Authorisation): DecisionInput {
    return {
      decision: 'approve',
      rationale: 'Necessary and proportionate.',
      ...(authorisation ? { authorisation } : {}),
    };
  },
  reject(): DecisionInput {
    return { decision: 'reject', rationale: 'Not enough to go on yet.' };
  },
  aTask(overrides: Partial<TaskRecord> = {}): TaskRecord {
    return {
      caseId: 'case-000001',
      key: 'IDENTIFICATION_PROPOSAL',
      task: 'IDENTIFICATION_PROPOSAL',
      status: 'open',
      openedAt: '2026-11-19T10:00:00.000Z',
      dueAt: '2026-11-26T10:00:00.000Z',
      overdue: false,
      ...overrides,
    };
  },
  anIpEvent(ip: string, utc: string, port?: number): IpEvent {
    return { ip, ...(port !== undefined ? { port } : {}), at: { utc, original: utc }, kind: 'login' };
  },
  aRequest(overrides: Partial<RequestRecord> = {}): RequestRecord {
    return {
      requestId: 'req-0001',
      caseId: 'case-000001',
      kind: 'platform_disclosure',
      target: 'instagram',
      accountId: 'acct-0001',
      accountHandle: '@anon_watcher',
      status: 'awaiting_return',
      createdAt: '2026-11-02T10:00:00.000Z',
      dueAt: '2026-11-16T10:00:00.000Z',
      tipOffRisk: false,
      ...overrides,
    };
  },
  aReturnedDisclosure(requestId: string, events: IpEvent[], overrides: Partial<RequestRecord> = {}): RequestRecord {
    return given.aRequest({
      requestId,
      status: 'returned',
      returnedAt: NOW,
      returned: {
        receivedAt: NOW,
        ipEvents: events,
        rawSha256: 'a'.repeat(64),
        flags: [],
        subscriber: { name: 'Gareth Quinlan', emails: [], phones: [] },
      },
      ...overrides,
    });
  },
  anIdentification(requestIds: string[]): IdentificationInput {
    return {
      suspect: { name: 'Gareth Quinlan', aliases: [] },
      points: requestIds.map((requestId, i) => ({
        requestId,
        kind: i % 2 ? 'email' : 'ip_resolution',
        detail: `point ${i}`,
      })),
      rationale: 'Two independent returns name the same person.',
    };
  },
  aCaseWithIdentification(status: 'proposed' | 'approved' | 'rejected' = 'proposed', by: User = alice): CaseRecord {
    return given.aCase({
      stage: 'IDENTIFICATION_APPROVAL',
      identification: {
        proposalId: 'prop-0001',
        suspect: { name: 'Gareth Quinlan', aliases: [] },
        points: [],
        rationale: 'Two returns agree.',
        proposedBy: person(by),
        proposedAt: NOW,
        status,
      },
    });
  },
  aCaseWithDisclosureProposal(
    action: 'disclose' | 'delay' = 'disclose',
    status: 'proposed' | 'approved' | 'rejected' = 'proposed',
  ): CaseRecord {
    return given.aCase({
      stage: action === 'disclose' ? 'DISCLOSURE_APPROVAL' : 'DELAY_APPROVAL',
      disclosureProposal: {
        proposalId: 'prop-0002',
        action,
        ...(action === 'delay' ? { ground: 'prejudice_investigation', reviewInDays: 14 } : {}),
        rationale: 'Disclose at the earliest opportunity.',
        proposedBy: person(alice),
        proposedAt: NOW,
        status,
      },
    });
  },
};

describe('newCase', () => {
  test('opens a case in the creator’s force at the data request gate', () => {
    const input = given.aCaseInput({
      accounts: [
        { platform: 'instagram', handle: '@anon_watcher' },
        { platform: 'x', handle: '@watcher2' },
      ],
    });
    const kase = newCase(input, ahmed, 'case-000042', NOW, ['acct-a', 'acct-b']);
    expect(kase).toEqual({
      caseId: 'case-000042',
      force: 'LOCAL',
      crimeReference: input.crimeReference,
      offence: input.offence,
      summary: input.summary,
      victim: input.victim,
      risk: input.risk,
      accounts: [
        { platform: 'instagram', handle: '@anon_watcher', accountId: 'acct-a' },
        { platform: 'x', handle: '@watcher2', accountId: 'acct-b' },
      ],
      stage: 'DATA_REQUEST_APPROVAL',
      createdBy: { sub: ahmed.sub, name: ahmed.name },
      owner: ahmed.sub,
      createdAt: NOW,
      updatedAt: NOW,
      version: 1,
      delays: [],
      arrests: [],
      contactVerified: {},
      notifications: [],
    });
  });

  test('takes the force from the user, never from the input', () => {
    expect(newCase(given.aCaseInput(), ian, 'case-000043', NOW, ['acct-1']).force).toBe('WYP');
  });
});

describe('openTasks and nextDeadline', () => {
  test('lists open tasks and pending approvals, soonest first, approvals named by the stage they hold', () => {
    const tasks = [
      given.aTask({ task: 'IDENTIFICATION_PROPOSAL', dueAt: '2026-11-26T10:00:00.000Z' }),
      given.aTask({ task: 'CONTACT_VERIFICATION', dueAt: '2026-11-21T10:00:00.000Z' }),
      given.aTask({ task: 'HANDOVER', dueAt: '2026-11-20T12:00:00.000Z', status: 'done' }),
    ];
    const approvals = [
      given.anApproval({ gate: 'disclosure', dueAt: '2026-11-22T10:00:00.000Z' }),
      given.anApproval({ gate: 'identification', dueAt: '2026-11-19T10:00:00.000Z', status: 'approved' }),
    ];
    const open = openTasks(tasks, approvals, NOW);
    expect(open).toEqual([
      { task: 'CONTACT_VERIFICATION', dueAt: '2026-11-21T10:00:00.000Z', overdue: false },
      { task: 'DISCLOSURE_APPROVAL', dueAt: '2026-11-22T10:00:00.000Z', overdue: false },
      { task: 'IDENTIFICATION_PROPOSAL', dueAt: '2026-11-26T10:00:00.000Z', overdue: false },
    ]);
    expect(nextDeadline(open)).toBe('2026-11-21T10:00:00.000Z');
  });

  test('a task or approval past its due time is overdue', () => {
    const open = openTasks(
      [given.aTask({ dueAt: '2026-11-20T09:59:59.000Z' })],
      [given.anApproval({ gate: 'delay', dueAt: '2026-11-19T10:00:00.000Z' })],
      NOW,
    );
    expect(open).toEqual([
      { task: 'DELAY_APPROVAL', dueAt: '2026-11-19T10:00:00.000Z', overdue: true },
      { task: 'IDENTIFICATION_PROPOSAL', dueAt: '2026-11-20T09:59:59.000Z', overdue: true },
    ]);
  });

  test('a deadline reached this very moment is overdue; one a second away is not', () => {
    expect(openTasks([given.aTask({ dueAt: NOW })], [], NOW)[0]?.overdue).toBe(true);
    expect(openTasks([given.aTask({ dueAt: addSeconds(NOW, 1) })], [], NOW)[0]?.overdue).toBe(false);
  });

  test('a superintendent’s approval kept past due shows overdue from its flag, whatever the clock', () => {
    const open = openTasks([], [given.anApproval({ gate: 'delay', dueAt: daysFrom(NOW, 1), overdue: true })], NOW);
    expect(open[0]?.overdue).toBe(true);
  });

  test('with nothing open there is no deadline', () => {
    const open = openTasks([given.aTask({ status: 'done' })], [given.anApproval({ status: 'escalated' })], NOW);
    expect(open).toEqual([]);
    expect(nextDeadline(open)).toBeNull();
  });

  test('property: the list is sorted by due time and nextDeadline is the earliest', () => {
    const dueAt = fc
      .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') })
      .map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.array(dueAt, { maxLength: 10 }), fc.array(dueAt, { maxLength: 10 }), (taskDues, approvalDues) => {
        const open = openTasks(
          taskDues.map((d) => given.aTask({ dueAt: d })),
          approvalDues.map((d) => given.anApproval({ dueAt: d })),
          NOW,
        );
        expect(open).toHaveLength(taskDues.length + approvalDues.length);
        const sorted = [...taskDues, ...approvalDues].sort();
        expect(open.map((o) => o.dueAt)).toEqual(sorted);
        expect(nextDeadline(open)).toBe(sorted[0] ?? null);
        for (const o of open) expect(o.overdue).toBe(Date.parse(o.dueAt) <= Date.parse(NOW));
      }),
    );
  });
});

describe('nextApproval', () => {
  test.each(GATES.map((g) => [g, GATE_RULES[g].minimumRank]))(
    'with no approval yet, %s is created at %s',
    (gate, rank) => {
      expect(nextApproval(gate, [], 'subject-1')).toEqual({ create: { requiredRank: rank } });
    },
  );

  test('a pending approval for the same gate and subject is reused', () => {
    const pending = given.anApproval({ gate: 'identification', subjectId: 'prop-0001', approvalId: 'appr-keep' });
    expect(nextApproval('identification', [pending], 'prop-0001')).toEqual({ reuse: pending });
  });

  test('a pending approval for another proposal or another gate is not reused', () => {
    const oldProposal = given.anApproval({ gate: 'identification', subjectId: 'prop-old' });
    const otherGate = given.anApproval({ gate: 'disclosure', subjectId: 'prop-0001' });
    expect(nextApproval('identification', [oldProposal, otherGate], 'prop-0001')).toEqual({
      create: { requiredRank: 'sergeant' },
    });
  });

  test('after an escalation, the new approval is one rank above the one it replaces', () => {
    const escalated = given.anApproval({ approvalId: 'appr-sgt', status: 'escalated', requiredRank: 'sergeant' });
    expect(nextApproval('data_request', [escalated], 'case-000001')).toEqual({
      create: { requiredRank: 'inspector', escalatedFrom: 'appr-sgt' },
    });
  });

  test('after two escalations, it climbs from the latest, whatever the order they are listed in', () => {
    const first = given.anApproval({
      approvalId: 'appr-sgt',
      status: 'escalated',
      requiredRank: 'sergeant',
      createdAt: '2026-11-18T09:00:00.000Z',
    });
    const second = given.anApproval({
      approvalId: 'appr-insp',
      status: 'escalated',
      requiredRank: 'inspector',
      createdAt: '2026-11-19T09:00:00.000Z',
    });
    const expected = { create: { requiredRank: 'chief_inspector', escalatedFrom: 'appr-insp' } };
    expect(nextApproval('data_request', [first, second], 'case-000001')).toEqual(expected);
    expect(nextApproval('data_request', [second, first], 'case-000001')).toEqual(expected);
  });

  test('a pending escalated approval is reused rather than escalated again', () => {
    const old = given.anApproval({ approvalId: 'appr-sgt', status: 'escalated', requiredRank: 'sergeant' });
    const current = given.anApproval({ approvalId: 'appr-insp', requiredRank: 'inspector', escalatedFrom: 'appr-sgt' });
    expect(nextApproval('data_request', [old, current], 'case-000001')).toEqual({ reuse: current });
  });

  test('at superintendent there is no rank above: it stays superintendent', () => {
    const escalated = given.anApproval({
      gate: 'delay',
      approvalId: 'appr-supt',
      status: 'escalated',
      requiredRank: 'superintendent',
    });
    expect(nextApproval('delay', [escalated], 'prop-0001')).toEqual({
      create: { requiredRank: 'superintendent', escalatedFrom: 'appr-supt' },
    });
  });
});

describe('escalation', () => {
  test.each(RANKS.filter((r) => r !== 'superintendent'))('a missed %s approval escalates', (rank) => {
    expect(escalation(given.anApproval({ requiredRank: rank }))).toBe('escalate');
  });

  test('a missed superintendent approval stays and shows overdue', () => {
    expect(escalation(given.anApproval({ gate: 'delay', requiredRank: 'superintendent' }))).toBe('stay_overdue');
  });
});

describe('checkDecision', () => {
  const kase = given.aCase();

  test('a sergeant approving a data request with a valid authorisation may decide', () => {
    expect(() =>
      checkDecision(bob, given.anApproval(), kase, [], given.approve(given.anAuthorisation()), NOW),
    ).not.toThrow();
  });

  test('a rejection of a data request needs no authorisation', () => {
    expect(() => checkDecision(bob, given.anApproval(), kase, [], given.reject(), NOW)).not.toThrow();
  });

  test.each([
    ['an investigator', alice, /only a supervisor/],
    ['a supervisor of another force', ian, /another force/],
  ])('%s is refused (403)', (_who, u, reason) => {
    const e = thrownBy(() => checkDecision(u, given.anApproval(), kase, [], given.reject(), NOW));
    expect(e.kind).toBe('NotAllowed');
    expect(e.message).toMatch(reason);
  });

  test.each([
    ['disclosure', carol],
    ['delay', dave],
  ] as const)('at %s, a rank below the gate’s is refused (403)', (gate, u) => {
    const e = thrownBy(() => checkDecision(u, given.anApproval({ gate }), kase, [], given.approve(), NOW));
    expect(e.kind).toBe('NotAllowed');
    expect(e.message).toBe(`this gate needs the rank ${GATE_RULES[gate].minimumRank} or above`);
  });

  test('an escalated approval needs the higher rank it now carries', () => {
    const e = thrownBy(() =>
      checkDecision(bob, given.anApproval({ requiredRank: 'inspector' }), kase, [], given.reject(), NOW),
    );
    expect(e.kind).toBe('NotAllowed');
  });

  test('the case’s creator is refused, even as a supervisor (403)', () => {
    const gracesCase = given.aCase({ createdBy: person(grace) });
    const e = thrownBy(() => checkDecision(grace, given.anApproval(), gracesCase, [], given.reject(), NOW));
    expect(e.kind).toBe('NotAllowed');
    expect(e.message).toMatch(/case they created/);
  });

  test('the proposer is refused (403)', () => {
    const approval = given.anApproval({ gate: 'identification', proposedBy: person(grace) });
    const e = thrownBy(() => checkDecision(grace, approval, kase, [], given.approve(), NOW));
    expect(e.kind).toBe('NotAllowed');
    expect(e.message).toMatch(/proposed/);
  });

  test('whoever approved the identification may not approve the disclosure (403); someone else may', () => {
    const identified = given.aDecidedApproval('identification', dave, 'approve', { approvalId: 'appr-id' });
    const disclosure = given.anApproval({ gate: 'disclosure', approvalId: 'appr-disc', subjectId: 'prop-0002' });
    const e = thrownBy(() => checkDecision(dave, disclosure, kase, [identified], given.approve(), NOW));
    expect(e.kind).toBe('NotAllowed');
    expect(e.message).toMatch(/two different people/);
    expect(() => checkDecision(erin, disclosure, kase, [identified], given.approve(), NOW)).not.toThrow();
  });

  test('and the other way round: whoever approved the disclosure may not decide a new identification', () => {
    const disclosed = given.aDecidedApproval('disclosure', dave, 'approve', { approvalId: 'appr-disc' });
    const identification = given.anApproval({ gate: 'identification', approvalId: 'appr-id2', subjectId: 'prop-0003' });
    expect(thrownBy(() => checkDecision(dave, identification, kase, [disclosed], given.approve(), NOW)).kind).toBe(
      'NotAllowed',
    );
  });

  test('a rejected or still pending identification does not bar its decider from the disclosure', () => {
    const rejected = given.aDecidedApproval('identification', dave, 'reject');
    const pendingOne = given.anApproval({ gate: 'identification', decidedBy: person(dave) });
    const disclosure = given.anApproval({ gate: 'disclosure', subjectId: 'prop-0002' });
    expect(() => checkDecision(dave, disclosure, kase, [rejected, pendingOne], given.approve(), NOW)).not.toThrow();
  });

  test('the data request and delay gates are not separated from others', () => {
    const dataRequest = given.aDecidedApproval('data_request', erin, 'approve');
    const delay = given.anApproval({ gate: 'delay', subjectId: 'prop-0002' });
    expect(() => checkDecision(erin, delay, kase, [dataRequest], given.approve(), NOW)).not.toThrow();
  });

  test('an approval already decided is a conflict (409)', () => {
    for (const decided of [
      given.aDecidedApproval('data_request', carol, 'approve'),
      given.aDecidedApproval('data_request', carol, 'reject'),
    ]) {
      const e = thrownBy(() => checkDecision(bob, decided, kase, [], given.reject(), NOW));
      expect(e.kind).toBe('Conflict');
      expect(e.message).toContain(decided.status);
    }
  });

  test('an escalated approval is gone (410)', () => {
    const e = thrownBy(() =>
      checkDecision(bob, given.anApproval({ status: 'escalated' }), kase, [], given.reject(), NOW),
    );
    expect(e.kind).toBe('Gone');
    expect(e.message).toMatch(/escalated/);
  });

  test('who may decide is checked before whether it is still open: a stranger to a decided approval hears 403', () => {
    expect(
      thrownBy(() =>
        checkDecision(ian, given.aDecidedApproval('data_request', carol, 'approve'), kase, [], given.reject(), NOW),
      ).kind,
    ).toBe('NotAllowed');
  });

  test('approving a data request without the authorisation is invalid (400), naming the field', () => {
    const e = thrownBy(() => checkDecision(bob, given.anApproval(), kase, [], given.approve(), NOW));
    expect(e.kind).toBe('Invalid');
    expect(e.errors).toEqual([{ path: 'authorisation', message: 'required when approving a data request' }]);
  });

  test.each(['identification', 'disclosure', 'delay'] as const)(
    'an authorisation on the %s gate is invalid (400)',
    (gate) => {
      const e = thrownBy(() =>
        checkDecision(erin, given.anApproval({ gate }), kase, [], given.approve(given.anAuthorisation()), NOW),
      );
      expect(e.kind).toBe('Invalid');
      expect(e.errors.map((x) => x.path)).toEqual(['authorisation']);
    },
  );

  test('an authorisation with a rejection of a data request is invalid (400)', () => {
    const e = thrownBy(() =>
      checkDecision(
        bob,
        given.anApproval(),
        kase,
        [],
        { ...given.reject(), authorisation: given.anAuthorisation() },
        NOW,
      ),
    );
    expect(e.kind).toBe('Invalid');
    expect(e.errors.map((x) => x.path)).toEqual(['authorisation']);
  });

  test.each([
    ['an hour ago', addSeconds(NOW, -3600)],
    ['this very moment', NOW],
  ])('an authorisation that expired %s is invalid (400)', (_when, expiresAt) => {
    const e = thrownBy(() =>
      checkDecision(bob, given.anApproval(), kase, [], given.approve(given.anAuthorisation({ expiresAt })), NOW),
    );
    expect(e.kind).toBe('Invalid');
    expect(e.errors).toEqual([{ path: 'authorisation.expiresAt', message: 'must be in the future' }]);
  });

  test('an urgent authorisation may run exactly 3 days, not a second more', () => {
    const urgent = (expiresAt: string) =>
      given.approve(given.anAuthorisation({ route: 'urgent_dso', dataType: 'events', expiresAt }));
    expect(() => checkDecision(erin, given.anApproval(), kase, [], urgent(daysFrom(NOW, 3)), NOW)).not.toThrow();
    const e = thrownBy(() =>
      checkDecision(erin, given.anApproval(), kase, [], urgent(addSeconds(daysFrom(NOW, 3), 1)), NOW),
    );
    expect(e.kind).toBe('Invalid');
    expect(e.errors).toEqual([
      { path: 'authorisation.expiresAt', message: 'an urgent authorisation lasts at most 3 days' },
    ]);
  });

  test.each([
    [bob, 'entity', 'inspector'],
    [bob, 'events', 'superintendent'],
    [dave, 'events', 'superintendent'],
  ] as const)('an urgent authorisation is refused from %o for %s data: it needs a %s', (who, dataType, needed) => {
    const e = thrownBy(() =>
      checkDecision(
        who,
        given.anApproval(),
        kase,
        [],
        given.approve(given.anAuthorisation({ route: 'urgent_dso', dataType, expiresAt: daysFrom(NOW, 1) })),
        NOW,
      ),
    );
    expect(e.kind).toBe('NotAllowed');
    expect(e.message).toMatch(new RegExp(`${dataType} data .* rank ${needed} or above`));
  });

  test.each([
    [dave, 'entity'],
    [erin, 'entity'],
    [erin, 'events'],
  ] as const)('an urgent authorisation is recorded by %o for %s data', (who, dataType) => {
    const urgent = given.anAuthorisation({ route: 'urgent_dso', dataType, expiresAt: daysFrom(NOW, 1) });
    expect(() => checkDecision(who, given.anApproval(), kase, [], given.approve(urgent), NOW)).not.toThrow();
  });

  test('an OCDA authorisation is recorded by a sergeant whatever the data type: the Office granted it', () => {
    const ocda = given.anAuthorisation({ route: 'ocda', dataType: 'events', expiresAt: daysFrom(NOW, 10) });
    expect(() => checkDecision(bob, given.anApproval(), kase, [], given.approve(ocda), NOW)).not.toThrow();
  });

  test('an OCDA authorisation may run one calendar month, not a second more', () => {
    const ocda = (expiresAt: string) => given.approve(given.anAuthorisation({ route: 'ocda', expiresAt }));
    expect(() => checkDecision(bob, given.anApproval(), kase, [], ocda('2026-12-20T10:00:00.000Z'), NOW)).not.toThrow();
    const e = thrownBy(() => checkDecision(bob, given.anApproval(), kase, [], ocda('2026-12-20T10:00:01.000Z'), NOW));
    expect(e.kind).toBe('Invalid');
    expect(e.errors).toEqual([{ path: 'authorisation.expiresAt', message: 'an authorisation lasts at most 1 month' }]);
  });

  test('authorisationCeiling: 3 days for urgent, the same date next month for OCDA', () => {
    expect(authorisationCeiling('urgent_dso', NOW)).toBe('2026-11-23T10:00:00.000Z');
    expect(authorisationCeiling('ocda', NOW)).toBe('2026-12-20T10:00:00.000Z');
    expect(authorisationCeiling('ocda', '2026-12-15T08:00:00.000Z')).toBe('2027-01-15T08:00:00.000Z');
  });

  test('an OCDA authorisation approved on 31 January lasts until the end of February, never into March', () => {
    expect(authorisationCeiling('ocda', '2026-01-31T12:00:00.000Z')).toBe('2026-02-28T12:00:00.000Z');
    expect(authorisationCeiling('ocda', '2028-01-31T12:00:00.000Z')).toBe('2028-02-29T12:00:00.000Z');
    expect(authorisationCeiling('ocda', '2026-03-31T12:00:00.000Z')).toBe('2026-04-30T12:00:00.000Z');
    const e = thrownBy(() =>
      checkAuthorisation(
        { route: 'ocda', reference: 'R', dataType: 'entity', expiresAt: '2026-03-02T12:00:00.000Z' },
        '2026-01-31T12:00:00.000Z',
      ),
    );
    expect(e.kind).toBe('Invalid');
  });
});

describe('decisionForWorkflow', () => {
  const returned = [{ status: 'returned' as const }, { status: 'awaiting_return' as const }];
  const nothing = [{ status: 'awaiting_return' as const }, { status: 'abandoned' as const }];
  const at = (subjectId: string, decision: 'approve' | 'reject', gate: Gate = 'data_request') => ({
    gate,
    subjectId,
    decision,
    approvalId: 'a1',
  });

  test('a refused renewal of a case holding a return goes on; everything else is the decision alone', () => {
    expect(decisionForWorkflow(at('reauth-a0', 'reject'), returned)).toEqual({
      decision: 'reject',
      approvalId: 'a1',
      goOn: true,
    });
    // Nothing returned: nothing to go on with, the refusal ends the case as a first refusal does.
    expect(decisionForWorkflow(at('reauth-a0', 'reject'), nothing)).toEqual({ decision: 'reject', approvalId: 'a1' });
    // The first refusal ends the case whatever is on it.
    expect(decisionForWorkflow(at('case-1', 'reject'), returned)).toEqual({ decision: 'reject', approvalId: 'a1' });
    expect(decisionForWorkflow(at('reauth-a0', 'approve'), returned)).toEqual({
      decision: 'approve',
      approvalId: 'a1',
    });
    expect(decisionForWorkflow(at('reauth-a0', 'reject', 'identification'), returned)).toEqual({
      decision: 'reject',
      approvalId: 'a1',
    });
  });
});

describe('requireStage', () => {
  test('passes at one of the stages named, and is a conflict at any other', () => {
    expect(() =>
      requireStage(given.aCase({ stage: 'IDENTIFICATION' }), 'IDENTIFICATION', 'ISP_RESOLUTION'),
    ).not.toThrow();
    const e = thrownBy(() => requireStage(given.aCase({ stage: 'CLOSED' }), 'IDENTIFICATION'));
    expect(e.kind).toBe('Conflict');
    expect(e.message).toBe('the case is at CLOSED, not IDENTIFICATION');
  });
});

describe('checkIdentification', () => {
  const named = (requestId: string, name: string, more: Partial<RequestRecord> = {}) =>
    given.aRequest({
      requestId,
      status: 'returned',
      returned: {
        receivedAt: NOW,
        ipEvents: [],
        rawSha256: 'a'.repeat(64),
        flags: [],
        subscriber: { name, emails: [], phones: [] },
      },
      ...more,
    });
  const returnedA = named('req-a', 'Gareth Quinlan', { accountId: 'acct-1' });
  const returnedB = named('req-b', 'GARETH  quinlan', {
    kind: 'isp_resolution',
    target: 'isp',
    accountId: undefined,
    sourceRequestId: 'req-a',
  });
  const someoneElse = named('req-c', 'Mary Jones', { accountId: 'acct-2' });
  const awaiting = given.aRequest({ requestId: 'req-wait', status: 'awaiting_return' });
  const abandoned = given.aRequest({ requestId: 'req-gone', status: 'abandoned' });
  const preservation = given.aRequest({ requestId: 'req-pres', kind: 'platform_preservation', status: 'acknowledged' });
  const requests = [returnedA, returnedB, someoneElse, awaiting, abandoned, preservation];

  test('two returns naming the suspect stand, and tie the account they are about', () => {
    expect(checkIdentification(given.anIdentification(['req-a', 'req-b']), requests)).toEqual(['acct-1']);
  });

  test('many points from one returned request are one source: refused', () => {
    const e = thrownBy(() =>
      checkIdentification(given.anIdentification(['req-a', 'req-a', 'req-a', 'req-a', 'req-a']), requests),
    );
    expect(e.kind).toBe('Invalid');
    expect(e.message).toMatch(/at least 2 independent/);
    expect(e.errors).toEqual([{ path: 'points', message: 'only 1 independent source' }]);
  });

  test('points from requests that are unknown, awaiting, abandoned or preservations are each refused by path', () => {
    const e = thrownBy(() =>
      checkIdentification(
        given.anIdentification(['req-a', 'req-nope', 'req-b', 'req-wait', 'req-gone', 'req-pres']),
        requests,
      ),
    );
    expect(e.kind).toBe('Invalid');
    expect(e.errors).toEqual(
      [1, 3, 4, 5].map((i) => ({ path: `points.${i}`, message: 'is not a returned request of this case' })),
    );
  });

  test('a return naming someone else does not stand, named by its path', () => {
    const e = thrownBy(() => checkIdentification(given.anIdentification(['req-a', 'req-c']), requests));
    expect(e.errors).toEqual([{ path: 'points.1', message: expect.stringMatching(/names someone else/) }]);
  });

  test('a returned request of another case is not in this case’s list, so it is refused', () => {
    const e = thrownBy(() => checkIdentification(given.anIdentification(['req-a', 'req-other-case']), [returnedA]));
    expect(e.errors.map((x) => x.path)).toEqual(['points.1']);
  });
});

describe('platformRequests', () => {
  const kase = given.aCase({
    accounts: [
      { platform: 'instagram', handle: '@anon_watcher', accountId: 'acct-1' },
      { platform: 'google', handle: 'watcher@gmail.example', accountId: 'acct-2' },
      { platform: 'x', handle: '@watcher_x', accountId: 'acct-3' },
    ],
  });

  test('asks each platform to preserve, then to disclose, one pair per account', () => {
    const reqs = platformRequests(kase, NOW, idsFrom('req'));
    expect(reqs.map((r) => [r.requestId, r.kind, r.target, r.accountId, r.accountHandle, r.status])).toEqual([
      ['req-0001', 'platform_preservation', 'instagram', 'acct-1', '@anon_watcher', 'sent'],
      ['req-0002', 'platform_disclosure', 'instagram', 'acct-1', '@anon_watcher', 'awaiting_return'],
      ['req-0003', 'platform_preservation', 'google', 'acct-2', 'watcher@gmail.example', 'sent'],
      ['req-0004', 'platform_disclosure', 'google', 'acct-2', 'watcher@gmail.example', 'awaiting_return'],
      ['req-0005', 'platform_preservation', 'x', 'acct-3', '@watcher_x', 'sent'],
      ['req-0006', 'platform_disclosure', 'x', 'acct-3', '@watcher_x', 'awaiting_return'],
    ]);
    for (const r of reqs) {
      expect(r.caseId).toBe(kase.caseId);
      expect(r.createdAt).toBe(NOW);
    }
  });

  test('a preservation is due for renewal at day 75; a disclosure is chased at day 14', () => {
    const [preservation, disclosure] = platformRequests(kase, NOW, idsFrom('req'));
    expect(preservation?.dueAt).toBe(daysFrom(NOW, 75));
    expect(disclosure?.dueAt).toBe(daysFrom(NOW, 14));
  });

  test('Google and X tell their user unless barred: their requests carry the tip-off risk; Instagram’s do not', () => {
    const risk = Object.fromEntries(
      platformRequests(kase, NOW, idsFrom('req')).map((r) => [`${r.target}/${r.kind}`, r.tipOffRisk]),
    );
    expect(risk).toEqual({
      'instagram/platform_preservation': false,
      'instagram/platform_disclosure': false,
      'google/platform_preservation': true,
      'google/platform_disclosure': true,
      'x/platform_preservation': true,
      'x/platform_disclosure': true,
    });
  });

  test.each(PLATFORMS)('the tip-off risk for %s follows its platform profile', (platform) => {
    const reqs = platformRequests(
      given.aCase({ accounts: [{ platform, handle: 'h', accountId: 'acct-1' }] }),
      NOW,
      idsFrom('req'),
    );
    expect(reqs).toHaveLength(2);
    for (const r of reqs) expect(r.tipOffRisk).toBe(PLATFORM_PROFILES[platform].notifiesUser);
  });
});

describe('ispRequests', () => {
  const kase = given.aCase();
  const t1 = '2026-11-01T21:14:05.000Z';
  const t2 = '2026-11-02T07:00:00.000Z';

  test('one ISP request per distinct address, time and port in returned platform disclosures', () => {
    const returned = given.aReturnedDisclosure('req-disc-1', [
      given.anIpEvent('203.0.113.7', t1, 51234),
      given.anIpEvent('203.0.113.7', t1, 51234),
      given.anIpEvent('203.0.113.7', t1, 40000),
      given.anIpEvent('203.0.113.7', t2),
      given.anIpEvent('2001:db8::1', t1),
    ]);
    const out = ispRequests([returned], kase, NOW, idsFrom('isp'));
    // Newest first; events at the same time in the order the log gives them.
    expect(out.map((r) => [r.requestId, r.ip, r.eventAt, r.port])).toEqual([
      ['isp-0001', '203.0.113.7', t2, undefined],
      ['isp-0002', '203.0.113.7', t1, 51234],
      ['isp-0003', '203.0.113.7', t1, 40000],
      ['isp-0004', '2001:db8::1', t1, undefined],
    ]);
  });

  test('each request says where it came from and when it is chased', () => {
    const [r] = ispRequests(
      [given.aReturnedDisclosure('req-disc-1', [given.anIpEvent('203.0.113.7', t1)])],
      kase,
      NOW,
      idsFrom('isp'),
    );
    expect(r).toEqual({
      requestId: 'isp-0001',
      caseId: kase.caseId,
      force: kase.force,
      crimeReference: kase.crimeReference,
      kind: 'isp_resolution',
      target: 'isp',
      ip: '203.0.113.7',
      eventAt: t1,
      sourceRequestId: 'req-disc-1',
      accountId: 'acct-0001',
      accountHandle: '@anon_watcher',
      status: 'awaiting_return',
      createdAt: NOW,
      dueAt: daysFrom(NOW, 14),
      tipOffRisk: false,
    });
    expect(r).not.toHaveProperty('port');
  });

  test('a local time that happened twice asks the ISP for both instants', () => {
    const twice: IpEvent = {
      ip: '203.0.113.7',
      at: {
        utc: '2026-11-01T08:30:00.000Z',
        original: '2026-11-01 01:30',
        timeZone: 'America/Los_Angeles',
        candidates: ['2026-11-01T08:30:00.000Z', '2026-11-01T09:30:00.000Z'],
        flag: 'ambiguous_dst_overlap',
      },
      kind: 'login',
    };
    const [r] = ispRequests([given.aReturnedDisclosure('req-disc-1', [twice])], kase, NOW, idsFrom('isp'));
    expect(r?.eventAt).toBe('2026-11-01T08:30:00.000Z');
    expect(r?.atCandidates).toEqual(['2026-11-01T08:30:00.000Z', '2026-11-01T09:30:00.000Z']);
  });

  test(`at most ${policy.ispRequestsPerAccount} per account: the newest event of each distinct address and port first`, () => {
    // 30 addresses, each logged at 5 times: the 10 made are the newest logins of the 10 most recently seen addresses.
    const events = Array.from({ length: 150 }, (_, i) =>
      given.anIpEvent(`198.51.100.${i % 30}`, addSeconds(t1, i * 60), 1000 + (i % 30)),
    );
    const out = ispRequests([given.aReturnedDisclosure('req-disc-1', events)], kase, NOW, idsFrom('isp'));
    expect(out).toHaveLength(policy.ispRequestsPerAccount);
    expect(out.map((r) => r.ip)).toEqual(Array.from({ length: 10 }, (_, k) => `198.51.100.${29 - k}`));
    expect(out.map((r) => r.eventAt)).toEqual(Array.from({ length: 10 }, (_, k) => addSeconds(t1, (149 - k) * 60)));
    // A second account gets its own ten.
    const other = given.aReturnedDisclosure(
      'req-disc-2',
      events.map((e) => ({ ...e, ip: e.ip.replace('198.51', '203.0') })),
      {
        accountId: 'acct-0002',
      },
    );
    expect(
      ispRequests([given.aReturnedDisclosure('req-disc-1', events), other], kase, NOW, idsFrom('isp')),
    ).toHaveLength(2 * policy.ispRequestsPerAccount);
  });

  test('with fewer distinct addresses than the bound, the rest are filled by the newest other events', () => {
    const events = Array.from({ length: 40 }, (_, i) =>
      given.anIpEvent(`198.51.100.${i % 3}`, addSeconds(t1, i * 60), 443),
    );
    const out = ispRequests([given.aReturnedDisclosure('req-disc-1', events)], kase, NOW, idsFrom('isp'));
    expect(out.map((r) => r.eventAt)).toEqual(Array.from({ length: 10 }, (_, k) => addSeconds(t1, (39 - k) * 60)));
  });

  test('the same address and time in two platforms’ returns is asked once', () => {
    const a = given.aReturnedDisclosure('req-disc-1', [given.anIpEvent('203.0.113.7', t1, 1)]);
    const b = given.aReturnedDisclosure('req-disc-2', [given.anIpEvent('203.0.113.7', t1, 1)]);
    const out = ispRequests([a, b], kase, NOW, idsFrom('isp'));
    expect(out).toHaveLength(1);
    expect(out[0]?.sourceRequestId).toBe('req-disc-1');
  });

  test('for one return just in, only its own events: the other platforms’ returns wait for their own turn', () => {
    const a = given.aReturnedDisclosure('req-disc-1', [given.anIpEvent('203.0.113.7', t1, 1)]);
    const b = given.aReturnedDisclosure('req-disc-2', [given.anIpEvent('198.51.100.2', t2, 2)], {
      accountId: 'acct-0002',
    });
    const out = ispRequests([a, b], kase, NOW, idsFrom('isp'), 'req-disc-2');
    expect(out.map((r) => [r.sourceRequestId, r.ip])).toEqual([['req-disc-2', '198.51.100.2']]);
    expect(ispRequests([a, b], kase, NOW, idsFrom('isp'), 'req-disc-3')).toEqual([]);
  });

  test('ISP requests already made are not made again', () => {
    const returned = given.aReturnedDisclosure('req-disc-1', [
      given.anIpEvent('203.0.113.7', t1, 51234),
      given.anIpEvent('198.51.100.2', t2),
    ]);
    const existing = given.aRequest({
      requestId: 'isp-old',
      kind: 'isp_resolution',
      target: 'isp',
      ip: '203.0.113.7',
      eventAt: t1,
      port: 51234,
    });
    const out = ispRequests([returned, existing], kase, NOW, idsFrom('isp'));
    expect(out.map((r) => r.ip)).toEqual(['198.51.100.2']);
  });

  test('only returned platform disclosures count: not awaiting ones, not preservations, not ISP returns', () => {
    const events = [given.anIpEvent('203.0.113.7', t1)];
    const notYet = given.aReturnedDisclosure('req-1', events, { status: 'awaiting_return' });
    const abandoned = given.aReturnedDisclosure('req-2', events, { status: 'abandoned' });
    const preservation = given.aReturnedDisclosure('req-3', events, { kind: 'platform_preservation' });
    const isp = given.aReturnedDisclosure('req-4', [given.anIpEvent('198.51.100.9', t2)], {
      kind: 'isp_resolution',
      ip: '10.0.0.1',
      eventAt: t2,
    });
    const noReturn = given.aRequest({ requestId: 'req-5', status: 'returned' });
    expect(ispRequests([notYet, abandoned, preservation, isp, noReturn], kase, NOW, idsFrom('isp'))).toEqual([]);
  });

  test('property: one request per distinct key, and running again over the result asks for nothing more', () => {
    const event = fc
      .record({
        ip: fc.constantFrom('203.0.113.7', '198.51.100.2', '2001:db8::1'),
        t: fc.constantFrom(t1, t2),
        port: fc.option(fc.constantFrom(0, 443, 51234), { nil: undefined }),
      })
      .map(({ ip, t, port }) => given.anIpEvent(ip, t, port));
    fc.assert(
      fc.property(fc.array(fc.array(event, { maxLength: 8 }), { minLength: 1, maxLength: 3 }), (perReturn) => {
        const returns = perReturn.map((events, i) => given.aReturnedDisclosure(`req-disc-${i}`, events));
        const first = ispRequests(returns, kase, NOW, idsFrom('isp'));
        const keys = new Set(perReturn.flat().map((e) => `${e.ip}|${e.at.utc}|${e.port ?? ''}`));
        // Every key asked once, unless one account's distinct keys pass the bound.
        if (perReturn.every((events) => events.length <= policy.ispRequestsPerAccount))
          expect(first).toHaveLength(keys.size);
        else expect(first.length).toBeLessThanOrEqual(keys.size);
        for (const [i] of perReturn.entries())
          expect(first.filter((r) => r.sourceRequestId === `req-disc-${i}`).length).toBeLessThanOrEqual(
            policy.ispRequestsPerAccount,
          );
        expect(new Set(first.map((r) => r.requestId)).size).toBe(first.length);
        expect(ispRequests([...returns, ...first], kase, NOW, idsFrom('again'))).toEqual([]);
      }),
    );
  });
});

describe('delayReviewSeconds', () => {
  test.each([1, 7, 28])('a review %i days away is that many days', (days) => {
    expect(delayReviewSeconds(days, DAY)).toBe(days * DAY);
  });

  test('uses the day length it is given (a test clock may shorten days)', () => {
    expect(delayReviewSeconds(14, 2)).toBe(28);
  });

  test.each([0, -1, 29, 365])('%i days is refused: a delay ends 1 to 28 days away', (days) => {
    const e = thrownBy(() => delayReviewSeconds(days, DAY));
    expect(e.kind).toBe('Invalid');
    expect(e.message).toMatch(/1 to 28 days/);
  });

  test.each([Number.NaN, 1.5, Number.POSITIVE_INFINITY])('%s days is refused', (days) => {
    expect(thrownBy(() => delayReviewSeconds(days, DAY)).kind).toBe('Invalid');
  });
});

describe('applyDecision', () => {
  test('an approved data request records the authorisation, who recorded it and on which approval', () => {
    const authorisation = given.anAuthorisation();
    const approval = given.aDecidedApproval('data_request', bob, 'approve', { approvalId: 'appr-dr', authorisation });
    const kase = applyDecision(given.aCase(), approval);
    expect(kase.authorisation).toEqual({ ...authorisation, approvalId: 'appr-dr', recordedBy: person(bob) });
  });

  test('a rejected data request records no authorisation', () => {
    expect(
      applyDecision(given.aCase(), given.aDecidedApproval('data_request', bob, 'reject')).authorisation,
    ).toBeUndefined();
  });

  test.each([
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const)('an identification decision (%s) marks the proposal %s', (decision, status) => {
    const kase = applyDecision(
      given.aCaseWithIdentification(),
      given.aDecidedApproval('identification', bob, decision, { subjectId: 'prop-0001' }),
    );
    expect(kase.identification?.status).toBe(status);
  });

  test.each([
    ['disclosure', 'disclose', 'approve', 'approved'],
    ['disclosure', 'disclose', 'reject', 'rejected'],
    ['delay', 'delay', 'approve', 'approved'],
    ['delay', 'delay', 'reject', 'rejected'],
  ] as const)('a %s decision (%s, %s) marks the proposal %s', (gate, action, decision, status) => {
    const kase = applyDecision(
      given.aCaseWithDisclosureProposal(action),
      given.aDecidedApproval(gate, erin, decision, { subjectId: 'prop-0002' }),
    );
    expect(kase.disclosureProposal?.status).toBe(status);
  });

  test('a decision on an older proposal leaves the current one alone', () => {
    const id = applyDecision(
      given.aCaseWithIdentification(),
      given.aDecidedApproval('identification', bob, 'reject', { subjectId: 'prop-old' }),
    );
    expect(id.identification?.status).toBe('proposed');
    const disc = applyDecision(
      given.aCaseWithDisclosureProposal(),
      given.aDecidedApproval('disclosure', dave, 'reject', { subjectId: 'prop-old' }),
    );
    expect(disc.disclosureProposal?.status).toBe('proposed');
  });

  test('applying the same decision twice changes nothing more', () => {
    const approval = given.aDecidedApproval('identification', bob, 'approve', { subjectId: 'prop-0001' });
    const once = applyDecision(structuredClone(given.aCaseWithIdentification()), approval);
    const twice = applyDecision(applyDecision(structuredClone(given.aCaseWithIdentification()), approval), approval);
    expect(twice).toEqual(once);
  });
});

describe('approvalSubject', () => {
  test('the data request decides the case itself, with no proposer', () => {
    expect(approvalSubject(given.aCase({ caseId: 'case-777777' }), 'data_request', NOW)).toEqual({
      subjectId: 'case-777777',
    });
  });

  test('an expired authorisation is asked for again: a new subject, not the case decided before', () => {
    const expired = given.aCase({
      caseId: 'case-777777',
      authorisation: {
        route: 'urgent_dso',
        reference: 'U/1',
        dataType: 'entity',
        expiresAt: '2000-01-01T00:00:00.000Z',
        approvalId: 'appr-1',
        recordedBy: person(alice),
      },
    });
    expect(approvalSubject(expired, 'data_request', NOW)).toEqual({ subjectId: 'reauth-appr-1' });
    expect(authorisationCurrent(expired, NOW)).toBe(false);
    const current = given.aCase({
      caseId: 'case-777777',
      authorisation: { ...expired.authorisation!, expiresAt: '2999-01-01T00:00:00.000Z' },
    });
    expect(approvalSubject(current, 'data_request', NOW)).toEqual({ subjectId: 'case-777777' });
    expect(authorisationCurrent(current, NOW)).toBe(true);
  });

  test('identification decides the identification proposal, proposed by its proposer', () => {
    expect(approvalSubject(given.aCaseWithIdentification('proposed', grace), 'identification', NOW)).toEqual({
      subjectId: 'prop-0001',
      proposedBy: person(grace),
    });
  });

  test.each(['disclosure', 'delay'] as const)('%s decides the disclosure proposal', (gate) => {
    expect(approvalSubject(given.aCaseWithDisclosureProposal(), gate, NOW)).toEqual({
      subjectId: 'prop-0002',
      proposedBy: person(alice),
    });
  });

  test.each(['identification', 'disclosure', 'delay'] as const)(
    '%s without a proposal is a programming error',
    (gate) => {
      expect(() => approvalSubject(given.aCase(), gate, NOW)).toThrow(/without a proposal/);
    },
  );
});

describe('taskSatisfied', () => {
  const bundle = (kase: CaseRecord, approvals: ApprovalRecord[] = [], requests: RequestRecord[] = []) => ({
    kase,
    approvals,
    requests,
  });

  test.each(['returned', 'abandoned'] as const)('REQUEST_RETURN is satisfied once its request is %s', (status) => {
    const b = bundle(given.aCase(), [], [given.aRequest({ requestId: 'req-9', status })]);
    expect(taskSatisfied(b, 'REQUEST_RETURN', 'req-9', NOW)).toEqual({ requestId: 'req-9', status });
  });

  test('REQUEST_RETURN waits while the request is outstanding, or when it is another request', () => {
    const b = bundle(
      given.aCase(),
      [],
      [
        given.aRequest({ requestId: 'req-9', status: 'awaiting_return' }),
        given.aRequest({ requestId: 'req-8', status: 'returned' }),
      ],
    );
    expect(taskSatisfied(b, 'REQUEST_RETURN', 'req-9', NOW)).toBeUndefined();
    expect(taskSatisfied(b, 'REQUEST_RETURN', 'req-7', NOW)).toBeUndefined();
    expect(taskSatisfied(b, 'REQUEST_RETURN', undefined, NOW)).toBeUndefined();
  });

  test('IDENTIFICATION_PROPOSAL is satisfied by a proposal not yet decided', () => {
    expect(taskSatisfied(bundle(given.aCaseWithIdentification()), 'IDENTIFICATION_PROPOSAL', undefined, NOW)).toEqual({
      proposalId: 'prop-0001',
    });
  });

  test('IDENTIFICATION_PROPOSAL waits for a new proposal when the last one was decided or rejected, or there is none', () => {
    const decided = given.aDecidedApproval('identification', bob, 'reject', { subjectId: 'prop-0001' });
    expect(
      taskSatisfied(bundle(given.aCaseWithIdentification(), [decided]), 'IDENTIFICATION_PROPOSAL', undefined, NOW),
    ).toBeUndefined();
    expect(
      taskSatisfied(bundle(given.aCaseWithIdentification('rejected')), 'IDENTIFICATION_PROPOSAL', undefined, NOW),
    ).toBeUndefined();
    expect(taskSatisfied(bundle(given.aCase()), 'IDENTIFICATION_PROPOSAL', undefined, NOW)).toBeUndefined();
  });

  test('a pending or escalated approval of the proposal does not count as decided', () => {
    const pending = given.anApproval({ gate: 'identification', subjectId: 'prop-0001' });
    const escalated = given.anApproval({ gate: 'identification', subjectId: 'prop-0001', status: 'escalated' });
    expect(
      taskSatisfied(
        bundle(given.aCaseWithIdentification(), [pending, escalated]),
        'IDENTIFICATION_PROPOSAL',
        undefined,
        NOW,
      ),
    ).toEqual({ proposalId: 'prop-0001' });
  });

  test.each(['disclose', 'delay'] as const)(
    'DISCLOSURE_PROPOSAL is satisfied by an undecided proposal to %s, with its action',
    (action) => {
      expect(
        taskSatisfied(bundle(given.aCaseWithDisclosureProposal(action)), 'DISCLOSURE_PROPOSAL', undefined, NOW),
      ).toEqual({
        proposalId: 'prop-0002',
        action,
      });
    },
  );

  test('DISCLOSURE_PROPOSAL waits after a decision on the proposal', () => {
    const decided = given.aDecidedApproval('disclosure', dave, 'approve', { subjectId: 'prop-0002' });
    expect(
      taskSatisfied(bundle(given.aCaseWithDisclosureProposal(), [decided]), 'DISCLOSURE_PROPOSAL', undefined, NOW),
    ).toBeUndefined();
    expect(
      taskSatisfied(
        bundle(given.aCaseWithDisclosureProposal('disclose', 'rejected')),
        'DISCLOSURE_PROPOSAL',
        undefined,
        NOW,
      ),
    ).toBeUndefined();
    expect(taskSatisfied(bundle(given.aCase()), 'DISCLOSURE_PROPOSAL', undefined, NOW)).toBeUndefined();
  });

  const arrest = (outcome: CaseRecord['arrests'][number]['outcome']) => ({
    outcome,
    at: NOW,
    recordedBy: person(alice),
    recordedAt: NOW,
  });

  test.each(['arrested', 'not_located'] as const)(
    'ARREST_TRACK goes on at once when an outcome (%s) is on record that the workflow has not handled',
    (outcome) => {
      const kase = given.aCase({ arrests: [{ ...arrest('not_located'), handledAt: NOW }, arrest(outcome)] });
      expect(taskSatisfied(bundle(kase), 'ARREST_TRACK', undefined, NOW)).toEqual({ changed: true });
    },
  );

  test('ARREST_TRACK keeps waiting while every outcome is handled and the track cannot end', () => {
    const kase = given.aCase({
      arrests: [{ ...arrest('arrested'), handledAt: NOW }],
      arrestTrack: { victimUpdates: [], spoConsiderations: [], prisonContactBlocks: [] },
    });
    expect(taskSatisfied(bundle(kase), 'ARREST_TRACK', undefined, NOW)).toBeUndefined();
    expect(taskSatisfied(bundle(given.aCase({ arrests: [] })), 'ARREST_TRACK', undefined, NOW)).toBeUndefined();
  });

  test('CASE_CLOSURE is satisfied by the closing decision on record', () => {
    expect(taskSatisfied(bundle(given.aCase()), 'CASE_CLOSURE', undefined, NOW)).toBeUndefined();
    const closure = { reason: 'Convicted; order made and notified.', decidedBy: person(alice), decidedAt: NOW };
    expect(taskSatisfied(bundle(given.aCase({ closure })), 'CASE_CLOSURE', undefined, NOW)).toEqual({
      closedBy: person(alice).sub,
    });
  });

  const verification = {
    by: person(alice),
    at: NOW,
    note: 'Called victim from the station; confirmed number is hers alone.',
  };

  test('CONTACT_VERIFICATION is satisfied when every channel used is verified', () => {
    const contact = given.aCase().victim.contact;
    expect(
      taskSatisfied(
        bundle(given.aCaseWithContact(contact, { sms: verification, letter: verification })),
        'CONTACT_VERIFICATION',
        undefined,
        NOW,
      ),
    ).toEqual({ verified: true });
    expect(
      taskSatisfied(
        bundle(given.aCaseWithContact(contact, { sms: verification })),
        'CONTACT_VERIFICATION',
        undefined,
        NOW,
      ),
    ).toBeUndefined();
  });

  test('HANDOVER is satisfied once the letter was handed over', () => {
    const handed = given.aCase({
      disclosure: { version: 1, approvedAt: NOW, channel: 'in_person', handedOverAt: '2026-11-21T15:00:00.000Z' },
    });
    expect(taskSatisfied(bundle(handed), 'HANDOVER', undefined, NOW)).toEqual({
      handedOverAt: '2026-11-21T15:00:00.000Z',
    });
    const notYet = given.aCase({ disclosure: { version: 1, approvedAt: NOW, channel: 'in_person' } });
    expect(taskSatisfied(bundle(notYet), 'HANDOVER', undefined, NOW)).toBeUndefined();
  });

  test('an unknown task is never satisfied', () => {
    expect(taskSatisfied(bundle(given.aCaseWithIdentification()), 'SOMETHING_ELSE', undefined, NOW)).toBeUndefined();
  });
});

describe('deliveryPlan: how the disclosure reaches the victim', () => {
  const address = { lines: ['1 High Street', 'Leeds'], postcode: 'LS1 1AA' };
  const phone = '+447700900123';
  const ok = { by: person(alice), at: NOW, note: 'Verified in person.' };
  const unsafe = { ...ok, safe: false };
  const plan = (contact: CaseInput['victim']['contact'], verified: CaseRecord['contactVerified'] = {}) =>
    deliveryPlan(given.aCaseWithContact(contact, verified), NOW);

  test.each([
    [
      'letter, phone and address, both verified: posted, and the SMS',
      { preferredChannel: 'letter', phone, postalAddress: address },
      { sms: ok, letter: ok },
      { verify: [], byPost: true, bySms: true },
    ],
    [
      'letter and address, no phone',
      { preferredChannel: 'letter', postalAddress: address },
      { letter: ok },
      { verify: [], byPost: true, bySms: false },
    ],
    [
      'letter, neither verified: both asked for',
      { preferredChannel: 'letter', phone, postalAddress: address },
      {},
      { verify: ['letter', 'sms'], byPost: false, bySms: false, inPerson: 'IN_PERSON_DISCLOSURE' },
    ],
    [
      'letter but no address: the SMS, and the letter handed over',
      { preferredChannel: 'letter', phone },
      { sms: ok },
      { verify: [], byPost: false, bySms: true, inPerson: 'HANDOVER' },
    ],
    [
      'in person, phone not verified: nothing to verify, no SMS, handed over',
      { preferredChannel: 'in_person', phone, postalAddress: address },
      {},
      { verify: [], byPost: false, bySms: false, inPerson: 'HANDOVER' },
    ],
    [
      'in person, phone verified: the SMS, and handed over',
      { preferredChannel: 'in_person', phone },
      { sms: ok },
      { verify: [], byPost: false, bySms: true, inPerson: 'HANDOVER' },
    ],
    [
      'sms: the letter is handed over, never texted',
      { preferredChannel: 'sms', phone, postalAddress: address },
      { sms: ok },
      { verify: [], byPost: false, bySms: true, inPerson: 'HANDOVER' },
    ],
    [
      'SMS recorded unsafe: never asked again, the letter still posted',
      { preferredChannel: 'letter', phone, postalAddress: address },
      { sms: unsafe, letter: ok },
      { verify: [], byPost: true, bySms: false },
    ],
    [
      'both recorded unsafe: no safe written channel, told in person',
      { preferredChannel: 'letter', phone, postalAddress: address },
      { sms: unsafe, letter: unsafe },
      { verify: [], byPost: false, bySms: false, inPerson: 'IN_PERSON_DISCLOSURE' },
    ],
  ] as const)('%s', (_what, contact, verified, expected) => {
    expect(plan(contact, verified)).toEqual(expected);
  });

  test(`a verification older than ${policy.contactVerificationMaxAgeDays} days is asked for again`, () => {
    const old = {
      ...ok,
      at: new Date(Date.parse(NOW) - (policy.contactVerificationMaxAgeDays * 86_400 + 1) * 1000).toISOString(),
    };
    const justInTime = {
      ...ok,
      at: new Date(Date.parse(NOW) - policy.contactVerificationMaxAgeDays * 86_400_000).toISOString(),
    };
    const contact = { preferredChannel: 'letter', phone, postalAddress: address } as const;
    expect(plan(contact, { sms: old, letter: ok }).verify).toEqual(['sms']);
    expect(plan(contact, { sms: justInTime, letter: ok }).verify).toEqual([]);
    expect(channelState(given.aCaseWithContact(contact, { sms: old }), 'sms', NOW)).toBe('stale');
  });
});
