import { describe, expect, test } from 'vitest';
import {
  mayDecideGate,
  maySeeCase,
  maySeeVictimContact,
  mayUseRoute,
  type GateDecisionContext,
  type Verdict,
} from '../../functions/domain/access.js';
import { GATES, GATE_RULES, isGate, type Gate } from '../../functions/domain/gates.js';
import { RANKS, atLeast, isRank, rankAbove, rankIndex } from '../../functions/domain/ranks.js';
import { hasRole, userFromClaims, type User } from '../../functions/domain/users.js';
import { user } from '../support/users.js';

/** The seeded users of docs/api.md, as the authorizer would hand them over. */
const alice = user('local-inv.alice', 'DC Alice Hughes', ['investigator'], 'constable');
const sam = user('local-spoc.sam', 'Sam', ['spoc'], 'constable');
const bob = user('local-sgt.bob', 'Sgt Bob', ['supervisor'], 'sergeant');
const carol = user('local-sgt.carol', 'Sgt Carol', ['supervisor'], 'sergeant');
const dave = user('local-insp.dave', 'Insp Dave', ['supervisor'], 'inspector');
const chief = user('local-ci.chris', 'CI Chris', ['supervisor'], 'chief_inspector');
const erin = user('local-supt.erin', 'Supt Erin', ['supervisor'], 'superintendent');
const frank = user('local-aud.frank', 'Frank', ['auditor']);
const grace = user('local-ds.grace', 'DS Grace Obi', ['investigator', 'supervisor'], 'sergeant');
const otherForceInspector = user('wyp-insp.ian', 'Insp Ian', ['supervisor'], 'inspector', 'WYP');

const given = {
  aGateToDecide(overrides: Partial<GateDecisionContext> = {}): GateDecisionContext {
    const gate = overrides.gate ?? 'data_request';
    return {
      gate,
      requiredRank: GATE_RULES[gate].minimumRank,
      caseForce: 'LOCAL',
      caseCreatedBy: alice.sub,
      otherDeciders: [],
      ...overrides,
    };
  },
};

function refusal(v: Verdict): string {
  if (v.allowed) throw new Error('expected a refusal, but it was allowed');
  return v.reason;
}

describe('ranks', () => {
  test('rise from constable to superintendent', () => {
    expect(RANKS.map(rankIndex)).toEqual([0, 1, 2, 3, 4]);
    expect(rankIndex('constable')).toBeLessThan(rankIndex('sergeant'));
    expect(rankIndex('chief_inspector')).toBeLessThan(rankIndex('superintendent'));
  });

  test.each([
    ['constable', 'sergeant'],
    ['sergeant', 'inspector'],
    ['inspector', 'chief_inspector'],
    ['chief_inspector', 'superintendent'],
  ] as const)('the rank above %s is %s', (rank, above) => {
    expect(rankAbove(rank)).toBe(above);
  });

  test('there is no rank above superintendent', () => {
    expect(rankAbove('superintendent')).toBeUndefined();
  });

  test('atLeast compares by seniority, and no rank is never enough', () => {
    for (const r of RANKS) for (const min of RANKS) expect(atLeast(r, min)).toBe(rankIndex(r) >= rankIndex(min));
    expect(atLeast(undefined, 'constable')).toBe(false);
  });

  test('isRank accepts exactly the five ranks', () => {
    for (const r of RANKS) expect(isRank(r)).toBe(true);
    for (const v of ['Sergeant', 'chief inspector', 'commander', '', undefined, 3, null]) expect(isRank(v)).toBe(false);
  });
});

describe('gates', () => {
  test.each([
    ['data_request', 'sergeant', 'DATA_REQUEST_APPROVAL', 'REJECTED'],
    ['identification', 'sergeant', 'IDENTIFICATION_APPROVAL', 'IDENTIFICATION'],
    ['disclosure', 'inspector', 'DISCLOSURE_APPROVAL', 'DISCLOSURE_DECISION'],
    ['delay', 'superintendent', 'DELAY_APPROVAL', 'DISCLOSURE_DECISION'],
  ] as const)('%s needs %s, waits in %s, and a rejection goes to %s', (gate, rank, stage, onReject) => {
    expect(GATE_RULES[gate]).toEqual({ minimumRank: rank, stage, onReject });
  });

  test('isGate accepts exactly the four gates', () => {
    for (const g of GATES) expect(isGate(g)).toBe(true);
    for (const v of ['Disclosure', 'arrest', '', undefined, 1]) expect(isGate(v)).toBe(false);
  });
});

describe('userFromClaims', () => {
  const claims = { sub: 'local-ds.grace', 'custom:force': 'LOCAL', 'custom:rank': 'sergeant', name: 'DS Grace Obi' };

  test('reads groups given as an array', () => {
    expect(userFromClaims({ ...claims, 'cognito:groups': ['investigator', 'supervisor'] })).toEqual({
      sub: 'local-ds.grace',
      name: 'DS Grace Obi',
      groups: ['investigator', 'supervisor'],
      rank: 'sergeant',
      force: 'LOCAL',
    });
  });

  test.each([
    '[investigator supervisor]',
    '[investigator,supervisor]',
    '[investigator, supervisor]',
    'investigator supervisor',
  ])("reads API Gateway's string form %s", (groups) => {
    expect(userFromClaims({ ...claims, 'cognito:groups': groups })?.groups).toEqual(['investigator', 'supervisor']);
  });

  test('reads a single group in the string form', () => {
    expect(userFromClaims({ ...claims, 'cognito:groups': '[auditor]' })?.groups).toEqual(['auditor']);
  });

  test('drops groups it does not know, in either form', () => {
    expect(userFromClaims({ ...claims, 'cognito:groups': ['admin', 'supervisor', 'Supervisor'] })?.groups).toEqual([
      'supervisor',
    ]);
    expect(userFromClaims({ ...claims, 'cognito:groups': '[admin supervisor root]' })?.groups).toEqual(['supervisor']);
  });

  test.each([undefined, '', '[]', 42, { supervisor: true }])('has no groups from %j', (groups) => {
    expect(userFromClaims({ ...claims, 'cognito:groups': groups })?.groups).toEqual([]);
  });

  test('has no rank when the rank is missing or unknown', () => {
    expect(userFromClaims({ ...claims, 'custom:rank': undefined })?.rank).toBeUndefined();
    expect(userFromClaims({ ...claims, 'custom:rank': 'commissioner' })?.rank).toBeUndefined();
  });

  test('is named by sub when the token has no name', () => {
    expect(userFromClaims({ ...claims, name: undefined })?.name).toBe('local-ds.grace');
  });

  test.each([
    ['no sub', { ...claims, sub: undefined }],
    ['an empty sub', { ...claims, sub: '' }],
    ['a sub that is not a string', { ...claims, sub: 12 }],
    ['no force', { ...claims, 'custom:force': undefined }],
    ['an empty force', { ...claims, 'custom:force': '' }],
  ])('is no user with %s', (_why, c) => {
    expect(userFromClaims(c)).toBeUndefined();
  });

  test('hasRole answers from the groups', () => {
    expect(hasRole(grace, 'supervisor')).toBe(true);
    expect(hasRole(grace, 'investigator')).toBe(true);
    expect(hasRole(grace, 'auditor')).toBe(false);
  });
});

describe('mayUseRoute', () => {
  test('a route open to any role is open to everyone signed in', () => {
    expect(mayUseRoute(frank, 'any')).toEqual({ allowed: true });
  });

  test('a user with one of the roles may use it', () => {
    expect(mayUseRoute(sam, ['spoc', 'investigator']).allowed).toBe(true);
    expect(mayUseRoute(grace, ['supervisor']).allowed).toBe(true);
  });

  test('a user with none of the roles is refused, naming them', () => {
    expect(refusal(mayUseRoute(frank, ['investigator', 'spoc']))).toBe('this needs the role investigator or spoc');
  });

  test('a user with no groups is refused', () => {
    expect(mayUseRoute(user('x', 'x', []), ['auditor']).allowed).toBe(false);
  });
});

describe('maySeeCase and maySeeVictimContact', () => {
  test('users see cases of their own force only', () => {
    expect(maySeeCase(alice, 'LOCAL').allowed).toBe(true);
    expect(refusal(maySeeCase(otherForceInspector, 'LOCAL'))).toMatch(/another force/);
  });

  test.each([
    ['inv.alice', alice, true],
    ['spoc.sam', sam, false],
    ['sgt.bob', bob, true],
    ['ds.grace', grace, true],
    ['aud.frank', frank, false],
  ])('%s may see the victim contact: %s', (_name, u, expected) => {
    expect(maySeeVictimContact(u)).toBe(expected);
  });
});

describe('mayDecideGate', () => {
  test('a sergeant who did not open the case may decide its data request', () => {
    expect(mayDecideGate(bob, given.aGateToDecide())).toEqual({ allowed: true });
  });

  test('someone who is not a supervisor may not decide, whatever their rank', () => {
    const constableInvestigator = alice;
    const spocSergeant = user('local-spoc.sgt', 'Sgt Spoc', ['spoc'], 'sergeant');
    expect(refusal(mayDecideGate(constableInvestigator, given.aGateToDecide({ caseCreatedBy: 'someone' })))).toMatch(
      /only a supervisor/,
    );
    expect(refusal(mayDecideGate(spocSergeant, given.aGateToDecide()))).toMatch(/only a supervisor/);
  });

  test('a supervisor of another force may not decide', () => {
    expect(refusal(mayDecideGate(otherForceInspector, given.aGateToDecide()))).toMatch(/another force/);
  });

  test('a supervisor with no rank claim may not decide', () => {
    expect(refusal(mayDecideGate(user('x', 'x', ['supervisor']), given.aGateToDecide()))).toMatch(/sergeant or above/);
  });

  test.each([
    ['data_request', 'a sergeant', bob, true],
    ['identification', 'a sergeant', carol, true],
    ['disclosure', 'a sergeant', carol, false],
    ['disclosure', 'an inspector', dave, true],
    ['disclosure', 'a chief inspector', chief, true],
    ['delay', 'an inspector', dave, false],
    ['delay', 'a chief inspector', chief, false],
    ['delay', 'a superintendent', erin, true],
  ] as const)('at %s, %s may decide: %s', (gate, _who, u, expected) => {
    const verdict = mayDecideGate(u, given.aGateToDecide({ gate }));
    expect(verdict.allowed).toBe(expected);
    if (!expected) expect(refusal(verdict)).toBe(`this gate needs the rank ${GATE_RULES[gate].minimumRank} or above`);
  });

  test('an escalated approval needs the rank it was escalated to', () => {
    expect(mayDecideGate(bob, given.aGateToDecide({ gate: 'data_request', requiredRank: 'inspector' })).allowed).toBe(
      false,
    );
    expect(mayDecideGate(dave, given.aGateToDecide({ gate: 'data_request', requiredRank: 'inspector' })).allowed).toBe(
      true,
    );
  });

  test('no one decides a gate on a case they created', () => {
    expect(refusal(mayDecideGate(erin, given.aGateToDecide({ gate: 'delay', caseCreatedBy: erin.sub })))).toMatch(
      /case they created/,
    );
  });

  test('no one approves what they proposed', () => {
    expect(refusal(mayDecideGate(dave, given.aGateToDecide({ gate: 'identification', proposedBy: dave.sub })))).toMatch(
      /proposed/,
    );
    expect(mayDecideGate(dave, given.aGateToDecide({ gate: 'identification', proposedBy: alice.sub })).allowed).toBe(
      true,
    );
  });

  test('the person who approved the identification may not also approve its disclosure', () => {
    const ctx = given.aGateToDecide({ gate: 'disclosure', otherDeciders: [dave.sub] });
    expect(refusal(mayDecideGate(dave, ctx))).toMatch(/two different people/);
    expect(mayDecideGate(erin, ctx).allowed).toBe(true);
  });

  describe('ds.grace, an investigator and a supervisor sergeant', () => {
    test.each(['data_request', 'identification'] as Gate[])('may decide %s on a colleague’s case', (gate) => {
      expect(
        mayDecideGate(grace, given.aGateToDecide({ gate, caseCreatedBy: alice.sub, proposedBy: alice.sub })).allowed,
      ).toBe(true);
    });

    test.each(['data_request', 'identification'] as Gate[])('may not decide %s on her own case', (gate) => {
      expect(refusal(mayDecideGate(grace, given.aGateToDecide({ gate, caseCreatedBy: grace.sub })))).toMatch(
        /case they created/,
      );
    });

    test('may not approve an identification she proposed on a colleague’s case', () => {
      expect(
        refusal(
          mayDecideGate(
            grace,
            given.aGateToDecide({ gate: 'identification', caseCreatedBy: alice.sub, proposedBy: grace.sub }),
          ),
        ),
      ).toMatch(/proposed/);
    });

    test('may not decide a disclosure: it needs an inspector', () => {
      expect(mayDecideGate(grace, given.aGateToDecide({ gate: 'disclosure', caseCreatedBy: alice.sub })).allowed).toBe(
        false,
      );
    });
  });

  test('reasons come in a fixed order: role, force, rank, creator, proposer, separation', () => {
    const everythingWrong = (u: User) =>
      mayDecideGate(
        u,
        given.aGateToDecide({
          gate: 'disclosure',
          caseForce: 'WYP',
          caseCreatedBy: u.sub,
          proposedBy: u.sub,
          otherDeciders: [u.sub],
        }),
      );
    expect(refusal(everythingWrong(alice))).toMatch(/supervisor/);
    expect(refusal(everythingWrong(dave))).toMatch(/another force/);
    const sameForce = (u: User, over: Partial<GateDecisionContext>) =>
      mayDecideGate(
        u,
        given.aGateToDecide({
          gate: 'disclosure',
          caseCreatedBy: u.sub,
          proposedBy: u.sub,
          otherDeciders: [u.sub],
          ...over,
        }),
      );
    expect(refusal(sameForce(carol, {}))).toMatch(/rank/);
    expect(refusal(sameForce(dave, {}))).toMatch(/created/);
    expect(refusal(sameForce(dave, { caseCreatedBy: alice.sub }))).toMatch(/proposed/);
    expect(refusal(sameForce(dave, { caseCreatedBy: alice.sub, proposedBy: alice.sub }))).toMatch(
      /two different people/,
    );
  });
});
