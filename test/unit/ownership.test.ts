import { describe, expect, test } from 'vitest';
import { mayTransferCase } from '../../functions/domain/access.js';
import { personFromPool } from '../../functions/adapters/people.js';
import { caseRow } from '../../functions/domain/caseSummary.js';
import {
  caseOwner,
  caseOfficer,
  checkNewOwner,
  ownerOf,
  repeatedTransfer,
  transferOwner,
} from '../../functions/domain/ownership.js';
import { smsBody } from '../../functions/domain/messages.js';
import { timelineText } from '../../functions/domain/timeline.js';
import type { User } from '../../functions/domain/users.js';
import { aCaseRecord, CASE_NOW } from '../support/caseRecord.js';
import { thrownBy } from '../support/thrown.js';
import { user } from '../support/users.js';

/** The case owner (docs/api.md, the case owner): who may hand a case on, to whom, and what then names the owner. */
const alice = user('local-inv.alice', 'DC Alice Hughes', ['investigator'], 'constable');
const ahmed = user('local-inv.ahmed', 'DC Ahmed Khan', ['investigator'], 'constable');
const sam = user('local-spoc.sam', 'Sam Patel', ['spoc'], 'constable');
const bob = user('local-sgt.bob', 'DS Bob Evans', ['supervisor'], 'sergeant');
const dave = user('local-insp.dave', 'DI Dave Morgan', ['supervisor'], 'inspector');
const acting = user('local-acting', 'PC Acting', ['supervisor'], 'constable');
const frank = user('local-aud.frank', 'Frank Lewis', ['auditor']);
const outsider = user('other-sgt', 'DS Other', ['supervisor', 'investigator'], 'superintendent', 'OTHER');

const REASON = 'DC Hughes is on leave for a month';
const ctx = { caseForce: 'LOCAL', owner: alice.sub };
const codeOf = (u: User) => {
  const v = mayTransferCase(u, ctx);
  return v.allowed ? 'allowed' : v.code;
};
const thrown = (f: () => unknown) => {
  const e = thrownBy(f);
  return { kind: e.kind, errors: e.errors };
};
const toAhmed = (kase = aCaseRecord(), by = bob) =>
  transferOwner(kase, {
    transferId: 't-1',
    to: { sub: ahmed.sub, name: ahmed.name },
    by: { sub: by.sub, name: by.name },
    at: CASE_NOW,
    reason: REASON,
  });

describe('mayTransferCase: the owner, or a supervisor of sergeant rank or above of the force', () => {
  test.each([
    ['the owner', alice, 'allowed'],
    ['a sergeant', bob, 'allowed'],
    ['an inspector', dave, 'allowed'],
    ['a supervisor below sergeant', acting, 'rank'],
    ['another investigator', ahmed, 'not_owner'],
    ['a SPoC', sam, 'not_owner'],
    ['an auditor', frank, 'not_owner'],
    ["another force's superintendent", outsider, 'other_force'],
  ] as const)('%s: %s', (_who, u, code) => {
    expect(codeOf(u)).toBe(code);
  });

  test('the owner of another force’s case is still refused as another force', () => {
    expect(mayTransferCase({ ...alice, force: 'OTHER' }, ctx)).toMatchObject({ allowed: false, code: 'other_force' });
  });
});

describe('checkNewOwner: an investigator of the case’s force', () => {
  test('an investigator of the force is the new owner, by sub and name', () => {
    expect(checkNewOwner(ahmed, 'LOCAL')).toEqual({ sub: ahmed.sub, name: 'DC Ahmed Khan' });
  });

  test.each([
    ['nobody the directory knows', undefined],
    ['a SPoC', sam],
    ['a supervisor who is not an investigator', bob],
    ["another force's investigator", outsider],
  ] as const)('%s is a 400 naming owner', (_who, found) => {
    expect(thrown(() => checkNewOwner(found, 'LOCAL'))).toEqual({
      kind: 'Invalid',
      errors: [{ path: 'owner', message: 'not an investigator of this force' }],
    });
  });
});

describe('transferOwner: the owner a recorded fact, with its history', () => {
  test('the opener owns a new case; a transfer records from, to, by, when and why', () => {
    const before = aCaseRecord();
    expect(ownerOf(before)).toEqual(before.createdBy);
    const after = toAhmed(before);
    expect(caseOwner(after)).toBe(ahmed.sub);
    expect(ownerOf(after)).toEqual({ sub: ahmed.sub, name: 'DC Ahmed Khan' });
    expect(after.ownerTransfers).toEqual([
      {
        transferId: 't-1',
        from: before.createdBy,
        to: { sub: ahmed.sub, name: ahmed.name },
        by: { sub: bob.sub, name: bob.name },
        at: CASE_NOW,
        reason: REASON,
      },
    ]);
    expect(caseRow(after, CASE_NOW)).toMatchObject({ owner: ahmed.sub, createdBy: alice.sub });
  });

  test('a second transfer is kept after the first, from the owner the first made', () => {
    const back = transferOwner(toAhmed(), {
      transferId: 't-2',
      to: { sub: alice.sub, name: alice.name },
      by: { sub: ahmed.sub, name: ahmed.name },
      at: CASE_NOW,
      reason: 'DC Hughes is back from leave',
    });
    expect(back.ownerTransfers?.map((t) => [t.from.sub, t.to.sub])).toEqual([
      [alice.sub, ahmed.sub],
      [ahmed.sub, alice.sub],
    ]);
    expect(caseOwner(back)).toBe(alice.sub);
  });

  test.each(['CLOSED', 'REJECTED'] as const)('a %s case keeps its owner (409)', (stage) => {
    expect(thrown(() => toAhmed(aCaseRecord({ stage })))).toMatchObject({ kind: 'Conflict' });
  });

  test('to the officer who already owns it is a 409', () => {
    expect(thrown(() => toAhmed(toAhmed()))).toMatchObject({ kind: 'Conflict' });
  });
});

describe('repeatedTransfer: the same request again is the transfer it repeats', () => {
  const transferred = toAhmed();
  test('the same person, new owner and reason', () => {
    expect(repeatedTransfer(transferred, bob.sub, { owner: ahmed.sub, reason: REASON })).toBe(
      transferred.ownerTransfers![0],
    );
  });
  test.each([
    ['another person', dave.sub, ahmed.sub, REASON],
    ['another owner', bob.sub, alice.sub, REASON],
    ['another reason', bob.sub, ahmed.sub, 'a different reason altogether'],
  ])('%s is not a repeat', (_what, by, owner, reason) => {
    expect(repeatedTransfer(transferred, by, { owner, reason })).toBeUndefined();
  });
  test('nothing repeats on a case never transferred', () => {
    expect(repeatedTransfer(aCaseRecord(), bob.sub, { owner: ahmed.sub, reason: REASON })).toBeUndefined();
  });
});

describe('the owner is named to the victim and on the timeline', () => {
  test('letters, SMS and referrals name the owner, at the force’s number', () => {
    expect(caseOfficer(aCaseRecord())).toEqual({ name: 'DC Alice Hughes', phone: '101', force: 'Local Constabulary' });
    const officer = caseOfficer(toAhmed());
    expect(officer.name).toBe('DC Ahmed Khan');
    const sms = smsBody('disclosure', 'LOCAL/26/000777', officer);
    expect(sms).toContain('DC Ahmed Khan');
    expect(sms).not.toContain('Alice');
  });

  test('the timeline says who handed the case to whom, by user id', () => {
    expect(
      timelineText({
        actor: bob.sub,
        action: 'case.owner_transferred',
        ids: { transferId: 't-1', from: alice.sub, to: ahmed.sub },
      }),
    ).toBe('local-sgt.bob handed the case to local-inv.ahmed.');
  });
});

describe('personFromPool: who the Cognito user pool says a person is', () => {
  const attrs = (a: Record<string, string>) => Object.entries(a).map(([Name, Value]) => ({ Name, Value }));
  test('name, force, rank and the known groups of an enabled user', () => {
    expect(
      personFromPool(
        'uuid-1',
        {
          Enabled: true,
          Attributes: attrs({ name: 'DC Ahmed Khan', 'custom:force': 'LOCAL', 'custom:rank': 'constable' }),
        },
        [{ GroupName: 'investigator' }, { GroupName: 'admins' }],
      ),
    ).toEqual({ sub: 'uuid-1', name: 'DC Ahmed Khan', force: 'LOCAL', groups: ['investigator'], rank: 'constable' });
  });
  test('a disabled user, or one of no force, is nobody', () => {
    const user = { Attributes: attrs({ name: 'DC Gone', 'custom:force': 'LOCAL' }) };
    expect(personFromPool('uuid-2', { ...user, Enabled: false }, [{ GroupName: 'investigator' }])).toBeUndefined();
    expect(personFromPool('uuid-3', { Attributes: attrs({ name: 'DC Nowhere' }) }, [])).toBeUndefined();
  });
  test('an unknown rank is no rank, and a missing name is the sub', () => {
    expect(
      personFromPool('uuid-4', { Attributes: attrs({ 'custom:force': 'LOCAL', 'custom:rank': 'admiral' }) }, []),
    ).toEqual({ sub: 'uuid-4', name: 'uuid-4', force: 'LOCAL', groups: [], rank: undefined });
  });
});
