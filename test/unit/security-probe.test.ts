import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, test } from 'vitest';
import { LetterTextNotPrintable, printable } from '../../functions/adapters/pdfLines.js';
import { applyDecision, replayLeftUndone } from '../../functions/domain/gateDecisions.js';
import { DomainError } from '../../functions/domain/errors.js';
import { checkCrimeReference, forceProfile } from '../../functions/domain/forces.js';
import { checkedSmsBody, SmsContentRefused, smsBody } from '../../functions/domain/messages.js';
import type { ApprovalRecord, CaseRecord } from '../../functions/domain/records.js';
import { CaseInput } from '../../functions/schemas/api.js';
import { demoCaseBody } from '../../local/scenario.js';
import { aCaseRecord } from '../support/caseRecord.js';
import { localHost } from '../../local/http-api.js';

/**
 * The findings of the black-box security probe (issue 17) that plain
 * functions answer: each test is the attack, and each would have passed the
 * attacker on the code the probe ran against.
 */
const NOW = '2026-11-30T10:00:00.000Z';
const bob = { sub: 'local-sgt.bob', name: 'PS Bob Jones' };
const officer = { name: 'DC Alice Hughes', phone: '101', force: 'Local Constabulary' };

const aCase = (overrides: Partial<CaseRecord> = {}): CaseRecord =>
  aCaseRecord({
    caseId: 'case-000001',
    crimeReference: 'LOCAL/26/123456B',
    victim: { name: 'Jane Doe', enhancedRights: false, contact: { preferredChannel: 'sms', phone: '+447700900123' } },
    accounts: [{ platform: 'x', handle: 'night_watcher', accountId: 'a1' }],
    stage: 'PLATFORM_REQUESTS',
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  });

const anApproval = (id: string, decidedAt: string, expiresAt: string): ApprovalRecord => ({
  approvalId: id,
  caseId: 'case-000001',
  force: 'LOCAL',
  gate: 'data_request',
  requiredRank: 'sergeant',
  status: 'approved',
  subjectId: id === 'appr-1' ? 'case-000001' : 'reauth-appr-1',
  requestedBy: { sub: 'workflow', name: 'workflow' },
  createdAt: NOW,
  dueAt: NOW,
  overdue: false,
  decision: 'approve',
  rationale: 'necessary and proportionate',
  decidedBy: bob,
  decidedRank: 'sergeant',
  decidedAt,
  authorisation: { route: 'ocda', reference: `OCDA/${id}`, dataType: 'entity', expiresAt },
});

describe('crime references (the SMS quotes them)', () => {
  const parse = (crimeReference: string) => CaseInput.safeParse({ ...demoCaseBody('LOCAL/26/1'), crimeReference });

  test('the contract v2 pattern: LOCAL/26/123456B and other force forms are accepted', () => {
    for (const ref of ['LOCAL/26/123456B', 'WY-2026-000123', '13/123456/26', 'ABC', 'A'.repeat(30)])
      expect(parse(ref).success, ref).toBe(true);
  });

  test('outside the pattern, or holding a word an SMS may never carry, is refused naming crimeReference', () => {
    for (const ref of [
      'AB',
      'A'.repeat(31),
      '/LOCAL/26/1',
      '-26-1',
      'local/26/1',
      'LOCAL 26 1',
      'STALKING/26/000123',
      'LOCAL/STALK/1',
      'HARASS-26-1',
      'CYBERSTALKER/1',
    ]) {
      const r = parse(ref);
      expect(r.success, ref).toBe(false);
      expect([...new Set(r.error!.issues.map((i) => i.path.join('.')))], ref).toEqual(['crimeReference']);
    }
  });

  test('a force may hold its references to a stricter pattern; LOCAL uses the default', () => {
    const strict = {
      name: 'West Yorkshire Police',
      phone: '101',
      crimeReference: { pattern: /^13\/\d{6}\/\d{2}$/, example: '13/123456/26' },
    };
    expect(() => checkCrimeReference('13/123456/26', strict)).not.toThrow();
    try {
      checkCrimeReference('LOCAL/26/123456B', strict);
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).errors.map((x) => x.path)).toEqual(['crimeReference']);
    }
    expect(forceProfile('LOCAL').crimeReference).toBeUndefined();
    expect(() => checkCrimeReference('LOCAL/26/123456B', forceProfile('LOCAL'))).not.toThrow();
  });
});

describe('the last look at an SMS body before it is sent', () => {
  const identified = (name: string, aliases: string[] = []) =>
    aCase({
      identification: {
        proposalId: 'p1',
        suspect: { name, aliases },
        points: [],
        rationale: 'two sources',
        proposedBy: officer,
        proposedAt: NOW,
        status: 'approved',
      } as unknown as CaseRecord['identification'],
    });

  test('a body as the templates make it passes unchanged', () => {
    const body = smsBody('disclosure', 'LOCAL/26/123456B', officer);
    expect(checkedSmsBody(body, identified('Gareth Quinlan'))).toBe(body);
  });

  test('a forbidden word, the offence or the suspect is a permanent, named error that says which rule, not the text', () => {
    const attempts: [string, CaseRecord, string][] = [
      [smsBody('disclosure', 'STALKING/26/1', officer), aCase(), 'a forbidden word'],
      [smsBody('victim_update', 'LOCAL/26/1', { ...officer, force: 'Harassment Unit' }), aCase(), 'a forbidden word'],
      [
        smsBody('disclosure', 'LOCAL/26/1', { ...officer, name: 'Gareth Quinlan' }),
        identified('Gareth Quinlan'),
        "the suspect's name",
      ],
      [
        smsBody('disclosure', 'LOCAL/26/1', { ...officer, name: 'DC Webby' }),
        identified('Marcus Webb', ['Webby']),
        "the suspect's name",
      ],
      [
        smsBody('disclosure', 'NIGHT_WATCHER', officer).replace('NIGHT_WATCHER', 'night_watcher'),
        aCase(),
        "the suspect's name",
      ],
      [
        `${smsBody('disclosure', 'LOCAL/26/1', officer)} About malicious communications.`,
        aCase({ offence: 'malicious_communications' }),
        'the offence',
      ],
    ];
    for (const [body, kase, rule] of attempts) {
      let thrown: unknown;
      try {
        checkedSmsBody(body, kase);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, body).toBeInstanceOf(SmsContentRefused);
      expect((thrown as Error).name).toBe('SmsContentRefused');
      expect((thrown as SmsContentRefused).rules, body).toContain(rule);
      expect((thrown as Error).message).not.toContain('Quinlan');
      expect((thrown as Error).message).not.toContain('LOCAL/26');
    }
  });
});

describe('a decision replayed by the person who made it', () => {
  const first = anApproval('appr-1', '2026-11-01T10:00:00.000Z', '2026-11-04T10:00:00.000Z');
  const renewal = anApproval('appr-2', '2026-11-05T10:00:00.000Z', '2026-12-05T10:00:00.000Z');

  test('after a re-authorisation, the first approval replayed writes nothing: the new authorisation stays', () => {
    const kase = applyDecision(applyDecision(aCase(), first), renewal);
    expect(kase.authorisation?.approvalId).toBe('appr-2');
    expect(replayLeftUndone(kase, [first, renewal], first)).toBe(false);
    expect(replayLeftUndone(kase, [first, renewal], renewal)).toBe(false);
  });

  test('on a closed or rejected case a replay writes nothing, even where the first request never got to the case', () => {
    for (const stage of ['CLOSED', 'REJECTED'] as const)
      expect(replayLeftUndone(aCase({ stage }), [first], first)).toBe(false);
  });

  test('a first request cut short before its write to the case is finished by its replay, and only then', () => {
    expect(replayLeftUndone(aCase(), [first], first)).toBe(true);
    expect(replayLeftUndone(applyDecision(aCase(), first), [first], first)).toBe(false);
    // A renewal cut short is finished even though an older authorisation is on the case.
    const older = applyDecision(aCase(), first);
    expect(replayLeftUndone(older, [first, renewal], renewal)).toBe(true);
  });
});

describe('unprintable text in a letter or a document', () => {
  test('the error counts the characters and names the field: never the text, never its code points', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    let thrown: unknown;
    try {
      printable('Suspect: 王小明', font, 'paragraphs.1');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(LetterTextNotPrintable);
    const message = (thrown as Error).message;
    expect(message).toBe("the paragraphs.1 holds 3 character(s) the document's font cannot print");
    for (const leak of ['王', '小', '明', 'U+738B', '738B', '5C0F', '660E']) expect(message).not.toContain(leak);
    expect(JSON.stringify(thrown)).not.toMatch(/738B|5C0F|660E/i);
  });
});

describe('the local server’s Host rule (DNS rebinding)', () => {
  test('only a loopback name at the server’s own port', () => {
    for (const host of ['127.0.0.1:4123', 'localhost:4123', 'LOCALHOST:4123', '[::1]:4123'])
      expect(localHost(host, 4123), host).toBe(true);
    for (const host of [
      undefined,
      '',
      'attacker.example:4123',
      '127.0.0.1',
      'localhost',
      '127.0.0.1:80',
      'localhost:41230',
      '127.0.0.1.attacker.example:4123',
      'rebind.127.0.0.1.nip.io:4123',
    ])
      expect(localHost(host, 4123), String(host)).toBe(false);
  });
});
