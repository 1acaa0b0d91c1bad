import { describe, expect, test } from 'vitest';
import { publishStatistics, statisticsCsv } from '../../functions/domain/publication.js';
import type { CaseRecord, VictimUpdateRecord } from '../../functions/domain/records.js';
import { STAGES, type Stage } from '../../functions/domain/stages.js';
import { caseFigures } from '../../functions/domain/stats.js';

const NOW = '2026-12-01T00:00:00.000Z';
const CREATED = '2026-11-01T00:00:00.000Z';
const hoursAfter = (h: number) => new Date(Date.parse(CREATED) + h * 3_600_000).toISOString();
const officer = { sub: 'local-inv.alice', name: 'DC Alice Hughes' };
let n = 0;

function aCase(
  stage: Stage,
  f: {
    identifiedAfterHours?: number;
    outcomes?: CaseRecord['arrests'][number]['outcome'][];
    updates?: Partial<VictimUpdateRecord>[];
    spo?: 'made' | 'not_sought';
  } = {},
): CaseRecord {
  n += 1;
  return {
    caseId: `case-${String(n).padStart(6, '0')}`,
    force: 'LOCAL',
    crimeReference: `LOCAL/26/${n}`,
    offence: 'stalking_s2a',
    summary: 'Messages',
    victim: {
      name: 'Jane Doe',
      enhancedRights: false,
      contact: { preferredChannel: 'in_person', phone: '+447700900123' },
    },
    risk: { four: { fixated: true, obsessive: true, unwanted: true, repeated: true }, sdashYes: 5 },
    accounts: [{ platform: 'x', handle: '@anon', accountId: 'a1' }],
    stage,
    createdBy: officer,
    createdAt: CREATED,
    updatedAt: NOW,
    version: 1,
    delays: [],
    arrests: (f.outcomes ?? []).map((outcome) => ({ outcome, at: CREATED, recordedBy: officer, recordedAt: CREATED })),
    contactVerified: {},
    notifications: [],
    ...(f.identifiedAfterHours !== undefined
      ? {
          identification: {
            proposalId: 'p',
            suspect: { name: 'Gareth Quinlan', aliases: [] },
            points: [],
            rationale: 'Two returns agree.',
            proposedBy: officer,
            proposedAt: hoursAfter(f.identifiedAfterHours),
            status: 'approved' as const,
          },
        }
      : {}),
    arrestTrack: {
      victimUpdates: (f.updates ?? []).map((u, i) => ({ arrestIndex: i, dueAt: '2026-11-20T23:59:59.999Z', ...u })),
      spoConsiderations: f.spo
        ? [
            {
              arrestIndex: 0,
              trigger: 'arrested',
              dueAt: NOW,
              doneAt: NOW,
              decisions: [
                {
                  considered: 'full',
                  power: 'application',
                  decision: f.spo,
                  reason: 'Decided on the risk.',
                  recordedBy: officer,
                  recordedAt: NOW,
                  ...(f.spo === 'made'
                    ? {
                        order: {
                          conditions: ['Not to contact Jane Doe'],
                          duration: { kind: 'until_further_order' as const },
                          madeAt: NOW,
                          servedAt: NOW,
                        },
                      }
                    : {}),
                },
              ],
            },
          ]
        : [],
      prisonContactBlocks: [],
    },
  };
}

const many = (count: number, make: () => CaseRecord) => Array.from({ length: count }, make);

describe('small-number suppression', () => {
  test('a cell resting on fewer than 5 cases is withheld, zeros included; 5 or more is published', () => {
    const cases = [
      ...many(6, () => aCase('CLOSED')),
      ...many(5, () => aCase('AFTER_DISCLOSURE')),
      ...many(4, () => aCase('DELAYED')),
    ];
    const p = publishStatistics(caseFigures(cases, NOW));
    expect(p.cases).toBe(15);
    expect(p.byStage.CLOSED).toBe(6);
    expect(p.byStage.AFTER_DISCLOSURE).toBe(5);
    expect(p.byStage.DELAYED).toBeNull();
    expect(p.byStage.REJECTED).toBeNull();
    for (const s of STAGES) expect(p.byStage[s] === null || p.byStage[s]! >= 5).toBe(true);
    expect(p.suppression.threshold).toBe(5);
    expect(p.suppression.note).toMatch(/fewer than 5 cases/);
  });

  test('a single withheld cell that the total would give away takes the next smallest with it', () => {
    // Only DELAYED would be withheld if zeros were shown; here every other stage is zero and withheld too.
    // Make every stage but one large, so that exactly one cell is small.
    const big = STAGES.filter((s) => s !== 'DELAYED');
    const cases = [...big.flatMap((s, i) => many(5 + i, () => aCase(s))), ...many(3, () => aCase('DELAYED'))];
    const p = publishStatistics(caseFigures(cases, NOW));
    expect(p.byStage.DELAYED).toBeNull();
    // The smallest published stage would give DELAYED away by subtraction: it is withheld too.
    expect(p.byStage[big[0]!]).toBeNull();
    expect(p.byStage[big[1]!]).toBe(6);
    expect(p.withheld.filter((w) => w.startsWith('byStage.')).sort()).toEqual(
      [`byStage.${big[0]}`, 'byStage.DELAYED'].sort(),
    );
  });

  test('with fewer than 5 cases in all, nothing but the note is published', () => {
    const p = publishStatistics(
      caseFigures(
        many(4, () => aCase('CLOSED', { identifiedAfterHours: 10, outcomes: ['arrested'] })),
        NOW,
      ),
    );
    expect(p.cases).toBeNull();
    expect(Object.values(p.byStage).every((v) => v === null)).toBe(true);
    expect(p.timeToIdentification).toEqual({ count: null, medianHours: null, p90Hours: null });
    expect(p.byOutcome.arrested).toBeNull();
  });

  test('durations are published only when they rest on 5 cases or more', () => {
    const five = publishStatistics(
      caseFigures(
        [10, 20, 30, 40, 50].map((h) => aCase('CLOSED', { identifiedAfterHours: h })),
        NOW,
      ),
    );
    expect(five.timeToIdentification).toEqual({ count: 5, medianHours: 30, p90Hours: 50 });
    expect(five.timeToDisclosure).toEqual({ count: null, medianHours: null, p90Hours: null });
  });

  test('outcomes count cases, and a case with many updates is still one case: updates from 3 cases are withheld', () => {
    const busy = many(3, () =>
      aCase('AFTER_DISCLOSURE', {
        outcomes: ['arrested', 'charged', 'convicted'],
        updates: [
          { doneAt: '2026-11-19T10:00:00.000Z' },
          { doneAt: '2026-11-19T10:00:00.000Z' },
          { doneAt: '2026-11-19T10:00:00.000Z' },
        ],
      }),
    );
    const p = publishStatistics(caseFigures(busy, NOW));
    expect(p.victimUpdates.total).toBeNull();
    expect(p.victimUpdates.onTime).toBeNull();
    expect(p.byOutcome.convicted).toBeNull();
  });

  test('Victims’ Code updates on time and late, SPOs considered and made, each with its own suppression', () => {
    const onTime = { doneAt: '2026-11-19T10:00:00.000Z' };
    const late = { doneAt: '2026-11-25T10:00:00.000Z' };
    const cases = [
      ...many(6, () => aCase('CLOSED', { outcomes: ['arrested'], updates: [onTime], spo: 'not_sought' })),
      ...many(5, () => aCase('CLOSED', { outcomes: ['arrested'], updates: [late], spo: 'made' })),
    ];
    const p = publishStatistics(caseFigures(cases, NOW));
    expect(p.victimUpdates).toEqual({ total: 11, onTime: 6, late: 5, overdue: null, notYetDue: null });
    expect(p.protectionOrders).toMatchObject({
      considered: 11,
      sought: 5,
      made: 5,
      onConviction: null,
      onAcquittal: null,
    });
    expect(p.byOutcome.arrested).toBe(11);
  });

  test('the threshold is a parameter: at 1 every non-zero cell shows', () => {
    const p = publishStatistics(caseFigures([aCase('CLOSED')], NOW), 1);
    expect(p.cases).toBe(1);
    expect(p.byStage.CLOSED).toBe(1);
    expect(p.byStage.DELAYED).toBeNull();
  });

  test('no personal data in what is published, JSON or CSV', () => {
    const cases = many(6, () =>
      aCase('CLOSED', { identifiedAfterHours: 12, outcomes: ['arrested'], updates: [{ doneAt: NOW }], spo: 'made' }),
    );
    const p = publishStatistics(caseFigures(cases, NOW));
    for (const text of [JSON.stringify(p), statisticsCsv(p)])
      for (const secret of [
        'Jane Doe',
        'Gareth Quinlan',
        'LOCAL/26/',
        'local-inv.alice',
        '@anon',
        'case-',
        '+4477',
        'Not to contact',
      ])
        expect(text).not.toContain(secret);
  });
});

describe('the published CSV', () => {
  test('one row per figure, "<5" where withheld, the threshold and its note first', () => {
    const cases = [...many(7, () => aCase('CLOSED', { outcomes: ['arrested'] })), ...many(2, () => aCase('DELAYED'))];
    const csv = statisticsCsv(publishStatistics(caseFigures(cases, NOW)));
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe('measure,key,value');
    expect(rows[1]).toBe(`generated_at,,${NOW}`);
    expect(rows[2]).toBe('suppression,threshold,5');
    expect(rows[3]).toMatch(/^suppression,note,"Figures resting on fewer than 5 cases/);
    expect(rows).toContain('cases,total,9');
    expect(rows).toContain('cases_by_stage,CLOSED,7');
    expect(rows).toContain('cases_by_stage,DELAYED,<5');
    expect(rows).toContain('cases_by_outcome,arrested,7');
    expect(rows).toContain('time_to_identification_hours,count,<5');
    expect(rows).toContain('victim_updates,on_time,<5');
    expect(rows).toContain('protection_orders,made,<5');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
