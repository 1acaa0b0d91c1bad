import { describe, expect, test } from 'vitest';
import {
  enforce,
  mayDecideGate,
  mayPropose,
  maySeeCase,
  mayUploadReturn,
  mayUseRoute,
  type Verdict,
} from '../../functions/domain/access.js';
import { DomainError } from '../../functions/domain/errors.js';
import type { Rank } from '../../functions/domain/ranks.js';
import type { Role, User } from '../../functions/domain/users.js';

/** One question, one function: who may upload a return, who may propose, and the code every refusal carries. */
const user = (sub: string, groups: Role[], rank?: Rank, force = 'LOCAL'): User => ({
  sub,
  name: sub,
  groups,
  ...(rank ? { rank } : {}),
  force,
});

const alice = user('inv.alice', ['investigator'], 'constable');
const sam = user('spoc.sam', ['spoc'], 'constable');
const bob = user('sgt.bob', ['supervisor'], 'sergeant');
const dave = user('insp.dave', ['supervisor'], 'inspector');
const erin = user('supt.erin', ['supervisor'], 'superintendent');
const frank = user('aud.frank', ['auditor']);
const grace = user('ds.grace', ['investigator', 'supervisor'], 'sergeant');
const samAndAlice = user('spoc.inv', ['spoc', 'investigator'], 'constable');
const nobody = user('no.groups', []);

const allowed = (v: Verdict) => v.allowed;
function refusal(v: Verdict) {
  if (v.allowed) throw new Error('expected a refusal');
  return v;
}

describe('mayUploadReturn: a SPoC, and only a SPoC', () => {
  test.each([
    ['spoc.sam', sam, true],
    ['a SPoC who is also an investigator', samAndAlice, true],
    ['inv.alice', alice, false],
    ['sgt.bob', bob, false],
    ['supt.erin', erin, false],
    ['aud.frank', frank, false],
    ['ds.grace', grace, false],
    ['a user with no group', nobody, false],
  ] as const)('%s: %s', (_who, u, expected) => {
    expect(allowed(mayUploadReturn(u))).toBe(expected);
  });

  test('the refusal says who may, and carries the code "role"', () => {
    const r = refusal(mayUploadReturn(alice));
    expect(r.code).toBe('role');
    expect(r.reason).toContain('SPoC');
  });
});

describe('mayPropose: an investigator, and only an investigator', () => {
  test.each([
    ['inv.alice', alice, true],
    ['ds.grace (investigator and supervisor)', grace, true],
    ['an investigator who is also a SPoC', samAndAlice, true],
    ['spoc.sam', sam, false],
    ['sgt.bob', bob, false],
    ['insp.dave', dave, false],
    ['aud.frank', frank, false],
    ['a user with no group', nobody, false],
  ] as const)('%s: %s', (_who, u, expected) => {
    expect(allowed(mayPropose(u))).toBe(expected);
  });

  test('the refusal says who may, and carries the code "role"', () => {
    const r = refusal(mayPropose(sam));
    expect(r.code).toBe('role');
    expect(r.reason).toContain('investigator');
  });
});

describe('every refusal carries a code for the audit trail', () => {
  const gate = {
    gate: 'disclosure' as const,
    requiredRank: 'inspector' as const,
    caseForce: 'LOCAL',
    caseCreatedBy: alice.sub,
    otherDeciders: [],
  };
  test.each([
    ['a wrong role', () => mayUseRoute(sam, ['investigator']), 'role'],
    ['another force', () => maySeeCase(user('x', ['investigator'], 'constable', 'WYP'), 'LOCAL'), 'other_force'],
    ['a non-supervisor deciding', () => mayDecideGate(alice, gate), 'role'],
    [
      'a supervisor of another force',
      () => mayDecideGate(user('w', ['supervisor'], 'superintendent', 'WYP'), gate),
      'other_force',
    ],
    ['a rank too low', () => mayDecideGate(bob, gate), 'rank'],
    ['the case creator', () => mayDecideGate(dave, { ...gate, caseCreatedBy: dave.sub }), 'own_case'],
    ['the proposer', () => mayDecideGate(dave, { ...gate, proposedBy: dave.sub }), 'own_proposal'],
    [
      'the identification decider at disclosure',
      () => mayDecideGate(dave, { ...gate, otherDeciders: [dave.sub] }),
      'two_person',
    ],
  ] as const)('%s: %s', (_what, verdict, code) => {
    expect(refusal(verdict()).code).toBe(code);
  });

  test('enforce lets an allowed verdict through and turns a refusal into NotAllowed with its reason and code', () => {
    expect(() => enforce(mayPropose(alice))).not.toThrow();
    let thrown: unknown;
    try {
      enforce(mayUploadReturn(alice));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({
      kind: 'NotAllowed',
      code: 'role',
      message: 'only a SPoC uploads what a platform or ISP returned',
    });
  });

  test('a reason names the rule, never the user', () => {
    for (const v of [mayUploadReturn(alice), mayPropose(sam), mayDecideGate(bob, gate), maySeeCase(alice, 'WYP')]) {
      const r = refusal(v);
      for (const u of [alice, sam, bob]) expect(r.reason).not.toContain(u.sub);
    }
  });
});
