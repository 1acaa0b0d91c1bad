import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  candidates,
  caseIdentifiers,
  duplicateTargets,
  normaliseAddress,
  sharedIdentifiers,
} from '../../functions/domain/correlation.js';
import type { RequestRecord } from '../../functions/domain/records.js';

/** Correlation across identifiers, with the failure modes of docs/process.md step 4: billing instead of installation address, and the same fact twice. */
const given = {
  aReturn(
    requestId: string,
    kind: RequestRecord['kind'],
    returned: Partial<NonNullable<RequestRecord['returned']>>,
    extra: Partial<RequestRecord> = {},
  ): RequestRecord {
    return {
      requestId,
      caseId: 'case-1',
      kind,
      target: kind === 'isp_resolution' ? 'isp' : 'instagram',
      status: 'returned',
      createdAt: '2026-11-01T00:00:00.000Z',
      dueAt: '2026-11-15T00:00:00.000Z',
      tipOffRisk: false,
      returned: { receivedAt: '2026-11-02T00:00:00.000Z', ipEvents: [], rawSha256: 'x', flags: [], ...returned },
      ...extra,
    };
  },
};
const address = { lines: ['22 Acacia Avenue', 'Bradford'], postcode: 'BD1 2AB' };

describe('candidates across identifiers', () => {
  test('a return with no name but the same email (written differently) supports the named person', () => {
    const found = candidates([
      given.aReturn('ig', 'platform_disclosure', {
        subscriber: { name: 'John Smith', emails: ['J.Smith@Example.com'], phones: [] },
      }),
      given.aReturn('x', 'platform_disclosure', { subscriber: { emails: [' j.smith@example.com '], phones: [] } }),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]!.points.map((p) => [p.requestId, p.kind])).toEqual([
      ['ig', 'email'],
      ['x', 'email'],
    ]);
  });

  test('a phone written in national form matches its international form', () => {
    const found = candidates([
      given.aReturn('ig', 'platform_disclosure', {
        subscriber: { name: 'John Smith', emails: [], phones: ['+447700900999'] },
      }),
      given.aReturn('snap', 'platform_disclosure', { subscriber: { emails: [], phones: ['07700 900999'] } }),
    ]);
    expect(found[0]!.points.map((p) => p.kind)).toEqual(['phone', 'phone']);
  });

  test('an installation address shared by an unnamed ISP return supports the person', () => {
    const found = candidates([
      given.aReturn(
        'isp-1',
        'isp_resolution',
        { subscriber: { name: 'John Smith', emails: [], phones: [] }, installationAddress: address },
        { ip: '203.0.113.7', eventAt: '2026-11-01T05:10:00.000Z' },
      ),
      given.aReturn(
        'isp-2',
        'isp_resolution',
        { installationAddress: { lines: ['22 acacia avenue', 'BRADFORD'], postcode: 'bd12ab' } },
        { ip: '198.51.100.2', eventAt: '2026-11-02T05:10:00.000Z' },
      ),
    ]);
    expect(found[0]!.points.map((p) => [p.requestId, p.kind])).toEqual([
      ['isp-1', 'ip_resolution'],
      ['isp-2', 'installation_address'],
    ]);
  });

  test('an ISP that gives only a billing address is a point against, not for', () => {
    const found = candidates([
      given.aReturn(
        'isp-1',
        'isp_resolution',
        { subscriber: { name: 'John Smith', emails: [], phones: [] }, billingAddress: address },
        { ip: '203.0.113.7' },
      ),
    ]);
    expect(found[0]!.contradictions.map((c) => c.detail)).toEqual([
      'the ISP gave a billing address only: not where the connection was installed',
    ]);
  });

  test('two installation addresses for one person contradict each other', () => {
    const found = candidates([
      given.aReturn('isp-1', 'isp_resolution', {
        subscriber: { name: 'John Smith', emails: [], phones: [] },
        installationAddress: address,
      }),
      given.aReturn('isp-2', 'isp_resolution', {
        subscriber: { name: 'John Smith', emails: [], phones: [] },
        installationAddress: { lines: ['1 Other Road'], postcode: 'LS1 1AA' },
      }),
    ]);
    expect(found[0]!.contradictions.map((c) => c.requestId).sort()).toEqual(['isp-1', 'isp-2']);
  });

  test('property: one request is one point however many identifiers it repeats', () => {
    fc.assert(
      fc.property(
        fc.array(fc.emailAddress(), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        (emails, copies) => {
          const returns = Array.from({ length: copies }, (_, i) =>
            given.aReturn(`r${i}`, 'platform_disclosure', { subscriber: { name: 'Same Person', emails, phones: [] } }),
          );
          const [c] = candidates(returns);
          expect(c!.points).toHaveLength(copies);
          expect(new Set(c!.points.map((p) => p.requestId)).size).toBe(copies);
        },
      ),
    );
  });
});

describe('duplicate-target search', () => {
  test('two cases sharing an email or a suspect name are found, by kind', () => {
    const a = caseIdentifiers(
      [given.aReturn('a', 'platform_disclosure', { subscriber: { emails: ['x@example.com'], phones: [] } })],
      ['John Smith'],
    );
    const b = caseIdentifiers(
      [given.aReturn('b', 'platform_disclosure', { subscriber: { emails: ['X@Example.com'], phones: [] } })],
      ['john  smith'],
    );
    expect(sharedIdentifiers(a, b)).toEqual(['email', 'name']);
    expect(sharedIdentifiers(a, caseIdentifiers([], ['Someone Else']))).toEqual([]);
  });

  test('the cases holding each identifier, merged case by case, the case itself left out, a bounded number each', () => {
    const held = (...ids: string[]) => ids.map((caseId) => ({ caseId, crimeReference: `REF/${caseId}` }));
    expect(
      duplicateTargets(
        'me',
        [
          { identifier: 'email:x@example.com', cases: held('b', 'me', 'c') },
          { identifier: 'name:john smith', cases: held('me', 'c') },
          { identifier: 'phone:+447700900123', cases: held('d', 'e', 'f', 'g') },
        ],
        2,
      ),
    ).toEqual([
      { caseId: 'b', crimeReference: 'REF/b', shared: ['email'] },
      { caseId: 'c', crimeReference: 'REF/c', shared: ['email', 'name'] },
      { caseId: 'd', crimeReference: 'REF/d', shared: ['phone'] },
      { caseId: 'e', crimeReference: 'REF/e', shared: ['phone'] },
    ]);
    expect(duplicateTargets('me', [{ identifier: 'name:x', cases: held('me') }], 20)).toEqual([]);
  });

  test('addresses compare on postcode and first line, whatever the case and spacing', () => {
    expect(normaliseAddress({ lines: [' 22  Acacia Avenue'], postcode: 'bd1 2ab' })).toBe(normaliseAddress(address));
  });
});
