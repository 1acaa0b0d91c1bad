import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { judgePoints } from '../../functions/domain/correlation.js';
import type { RequestRecord } from '../../functions/domain/records.js';

const NOW = '2026-11-20T10:00:00.000Z';

/** A returned request holding what a platform or ISP said about its subscriber. */
function aReturn(
  requestId: string,
  said: { name?: string; emails?: string[]; phones?: string[]; postcode?: string },
  more: Partial<RequestRecord> = {},
): RequestRecord {
  return {
    requestId,
    caseId: 'case-000001',
    kind: 'platform_disclosure',
    target: 'instagram',
    accountId: `acct-${requestId}`,
    status: 'returned',
    createdAt: NOW,
    dueAt: NOW,
    tipOffRisk: false,
    returned: {
      receivedAt: NOW,
      subscriber: {
        ...(said.name ? { name: said.name } : {}),
        emails: said.emails ?? [],
        phones: said.phones ?? [],
      },
      ipEvents: [],
      ...(said.postcode ? { installationAddress: { lines: ['22 Acacia Avenue'], postcode: said.postcode } } : {}),
      rawSha256: 'a'.repeat(64),
      flags: [],
    },
    ...more,
  };
}

const john = { name: 'John Smith', aliases: ['Johnny S'] };
const cite = (...ids: string[]) => ids.map((requestId) => ({ requestId }));

describe('judgePoints: a point stands only if its return supports the person named', () => {
  test('a return naming the suspect, or one of their aliases, however written, stands', () => {
    const rs = [aReturn('a', { name: ' JOHN  smith ' }), aReturn('b', { name: 'johnny s' })];
    expect(judgePoints(john, cite('a', 'b'), rs).map((v) => v.stands)).toEqual([true, true]);
  });

  test('two returns naming someone else do not stand for John Smith, each with its reason', () => {
    const rs = [aReturn('a', { name: 'Mary Jones' }), aReturn('b', { name: 'Mary Jones', emails: ['m@example.com'] })];
    const verdicts = judgePoints(john, cite('a', 'b'), rs);
    expect(verdicts.map((v) => v.stands)).toEqual([false, false]);
    expect(verdicts[0]?.reason).toMatch(/names someone else/);
  });

  test('two empty returns do not stand', () => {
    const verdicts = judgePoints(john, cite('a', 'b'), [aReturn('a', {}), aReturn('b', {})]);
    expect(verdicts.map((v) => [v.stands, v.reason])).toEqual([
      [false, expect.stringMatching(/names no one/)],
      [false, expect.stringMatching(/names no one/)],
    ]);
  });

  test.each([
    ['an email', { emails: ['J.Smith@Example.com'] }, { emails: ['j.smith@example.com '] }],
    ['a phone', { phones: ['+447700900999'] }, { phones: ['07700 900999'] }],
    ['an installation address', { postcode: 'BD1 2AB' }, { postcode: 'bd12ab' }],
  ])('a nameless return stands through %s that a cited return naming the suspect holds', (_what, named, nameless) => {
    const rs = [aReturn('a', { name: 'John Smith', ...named }), aReturn('b', nameless)];
    const [, b] = judgePoints(john, cite('a', 'b'), rs);
    expect(b?.stands).toBe(true);
    expect(b?.reason).toMatch(/another cited return ties to the suspect/);
  });

  test('the identifier must be tied by a cited return: the same email in an uncited return naming him is not enough', () => {
    const rs = [
      aReturn('a', { name: 'John Smith' }),
      aReturn('b', { emails: ['j@example.com'] }),
      aReturn('uncited', { name: 'John Smith', emails: ['j@example.com'] }),
    ];
    expect(judgePoints(john, cite('a', 'b'), rs).map((v) => v.stands)).toEqual([true, false]);
  });

  test('an identifier shared only between returns that do not name him ties nothing to him', () => {
    const rs = [aReturn('a', { emails: ['x@example.com'] }), aReturn('b', { emails: ['x@example.com'] })];
    expect(judgePoints(john, cite('a', 'b'), rs).map((v) => v.stands)).toEqual([false, false]);
  });

  test('a standing ISP return ties the account whose login it resolved; a platform return its own account', () => {
    const rs = [
      aReturn('plat', { name: 'John Smith' }),
      aReturn(
        'isp',
        { name: 'John Smith' },
        { kind: 'isp_resolution', accountId: undefined, sourceRequestId: 'other' },
      ),
      aReturn('other', { name: 'Mary Jones' }),
    ];
    expect(judgePoints(john, cite('plat', 'isp'), rs).map((v) => v.accountIds)).toEqual([
      ['acct-plat'],
      ['acct-other'],
    ]);
  });

  test('property: when no cited return names the suspect or an alias, no point stands', () => {
    const person = fc.constantFrom(undefined, 'Mary Jones', 'Ann Lee', 'Sam Cole');
    const email = fc.constantFrom('a@example.com', 'b@example.com', 'c@example.com');
    const said = fc.record({
      name: person,
      emails: fc.array(email, { maxLength: 2 }),
      phones: fc.array(fc.constantFrom('+447700900001', '07700900001', '+447700900002'), { maxLength: 2 }),
      postcode: fc.constantFrom(undefined, 'BD1 2AB', 'LS1 1AA'),
    });
    fc.assert(
      fc.property(
        fc.array(said, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        (all, picks) => {
          const rs = all.map((s, i) => aReturn(`r${i}`, s));
          const points = picks.map((p) => ({ requestId: `r${p % rs.length}` }));
          for (const v of judgePoints(john, points, rs)) {
            expect(v.stands).toBe(false);
            expect(v.accountIds).toEqual([]);
          }
        },
      ),
    );
  });

  test('property: a point whose return names the suspect always stands, whatever else is cited', () => {
    const said = fc.record({
      name: fc.constantFrom(undefined, 'Mary Jones', 'John Smith', 'JOHNNY S'),
      emails: fc.array(fc.constantFrom('a@example.com', 'b@example.com'), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(said, { minLength: 1, maxLength: 6 }), (all) => {
        const rs = all.map((s, i) => aReturn(`r${i}`, s));
        const verdicts = judgePoints(
          john,
          rs.map((r) => ({ requestId: r.requestId })),
          rs,
        );
        all.forEach((s, i) => {
          if (s.name === 'John Smith' || s.name === 'JOHNNY S') expect(verdicts[i]?.stands).toBe(true);
        });
      }),
    );
  });
});
