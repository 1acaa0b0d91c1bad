import { describe, expect, test } from 'vitest';
import { keyedDigestOf } from '../../functions/domain/audit.js';
import { DomainError } from '../../functions/domain/errors.js';
import type { CaseRecord } from '../../functions/domain/records.js';
import { makeReferral } from '../../functions/domain/referrals.js';
import type { ReferralInput } from '../../functions/schemas/afterIdentification.js';

const NOW = '2026-11-18T10:00:00.000Z';
const alice = { sub: 'local-inv.alice', name: 'DC Alice Hughes' };
const kase: CaseRecord = {
  caseId: 'case-000009',
  force: 'LOCAL',
  crimeReference: 'LOCAL/26/000999',
  offence: 'stalking_s2a',
  summary: 'Messages.',
  victim: { name: 'Jane Doe', enhancedRights: true, contact: { preferredChannel: 'letter', phone: '+447700900123' } },
  risk: { four: { fixated: true, obsessive: true, unwanted: true, repeated: true }, sdashYes: 8 },
  accounts: [{ platform: 'x', handle: '@anon', accountId: 'a1' }],
  stage: 'DISCLOSURE_DECISION',
  createdBy: alice,
  createdAt: NOW,
  updatedAt: NOW,
  version: 1,
  delays: [],
  arrests: [],
  contactVerified: {},
  notifications: [],
};
const KEY = Buffer.alloc(32, 7);
const digest = (data: unknown) => keyedDigestOf(KEY, data);
const input = (overrides: Partial<ReferralInput> = {}): ReferralInput => ({
  service: 'stalking_advocate',
  consent: { given: true, recordedAt: NOW, how: 'in_person' },
  shared: ['victim.name', 'victim.contact.phone', 'crimeReference'],
  ...overrides,
});

describe('referrals to support services', () => {
  test('no referral without the victim’s consent: refused before anything about the case is looked at', () => {
    for (const k of [kase, { ...kase, stage: 'CLOSED' as const }]) {
      try {
        makeReferral(
          k,
          input({ consent: { given: false, recordedAt: NOW, how: 'phone' } }),
          alice,
          NOW,
          'ref-1',
          digest,
        );
        throw new Error('expected a refusal');
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).kind).toBe('Invalid');
        expect((e as DomainError).message).toBe("no referral without the victim's consent");
        expect((e as DomainError).errors).toEqual([
          { path: 'consent.given', message: expect.stringMatching(/not consented/) },
        ]);
      }
    }
  });

  test('records the consent and the names of what was shared, with a keyed digest of the values and never the values', () => {
    const { kase: after, referral, sharedValues } = makeReferral(kase, input(), alice, NOW, 'ref-1', digest);
    expect(referral).toEqual({
      referralId: 'ref-1',
      service: 'stalking_advocate',
      consent: { given: true, recordedAt: NOW, how: 'in_person' },
      shared: ['victim.name', 'victim.contact.phone', 'crimeReference'],
      sharedDigest: digest({
        'victim.name': 'Jane Doe',
        'victim.contact.phone': '+447700900123',
        crimeReference: 'LOCAL/26/000999',
      }),
      referredBy: alice,
      referredAt: NOW,
    });
    expect(sharedValues['victim.name']).toBe('Jane Doe');
    expect(after.referrals).toEqual([referral]);
    expect(JSON.stringify(referral)).not.toContain('Jane');
    expect(JSON.stringify(referral)).not.toContain('+4477');
  });

  test('only what the case holds can be shared; consent is not recorded in the future; a closed case refers no one', () => {
    const missing = () =>
      makeReferral(
        kase,
        input({ shared: ['victim.name', 'victim.contact.postalAddress'] }),
        alice,
        NOW,
        'ref-2',
        digest,
      );
    expect(missing).toThrow(DomainError);
    try {
      missing();
    } catch (e) {
      expect((e as DomainError).errors).toEqual([
        { path: 'shared.1', message: 'the case has no victim.contact.postalAddress' },
      ]);
    }
    expect(() =>
      makeReferral(
        kase,
        input({ consent: { given: true, recordedAt: '2026-11-19T10:00:00.000Z', how: 'phone' } }),
        alice,
        NOW,
        'ref-3',
        digest,
      ),
    ).toThrow(/future/);
    expect(() => makeReferral({ ...kase, stage: 'CLOSED' }, input(), alice, NOW, 'ref-4', digest)).toThrow(/CLOSED/);
  });
});
