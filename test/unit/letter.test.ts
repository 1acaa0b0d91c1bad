import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLetterPdf } from '../../functions/adapters/letterPdf.js';
import { LetterTextNotPrintable } from '../../functions/adapters/pdfLines.js';
import {
  SMS_TEMPLATES,
  letterContent,
  letterText,
  smsBody,
  type Officer,
  type SmsPurpose,
} from '../../functions/domain/messages.js';
import type { CaseRecord, RequestRecord } from '../../functions/domain/records.js';
import { pdfPagesText, pdfText, renderPdfPage } from '../support/pdf.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
let workDir: string;

beforeAll(async () => {
  workDir = join(projectRoot, '.tmp', `letter-${randomUUID()}`);
  await mkdir(workDir, { recursive: true });
});
afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const officer: Officer = { name: 'DC Alice Smith', phone: '0113 496 0000', force: 'Local Constabulary' };
const suspectAddress = { lines: ['14 Acacia Avenue', 'Headingley', 'Leeds'], postcode: 'LS6 2AB' };
const someone = { sub: 'user-inv-alice', name: 'Alice Smith' };

interface CaseFixture {
  crimeReference?: string;
  offence?: CaseRecord['offence'];
  summary?: string;
  victimName?: string;
  suspectName?: string;
  aliases?: string[];
  handles?: string[];
  /** The accounts the standing points tied to the suspect (indexes into handles); all of them unless said. */
  tied?: number[];
  arrests?: CaseRecord['arrests'];
}

/** A case whose identification has been approved, with the suspect's address where the process would hold it. */
function anIdentifiedCase(f: CaseFixture = {}): CaseRecord & { requests: RequestRecord[] } {
  const handles = f.handles ?? ['@anon_watcher', 'watcher.9000'];
  const suspectName = f.suspectName ?? 'Gareth Quinlan';
  const at = '2026-11-20T10:00:00.000Z';
  const ispReturn: RequestRecord = {
    requestId: 'req-isp-0001',
    caseId: 'case-000001',
    kind: 'isp_resolution',
    target: 'Example Broadband',
    ip: '203.0.113.7',
    port: 51234,
    eventAt: '2026-11-01T21:14:05.000Z',
    status: 'returned',
    createdAt: at,
    dueAt: at,
    tipOffRisk: false,
    returnedAt: at,
    returned: {
      receivedAt: at,
      subscriber: { name: suspectName, emails: ['g.quinlan@example.net'], phones: ['+447700900999'] },
      ipEvents: [],
      installationAddress: suspectAddress,
      rawSha256: 'a'.repeat(64),
      flags: [],
    },
  };
  return {
    caseId: 'case-000001',
    force: 'LOCAL',
    crimeReference: f.crimeReference ?? 'LOCAL/26/000123',
    offence: f.offence ?? 'stalking_s2a',
    summary: f.summary ?? 'Repeated messages from an anonymous account describing where the victim walks her dog.',
    victim: {
      name: f.victimName ?? 'Jane Doe',
      dateOfBirth: '1990-04-01',
      enhancedRights: true,
      contact: {
        preferredChannel: 'letter',
        phone: '+447700900123',
        postalAddress: { lines: ['1 High Street', 'Leeds'], postcode: 'LS1 1AA' },
        safeTimes: 'weekdays after 6pm',
      },
    },
    risk: { four: { fixated: true, obsessive: true, unwanted: true, repeated: true }, sdashYes: 7 },
    accounts: handles.map((handle, i) => ({
      accountId: `acc-00000${i}`,
      platform: i % 2 ? 'x' : 'instagram',
      handle,
      platformUserId: `17841${i}0000`,
    })),
    stage: 'DISCLOSURE_DELIVERY',
    createdBy: someone,
    createdAt: '2026-11-01T09:00:00.000Z',
    updatedAt: at,
    version: 12,
    identification: {
      proposalId: 'prop-000001',
      suspect: { name: suspectName, aliases: f.aliases ?? ['G-Q', 'Gaz Quin'], dateOfBirth: '1985-06-30' },
      points: [
        {
          requestId: 'req-isp-0001',
          kind: 'installation_address',
          detail: `IP 203.0.113.7 at 2026-11-01T21:14:05Z resolves to the broadband installed at ${suspectAddress.lines.join(', ')} ${suspectAddress.postcode}`,
        },
        {
          requestId: 'req-plat-0002',
          kind: 'email',
          detail: 'Instagram subscriber email g.quinlan@example.net matches the X account recovery email',
        },
      ],
      rationale: 'Two independent returns point to the same subscriber.',
      proposedBy: someone,
      proposedAt: at,
      status: 'approved',
      accountIds: (f.tied ?? handles.map((_, i) => i)).map((i) => `acc-00000${i}`),
    },
    delays: [],
    arrests: f.arrests ?? [{ outcome: 'arrested', at, recordedBy: someone, recordedAt: at }],
    contactVerified: { letter: { by: someone, at, note: 'confirmed address in person' } },
    notifications: [],
    requests: [ispReturn],
  };
}

const forbiddenInLetter = (kase: ReturnType<typeof anIdentifiedCase>) => [
  ...suspectAddress.lines,
  suspectAddress.postcode,
  ...kase.identification!.points.map((p) => p.detail),
  '203.0.113.7',
  'g.quinlan@example.net',
  '+447700900999',
  'Example Broadband',
  kase.summary,
  kase.identification!.rationale,
];

describe('the disclosure letter', () => {
  const kase = anIdentifiedCase();
  const content = letterContent(kase, officer, '2026-11-21T09:30:00.000Z');
  const text = letterText(content);

  it('tells the victim who, which accounts, where things stand, and how to get help', () => {
    for (const expected of [
      'LOCAL/26/000123',
      'Gareth Quinlan',
      'G-Q',
      'Gaz Quin',
      '@anon_watcher on instagram',
      'watcher.9000 on x',
      'presumed innocent',
      '999',
      officer.name,
      officer.phone,
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('names as the suspect’s only the accounts a standing point tied to them: an untraced account is left out', () => {
    const untraced = letterText(
      letterContent(
        anIdentifiedCase({ handles: ['@anon_watcher', 'untraced.one'], tied: [0] }),
        officer,
        '2026-11-21T09:30:00.000Z',
      ),
    );
    expect(untraced).toContain('@anon_watcher on instagram');
    expect(untraced).not.toContain('untraced.one');
  });

  it('never says where the suspect lives, nor the evidence or how it was found', () => {
    for (const forbidden of forbiddenInLetter(kase)) expect(text).not.toContain(forbidden);
    expect(text).not.toMatch(/\bIP\b/);
  });

  it('renders as a PDF, byte for byte the same each time', async () => {
    const first = await renderLetterPdf(content);
    const second = await renderLetterPdf(content);

    expect(Buffer.from(first.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(Buffer.compare(Buffer.from(first), Buffer.from(second))).toBe(0);
    const raw = Buffer.from(first).toString('latin1');
    expect(raw).toContain('/CreationDate (D:20261121000000Z)');
    expect(raw).toContain(
      `/Title <${Buffer.from(`\uFEFFLetter ${content.reference}`, 'utf16le').swap16().toString('hex').toUpperCase()}>`,
    );
  });

  it('prints what the letter says, and nothing it must not', async () => {
    const printed = pdfText(await renderLetterPdf(content));

    for (const expected of [
      'Local Constabulary',
      'LOCAL/26/000123',
      'Gareth Quinlan',
      'Yours sincerely',
      officer.phone,
      '999',
    ])
      expect(printed).toContain(expected);
    expect(printed).toContain('Please do not share this person’s name');
    for (const forbidden of forbiddenInLetter(kase)) expect(printed).not.toContain(forbidden);
  });

  it('is dated on its day in England: approved at 00:30 BST, it carries that day, not the UTC day before', async () => {
    const summer = letterContent(kase, officer, '2026-06-14T23:30:00.000Z');
    expect(pdfText(await renderLetterPdf(summer))).toContain('Date: 15 June 2026');
    const winter = letterContent(kase, officer, '2026-11-21T23:30:00.000Z');
    expect(pdfText(await renderLetterPdf(winter))).toContain('Date: 21 November 2026');
  });

  it('flows a long letter onto further pages', async () => {
    const long = {
      ...content,
      paragraphs: Array.from({ length: 30 }, (_, i) => ({
        heading: `Section ${i + 1}`,
        lines: [
          'A sentence long enough to wrap across the width of the page more than once, '.repeat(3),
          'x'.repeat(300),
        ],
      })),
    };
    const pages = pdfPagesText(await renderLetterPdf(long));
    expect(pages.length).toBeGreaterThan(2);
    for (const [i, text] of pages.entries()) expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
  });

  it('prints names in Latin, Greek, Cyrillic and Arabic script as written, and refuses rather than mangles one its font cannot print', async () => {
    for (const name of ['Zoë Łukasz-Öztürk', 'Дмитрий Иванович Петров', 'Ελένη Παπαδοπούλου', 'محمد عبد الله'])
      expect(
        pdfText(await renderLetterPdf(letterContent(anIdentifiedCase({ suspectName: name }), officer, '2026-11-21'))),
      ).toContain(`responsible is ${name} (also known as`);

    const unprintable = letterContent(anIdentifiedCase({ suspectName: '王小明' }), officer, '2026-11-21');
    await expect(renderLetterPdf(unprintable)).rejects.toBeInstanceOf(LetterTextNotPrintable);
  });

  it('renders page 1 as a printer would, and the page shows what it must and nothing it must not', async () => {
    const pdf = await renderLetterPdf(content);
    const page = renderPdfPage(pdf, 0, 72);
    // A4 (595.28 × 841.89 pt) at 72 dpi, whole pixels, with ink on it (a letter is mostly paper).
    expect([page.width, page.height]).toEqual([596, 842]);
    expect(page.inked).toBeGreaterThan(0.01);
    expect(page.inked).toBeLessThan(0.5);
    expect(Buffer.from(page.png.subarray(1, 4)).toString('latin1')).toBe('PNG');
    await writeFile(join(workDir, 'letter-page-1.png'), page.png);
    const [first] = pdfPagesText(pdf);
    for (const required of [
      content.reference,
      content.force,
      content.officer.name,
      content.officer.phone,
      '999',
      'presumed innocent',
    ])
      expect(first).toContain(required);
    for (const forbidden of [...suspectAddress.lines, suspectAddress.postcode, 'ISP', 'IP address', 'subscriber'])
      expect(pdfText(pdf)).not.toContain(forbidden);
  });
});

describe('the SMS', () => {
  const purposes = Object.keys(SMS_TEMPLATES) as SmsPurpose[];
  const OFFENCE_WORDS: Record<CaseRecord['offence'], string[]> = {
    stalking_s2a: ['stalking'],
    stalking_fear_violence_s4a: ['stalking', 'fear', 'violence'],
    harassment_s2: ['harassment', 'harass'],
    malicious_communications: ['malicious', 'communications'],
  };

  /** What the SMS may be read by anyone holding the victim's phone: it names no one and no offence. */
  const expectSafeSms = (sms: string, kase: CaseRecord, by: Officer) => {
    const lower = sms.toLowerCase();
    expect(lower).not.toContain('stalk');
    expect(lower).not.toContain(kase.offence.toLowerCase());
    for (const word of OFFENCE_WORDS[kase.offence]) expect(lower).not.toContain(word);
    const suspect = kase.identification!.suspect;
    for (const name of [suspect.name, ...suspect.aliases]) expect(lower).not.toContain(name.toLowerCase());
    for (const account of kase.accounts) expect(lower).not.toContain(account.handle.toLowerCase());
    expect(sms).toContain(by.name);
    expect(sms).toContain(by.phone);
    expect(sms).toContain(kase.crimeReference);
  };

  const fixtures: CaseFixture[] = [
    {},
    { offence: 'stalking_fear_violence_s4a', suspectName: 'Marcus Webb', aliases: ['Webby', 'mw_shadow'] },
    {
      offence: 'harassment_s2',
      victimName: 'Priya Patel',
      suspectName: 'Tom Hale',
      aliases: [],
      handles: ['@tomhale_real'],
    },
    {
      offence: 'malicious_communications',
      crimeReference: 'WYP/26/9',
      suspectName: 'Siobhán O’Neill',
      aliases: ['Shiv', 'the_watcher'],
      summary: 'Stalking by messages; suspect Siobhán O’Neill posted as the_watcher.',
    },
  ];

  it.each(purposes.flatMap((purpose) => fixtures.map((f, i) => [purpose, i, f] as const)))(
    '%s SMS for case fixture %i names neither the suspect nor the offence',
    (purpose, _, fixture) => {
      const kase = anIdentifiedCase(fixture);
      expectSafeSms(smsBody(purpose, kase.crimeReference, officer), kase, officer);
    },
  );

  it('stays safe for any suspect, alias, reference and officer', () => {
    const word = fc.stringMatching(/^[A-Z][a-z]{3,11}$/);
    const officers = fc.record({
      name: fc.constantFrom('DC Alice Smith', 'PC Ahmed Khan', 'DS Grace Lee'),
      phone: fc.stringMatching(/^0[1-9]\d{2} \d{3} \d{4}$/),
      force: fc.constantFrom('Local Constabulary', 'West Yorkshire Police'),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...purposes),
        fc.constantFrom(...(Object.keys(OFFENCE_WORDS) as CaseRecord['offence'][])),
        fc.tuple(word, word).map(([first, last]) => `${first} ${last}`),
        fc.array(word, { maxLength: 3 }),
        fc.stringMatching(/^[A-Z0-9]{2,10}\/\d{2}\/\d{1,10}$/),
        officers,
        (purpose, offence, suspectName, aliases, crimeReference, by) => {
          // A random name that happens to be a word of the message's own text ("Please"), of the
          // reference or of the officer's details proves nothing either way.
          const given = [
            smsBody(purpose, '', { name: '', phone: '', force: '' }),
            crimeReference,
            by.name,
            by.phone,
            by.force,
          ];
          fc.pre([suspectName, ...aliases].every((n) => !given.some((t) => t.toLowerCase().includes(n.toLowerCase()))));
          const sms = smsBody(purpose, crimeReference, by);
          const kase = anIdentifiedCase({ offence, suspectName, aliases, crimeReference });
          expectSafeSms(sms, kase, by);
        },
      ),
      { numRuns: 300 },
    );
  });
});
