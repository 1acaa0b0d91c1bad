import { describe, expect, test } from 'vitest';
import { mayDecideQueued } from '../../functions/domain/gateDecisions.js';
import { taskSatisfied } from '../../functions/domain/taskAnswers.js';
import {
  CLOSURE_PROPOSAL_STAGES,
  closureAnswers,
  notTracedNotice,
  requestsClosureEnds,
  recordClosureProposal,
} from '../../functions/domain/closureProposal.js';
import { GATE_RULES, gateTask } from '../../functions/domain/gates.js';
import { checkedSmsBody, letterText, notTracedLetterContent, smsBody } from '../../functions/domain/messages.js';
import type { CaseRecord, RequestRecord } from '../../functions/domain/records.js';
import { STAGES } from '../../functions/domain/stages.js';
import { forbiddenSmsWord } from '../../functions/domain/smsWords.js';
import { aCaseRecord, CASE_NOW } from '../support/caseRecord.js';
import { thrownBy } from '../support/thrown.js';
import { user } from '../support/users.js';

const alice = { sub: 'local-inv.alice', name: 'DC Alice Hughes' };
const input = { reason: 'no_suspect_identified' as const, rationale: 'Nothing came back that names anyone.' };
const at = (stage: CaseRecord['stage'], over: Partial<CaseRecord> = {}) => aCaseRecord({ stage, ...over });
const officer = { name: 'DC Alice Hughes', phone: '0113 000 0000', force: 'Local Police' };
const verified = (safe = true, when = CASE_NOW) => ({ by: alice, at: when, note: 'checked with her', safe });

describe('proposing a closure', () => {
  test.each(CLOSURE_PROPOSAL_STAGES)('accepted at %s, remembering the stage', (stage) => {
    const k = recordClosureProposal(at(stage), input, alice, 'p1', CASE_NOW);
    expect(k.closureProposal).toEqual({
      ...input,
      proposalId: 'p1',
      proposedBy: alice,
      proposedAt: CASE_NOW,
      stage,
      status: 'proposed',
    });
  });

  test.each(STAGES.filter((s) => !CLOSURE_PROPOSAL_STAGES.includes(s)))('refused at %s, naming the stages', (stage) => {
    const e = thrownBy(() => recordClosureProposal(at(stage), input, alice, 'p1', CASE_NOW));
    expect(e.kind).toBe('Conflict');
    expect(e.message).toContain('PLATFORM_REQUESTS');
  });

  test('refused while one is pending, and once one was approved; allowed again after a rejection', () => {
    const pending = recordClosureProposal(at('IDENTIFICATION'), input, alice, 'p1', CASE_NOW);
    expect(thrownBy(() => recordClosureProposal(pending, input, alice, 'p2', CASE_NOW)).message).toMatch(
      /already proposed/,
    );
    const approved = { ...pending, closureProposal: { ...pending.closureProposal!, status: 'approved' as const } };
    expect(thrownBy(() => recordClosureProposal(approved, input, alice, 'p2', CASE_NOW)).kind).toBe('Conflict');
    const rejected = { ...pending, closureProposal: { ...pending.closureProposal!, status: 'rejected' as const } };
    expect(recordClosureProposal(rejected, input, alice, 'p2', CASE_NOW).closureProposal?.proposalId).toBe('p2');
  });
});

describe('the closure gate', () => {
  test('sergeant or above; the case stays at its stage; shown as CLOSURE_APPROVAL', () => {
    expect(GATE_RULES.closure).toEqual({ minimumRank: 'sergeant' });
    expect(gateTask('closure')).toBe('CLOSURE_APPROVAL');
    expect(gateTask('identification')).toBe('IDENTIFICATION_APPROVAL');
  });

  const approval = {
    gate: 'closure' as const,
    requiredRank: 'sergeant' as const,
    force: 'LOCAL',
    caseCreatedBy: 'local-creator',
    proposedBy: { sub: 'local-proposer', name: 'DS Grace Obi' },
    otherDeciders: [],
  };
  test('neither the proposer nor the creator decides it; a constable neither', () => {
    const sgt = (sub: string) => user(sub, 'Someone', ['supervisor', 'investigator'], 'sergeant');
    expect(mayDecideQueued(sgt('local-other'), approval)).toEqual({ allowed: true });
    expect(mayDecideQueued(sgt('local-proposer'), approval)).toMatchObject({ allowed: false, code: 'own_proposal' });
    expect(mayDecideQueued(sgt('local-creator'), approval)).toMatchObject({ allowed: false, code: 'own_case' });
    const pc = user('local-pc', 'PC', ['supervisor'], 'constable');
    expect(mayDecideQueued(pc, approval)).toMatchObject({ allowed: false, code: 'rank' });
  });
});

describe("identification's waits while a closure is under way", () => {
  const proposed = recordClosureProposal(at('IDENTIFICATION'), input, alice, 'p1', CASE_NOW);
  test('they give way to the closure gate, proposed or approved; not once rejected', () => {
    for (const task of ['IDENTIFICATION_READY', 'IDENTIFICATION_PROPOSAL'] as const) {
      expect(closureAnswers(proposed, task)).toEqual({ closureProposed: true });
      expect(taskSatisfied({ kase: proposed, approvals: [], requests: [] }, task, undefined, CASE_NOW)).toEqual({
        closureProposed: true,
      });
      const rejected = { ...proposed, closureProposal: { ...proposed.closureProposal!, status: 'rejected' as const } };
      expect(closureAnswers(rejected, task)).toBeUndefined();
    }
    expect(closureAnswers(proposed, 'DISCLOSURE_PROPOSAL')).toBeUndefined();
  });
});

describe('what a closure abandons', () => {
  const r = (kind: RequestRecord['kind'], status: RequestRecord['status']) =>
    ({ requestId: `${kind}-${status}`, kind, status }) as RequestRecord;
  test('requests still waiting for a return, and those given up already; not preservations, not those returned', () => {
    const all = [
      r('platform_disclosure', 'awaiting_return'),
      r('isp_resolution', 'sent'),
      r('platform_preservation', 'sent'),
      r('platform_disclosure', 'returned'),
      r('isp_resolution', 'abandoned'),
    ];
    // Given up already: by a run of the closing step that stopped before its task and entry, which the next run makes.
    expect(requestsClosureEnds(all).map((x) => x.requestId)).toEqual([
      'platform_disclosure-awaiting_return',
      'isp_resolution-sent',
      'isp_resolution-abandoned',
    ]);
  });
});

describe('telling the victim the account could not be traced', () => {
  const withAddress = (over: Partial<CaseRecord['victim']['contact']> = {}, cv: CaseRecord['contactVerified'] = {}) =>
    aCaseRecord({
      stage: 'IDENTIFICATION',
      victim: {
        name: 'Jane Doe',
        enhancedRights: false,
        contact: {
          preferredChannel: 'letter',
          phone: '+447700900123',
          postalAddress: { lines: ['1 High Street', 'Leeds'], postcode: 'LS1 1AA' },
          ...over,
        },
      },
      contactVerified: cv,
    });

  test('nothing when the victim declined', () => {
    const k = {
      ...withAddress(),
      victimChoices: [{ choice: 'declines' as const, note: 'no', by: alice, at: CASE_NOW }],
    };
    expect(notTracedNotice(k, CASE_NOW)).toEqual({ kind: 'declined' });
  });
  test('a channel unverified, or verified too long ago, is asked for again first', () => {
    expect(notTracedNotice(withAddress(), CASE_NOW)).toEqual({ kind: 'verify', channels: ['letter', 'sms'] });
    const stale = verified(true, '2026-09-01T10:00:00.000Z');
    expect(notTracedNotice(withAddress({}, { sms: stale, letter: verified() }), CASE_NOW)).toEqual({
      kind: 'verify',
      channels: ['sms'],
    });
  });
  test('by letter when post is the channel and safe; else by SMS to a safe phone; never an unsafe channel', () => {
    expect(notTracedNotice(withAddress({}, { sms: verified(), letter: verified() }), CASE_NOW)).toEqual({
      kind: 'send',
      channel: 'letter',
    });
    expect(notTracedNotice(withAddress({}, { sms: verified(), letter: verified(false) }), CASE_NOW)).toEqual({
      kind: 'send',
      channel: 'sms',
    });
    expect(
      notTracedNotice(withAddress({ preferredChannel: 'sms' }, { sms: verified(), letter: verified() }), CASE_NOW),
    ).toEqual({ kind: 'send', channel: 'sms' });
  });
  test('in person when chosen, or with no safe written channel left', () => {
    expect(notTracedNotice(withAddress({ preferredChannel: 'in_person' }), CASE_NOW)).toEqual({ kind: 'in_person' });
    expect(notTracedNotice(withAddress({}, { sms: verified(false), letter: verified(false) }), CASE_NOW)).toEqual({
      kind: 'in_person',
    });
  });

  test('the SMS names no one and no offence, and passes the last look', () => {
    const k = aCaseRecord({
      stage: 'IDENTIFICATION',
      identification: {
        suspect: { name: 'John Smith', aliases: ['anon_watcher'] },
        points: [],
        rationale: 'x',
        proposalId: 'i1',
        proposedBy: alice,
        proposedAt: CASE_NOW,
        status: 'proposed',
      },
    } as Partial<CaseRecord>);
    const body = smsBody('not_traced', k.crimeReference, officer);
    expect(checkedSmsBody(body, k)).toBe(body);
    expect(forbiddenSmsWord(body)).toBeUndefined();
    expect(body).toContain(k.crimeReference);
    expect(body).toMatch(/not been able to trace/);
    expect(body).not.toMatch(/John Smith|anon|stalk|harass|offence/i);
  });

  test('the letter says the account could not be traced, names no one, and is addressed for post', () => {
    const content = notTracedLetterContent(withAddress(), officer, CASE_NOW);
    const text = letterText(content);
    expect(text).toMatch(/not been able to trace/);
    expect(text).toContain('LS1 1AA');
    expect(text).not.toMatch(/believe the person responsible|@anon/);
  });
});
