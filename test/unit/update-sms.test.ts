import { describe, expect, test } from 'vitest';
import { updateSmsBarred } from '../../functions/domain/contact.js';
import { aCaseRecord, CASE_NOW } from '../support/caseRecord.js';

describe('the victim-update SMS respects the preferred channel', () => {
  const verified = { sms: { at: CASE_NOW, by: { sub: 'local-inv.alice', name: 'DC Alice Hughes' }, note: 'checked' } };

  test('goes to a phone verified safe', () => {
    expect(updateSmsBarred(aCaseRecord({ contactVerified: verified }), CASE_NOW)).toBeUndefined();
  });

  test('never when the victim chose to be told in person, however safe the phone', () => {
    const kase = aCaseRecord({ contactVerified: verified });
    kase.victim.contact.preferredChannel = 'in_person';
    expect(updateSmsBarred(kase, CASE_NOW)).toBe('victim_prefers_in_person');
  });

  test('never to a phone not verified, or recorded unsafe', () => {
    expect(updateSmsBarred(aCaseRecord(), CASE_NOW)).toBe('phone_not_verified');
    const unsafe = { sms: { ...verified.sms, safe: false } };
    expect(updateSmsBarred(aCaseRecord({ contactVerified: unsafe }), CASE_NOW)).toBe('phone_unsafe');
  });
});
