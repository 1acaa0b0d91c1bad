import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { candidates, normaliseEmail, normaliseName, normalisePhone } from '../../functions/domain/correlation.js';
import type { NormalisedReturn, RequestRecord } from '../../functions/domain/records.js';

const NOW = '2026-11-20T10:00:00.000Z';

const given = {
  aReturnNaming(
    name: string | undefined,
    extra: Partial<NonNullable<NormalisedReturn['subscriber']>> = {},
  ): NormalisedReturn {
    return {
      receivedAt: NOW,
      subscriber: { ...(name !== undefined ? { name } : {}), emails: [], phones: [], ...extra },
      ipEvents: [],
      rawSha256: 'a'.repeat(64),
      flags: [],
    };
  },
  aPlatformReturn(
    requestId: string,
    name: string | undefined,
    extra: Partial<NonNullable<NormalisedReturn['subscriber']>> = {},
    overrides: Partial<RequestRecord> = {},
  ): RequestRecord {
    return {
      requestId,
      caseId: 'case-000001',
      kind: 'platform_disclosure',
      target: 'instagram',
      accountHandle: `@handle_${requestId}`,
      status: 'returned',
      createdAt: NOW,
      dueAt: NOW,
      tipOffRisk: false,
      returned: given.aReturnNaming(name, extra),
      ...overrides,
    };
  },
  anIspReturn(requestId: string, name: string | undefined, sourceRequestId: string, ip = '203.0.113.7'): RequestRecord {
    return {
      requestId,
      caseId: 'case-000001',
      kind: 'isp_resolution',
      target: 'isp',
      ip,
      eventAt: '2026-11-01T21:14:05.000Z',
      sourceRequestId,
      status: 'returned',
      createdAt: NOW,
      dueAt: NOW,
      tipOffRisk: false,
      returned: given.aReturnNaming(name),
    };
  },
};

describe('candidates', () => {
  test('returns naming the same person, however spelt, are one candidate with a point for each', () => {
    const found = candidates([
      given.aPlatformReturn('req-ig', 'Gareth Quinlan', { emails: ['g.quinlan@example.com'] }),
      given.aPlatformReturn('req-x', '  gareth   QUINLAN ', {}, { target: 'x', accountHandle: undefined }),
      given.anIspReturn('req-isp', 'Gareth Quinlan', 'req-ig'),
    ]);
    expect(found).toEqual([
      {
        candidateId: 'cand-001',
        name: 'Gareth Quinlan',
        points: [
          { requestId: 'req-ig', kind: 'email', detail: 'subscriber of @handle_req-ig' },
          { requestId: 'req-x', kind: 'other', detail: 'subscriber of x' },
          {
            requestId: 'req-isp',
            kind: 'ip_resolution',
            detail: 'ISP subscriber for 203.0.113.7 at 2026-11-01T21:14:05.000Z',
          },
        ],
        contradictions: [],
      },
    ]);
  });

  test('different names are different candidates, numbered in order of first appearance', () => {
    const found = candidates([
      given.aPlatformReturn('req-1', 'Gareth Quinlan'),
      given.aPlatformReturn('req-2', 'Mary Smith'),
      given.aPlatformReturn('req-3', 'gareth quinlan'),
    ]);
    expect(found.map((c) => [c.candidateId, c.name, c.points.map((p) => p.requestId)])).toEqual([
      ['cand-001', 'Gareth Quinlan', ['req-1', 'req-3']],
      ['cand-002', 'Mary Smith', ['req-2']],
    ]);
  });

  test('names that differ only by Unicode compatibility form are grouped', () => {
    const found = candidates([
      given.aPlatformReturn('req-1', 'Ｇareth Quinlan'),
      given.aPlatformReturn('req-2', 'Gareth\u00A0Quinlan'),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]?.points).toHaveLength(2);
  });

  test('an ISP naming someone else at an IP from the candidate’s account is a contradiction', () => {
    const found = candidates([
      given.aPlatformReturn('req-ig', 'Gareth Quinlan'),
      given.anIspReturn('req-isp', 'Pat Neighbour', 'req-ig', '198.51.100.2'),
    ]);
    const gareth = found.find((c) => c.name === 'Gareth Quinlan');
    expect(gareth?.contradictions).toEqual([
      { requestId: 'req-isp', kind: 'ip_resolution', detail: 'ISP subscriber for 198.51.100.2 is someone else' },
    ]);
    expect(found.find((c) => c.name === 'Pat Neighbour')?.contradictions).toEqual([]);
  });

  test('an ISP naming someone else from an unrelated account is no contradiction', () => {
    const found = candidates([
      given.aPlatformReturn('req-ig', 'Gareth Quinlan'),
      given.aPlatformReturn('req-x', 'Mary Smith'),
      given.anIspReturn('req-isp', 'Pat Neighbour', 'req-x'),
    ]);
    expect(found.find((c) => c.name === 'Gareth Quinlan')?.contradictions).toEqual([]);
  });

  test('requests not returned, and returns with no subscriber name, give no candidates', () => {
    expect(
      candidates([
        given.aPlatformReturn('req-1', 'Gareth Quinlan', {}, { status: 'awaiting_return' }),
        given.aPlatformReturn('req-2', 'Gareth Quinlan', {}, { status: 'abandoned' }),
        given.aPlatformReturn('req-3', undefined),
        given.aPlatformReturn('req-4', ''),
        given.aPlatformReturn('req-5', 'x', {}, { returned: undefined }),
      ]),
    ).toEqual([]);
  });

  test('property: every returned named request is a point of exactly one candidate', () => {
    const names = ['Gareth Quinlan', 'gareth quinlan', 'Mary Smith', ' MARY  SMITH', 'Pat Neighbour'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 12 }), (picked) => {
        const requests = picked.map((n, i) => given.aPlatformReturn(`req-${i}`, n));
        const found = candidates(requests);
        const pointIds = found.flatMap((c) => c.points.map((p) => p.requestId)).sort();
        expect(pointIds).toEqual(requests.map((r) => r.requestId).sort());
        expect(found).toHaveLength(new Set(picked.map(normaliseName)).size);
        expect(new Set(found.map((c) => c.candidateId)).size).toBe(found.length);
      }),
    );
  });
});

describe('normaliseName', () => {
  test('trims, folds case and squeezes white space', () => {
    expect(normaliseName('  Gareth \t  QUINLAN\n')).toBe('gareth quinlan');
  });
});

describe('normaliseEmail', () => {
  test('trims and folds case', () => {
    expect(normaliseEmail('  G.Quinlan@Example.COM ')).toBe('g.quinlan@example.com');
  });

  test('property: idempotent on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (x) => {
        expect(normaliseEmail(normaliseEmail(x))).toBe(normaliseEmail(x));
      }),
      { numRuns: 500 },
    );
  });

  test('property: an address and its upper-case, padded form normalise alike', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.constantFrom('', ' ', '\t', '  '), (email, pad) => {
        expect(normaliseEmail(`${pad}${email.toUpperCase()}${pad}`)).toBe(normaliseEmail(email));
      }),
    );
  });
});

describe('normalisePhone', () => {
  test.each([
    ['07700 900123', '+447700900123'],
    ['07700-900-123', '+447700900123'],
    ['(07700) 900123', '+447700900123'],
    ['+44 7700 900123', '+447700900123'],
    ['+447700900123', '+447700900123'],
    ['0113 496 0000', '+441134960000'],
  ])('%s becomes %s', (raw, e164) => {
    expect(normalisePhone(raw)).toBe(e164);
  });

  test('an international number dialled with 00 is read as international', () => {
    expect(normalisePhone('0033 1 23 45 67 89')).toBe('+33123456789');
    expect(normalisePhone('00447700900123')).toBe('+447700900123');
  });
  test('the UK trunk prefix written as "+44 (0)7700 900123" is dropped', () => {
    expect(normalisePhone('+44 (0)7700 900123')).toBe('+447700900123');
  });

  test('property: idempotent on any text', () => {
    fc.assert(
      fc.property(fc.string(), (x) => {
        expect(normalisePhone(normalisePhone(x))).toBe(normalisePhone(x));
      }),
      { numRuns: 500 },
    );
  });

  test('property: a UK mobile 07… in any common layout becomes +447…, the same as its +44 form', () => {
    const separator = fc.constantFrom('', ' ', '-', '.');
    const mobile = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }).map((d) => d.join(''));
    fc.assert(
      fc.property(mobile, separator, fc.boolean(), (rest, sep, brackets) => {
        const national = `07${rest}`;
        const shown = brackets
          ? `(${national.slice(0, 5)})${sep}${national.slice(5)}`
          : `${national.slice(0, 5)}${sep}${national.slice(5, 8)}${sep}${national.slice(8)}`;
        expect(normalisePhone(shown)).toBe(`+447${rest}`);
        expect(normalisePhone(`+44${sep}7${rest}`)).toBe(`+447${rest}`);
      }),
    );
  });
});
