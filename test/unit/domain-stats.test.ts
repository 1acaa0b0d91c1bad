import { describe, expect, test } from 'vitest';
import type { CaseRecord, DelayRecord } from '../../functions/domain/records.js';
import { STAGES, type Stage } from '../../functions/domain/stages.js';
import {
  caseCounts,
  caseFigures,
  caseStatistics,
  countsDelta,
  figuresFromCounts,
  sumCounts,
} from '../../functions/domain/stats.js';

const NOW = '2026-12-01T00:00:00.000Z';
const CREATED = '2026-11-01T00:00:00.000Z';
const hoursAfterCreation = (h: number) => new Date(Date.parse(CREATED) + h * 3_600_000).toISOString();
const officer = { sub: 'local-inv.alice', name: 'DC Alice Hughes' };

const given = {
  aCase(
    stage: Stage,
    f: {
      identifiedAfterHours?: number;
      identification?: 'proposed' | 'approved' | 'rejected';
      disclosedAfterHours?: number;
      delays?: string[];
    } = {},
  ): CaseRecord {
    const delays: DelayRecord[] = (f.delays ?? []).map((ground, i) => ({
      proposalId: `prop-d${i}`,
      ground,
      reviewInDays: 14,
      approvedAt: NOW,
      reviewAt: NOW,
    }));
    return {
      caseId: `case-${Math.random().toString(36).slice(2, 10)}`,
      force: 'LOCAL',
      crimeReference: 'LOCAL/26/000123',
      offence: 'stalking_s2a',
      summary: 'Repeated messages',
      victim: { name: 'Jane Doe', enhancedRights: false, contact: { preferredChannel: 'in_person' } },
      risk: { four: { fixated: true, obsessive: true, unwanted: true, repeated: true }, sdashYes: 5 },
      accounts: [{ platform: 'instagram', handle: '@anon', accountId: 'acct-1' }],
      stage,
      createdBy: officer,
      createdAt: CREATED,
      updatedAt: NOW,
      version: 1,
      delays,
      arrests: [],
      contactVerified: {},
      notifications: [],
      ...(f.identifiedAfterHours !== undefined
        ? {
            identification: {
              proposalId: 'prop-id',
              suspect: { name: 'Gareth Quinlan', aliases: [] },
              points: [],
              rationale: 'Two returns agree.',
              proposedBy: officer,
              proposedAt: hoursAfterCreation(f.identifiedAfterHours),
              status: f.identification ?? 'approved',
            },
          }
        : {}),
      ...(f.disclosedAfterHours !== undefined
        ? {
            disclosure: {
              version: 1,
              approvedAt: hoursAfterCreation(f.disclosedAfterHours),
              channel: 'letter' as const,
            },
          }
        : {}),
    };
  },
};

const CASES = [
  given.aCase('DATA_REQUEST_APPROVAL'),
  given.aCase('IDENTIFICATION_APPROVAL', { identifiedAfterHours: 500, identification: 'proposed' }),
  given.aCase('DISCLOSURE_DECISION', { identifiedAfterHours: 48 }),
  given.aCase('DELAYED', { identifiedAfterHours: 72, delays: ['prejudice_investigation'] }),
  given.aCase('AFTER_DISCLOSURE', {
    identifiedAfterHours: 24,
    disclosedAfterHours: 36.25,
    delays: ['victim_safety_plan_pending', 'prejudice_investigation'],
  }),
  given.aCase('CLOSED', { identifiedAfterHours: 100, disclosedAfterHours: 130 }),
  given.aCase('CLOSED', { identifiedAfterHours: 12, disclosedAfterHours: 12 }),
];

describe('caseStatistics', () => {
  const cases = CASES;
  const stats = caseStatistics(cases, NOW);

  test('counts the cases, and every stage, including the empty ones', () => {
    expect(stats.generatedAt).toBe(NOW);
    expect(stats.cases).toBe(7);
    expect(Object.keys(stats.byStage).sort()).toEqual([...STAGES].sort());
    expect(stats.byStage).toMatchObject({
      DATA_REQUEST_APPROVAL: 1,
      IDENTIFICATION_APPROVAL: 1,
      DISCLOSURE_DECISION: 1,
      DELAYED: 1,
      AFTER_DISCLOSURE: 1,
      CLOSED: 2,
      REJECTED: 0,
      PLATFORM_REQUESTS: 0,
    });
  });

  test('time to identification counts approved identifications only, from opening to proposal', () => {
    expect(stats.timeToIdentification).toEqual({ count: 5, medianHours: 48, p90Hours: 100 });
  });

  test('time to disclosure counts disclosed cases, rounded to a tenth of an hour', () => {
    expect(stats.timeToDisclosure).toEqual({ count: 3, medianHours: 36.3, p90Hours: 130 });
  });

  test('delays are counted by ground across all cases', () => {
    expect(stats.delaysByGround).toEqual({ prejudice_investigation: 2, victim_safety_plan_pending: 1 });
  });

  test('an odd number of durations has its middle one as median', () => {
    const s = caseStatistics(
      [10, 30, 20].map((h) => given.aCase('CLOSED', { identifiedAfterHours: h, disclosedAfterHours: h + 0.04 })),
      NOW,
    );
    expect(s.timeToIdentification).toEqual({ count: 3, medianHours: 20, p90Hours: 30 });
    expect(s.timeToDisclosure).toEqual({ count: 3, medianHours: 20, p90Hours: 30 });
  });

  test('no cases: zero counts and no durations', () => {
    const s = caseStatistics([], NOW);
    expect(s.cases).toBe(0);
    expect(Object.values(s.byStage).every((n) => n === 0)).toBe(true);
    expect(s.timeToIdentification).toEqual({ count: 0 });
    expect(s.timeToDisclosure).toEqual({ count: 0 });
    expect(s.delaysByGround).toEqual({});
  });

  test('carries no personal data', () => {
    const text = JSON.stringify(stats);
    for (const secret of ['Jane Doe', 'Gareth Quinlan', 'LOCAL/26/000123', 'local-inv.alice', '@anon', 'case-'])
      expect(text).not.toContain(secret);
  });

  test('the median of an even number of durations is the mean of the middle pair', () => {
    const two = [
      given.aCase('CLOSED', { identifiedAfterHours: 1 }),
      given.aCase('CLOSED', { identifiedAfterHours: 99 }),
    ];
    expect(caseStatistics(two, NOW).timeToIdentification).toEqual({ count: 2, medianHours: 50, p90Hours: 99 });
  });
});

describe('counters kept as cases move', () => {
  const officerAt = (at: string) => ({ recordedBy: officer, recordedAt: at });
  /** A case on the arrest track: outcomes, Victims' Code updates (done on time, late, open before and after NOW) and an SPO. */
  const onTheArrestTrack = (updates: { dueH: number; doneH?: number }[], made: boolean): CaseRecord => ({
    ...given.aCase('AFTER_DISCLOSURE', { identifiedAfterHours: 30, disclosedAfterHours: 40.04 }),
    arrests: [
      { outcome: 'arrested', at: hoursAfterCreation(50), ...officerAt(hoursAfterCreation(50)) },
      { outcome: 'charged', at: hoursAfterCreation(60), ...officerAt(hoursAfterCreation(60)) },
    ],
    arrestTrack: {
      victimUpdates: updates.map((u) => ({
        arrestIndex: 0,
        dueAt: hoursAfterCreation(u.dueH),
        ...(u.doneH !== undefined ? { doneAt: hoursAfterCreation(u.doneH) } : {}),
      })),
      spoConsiderations: [
        {
          arrestIndex: 0,
          dueAt: hoursAfterCreation(70),
          trigger: 'arrested',
          decisions: [
            {
              kind: 'full',
              power: made ? 'on_conviction' : 'application',
              decision: made ? 'made' : 'not_sought',
              ...officerAt(hoursAfterCreation(70)),
            } as never,
          ],
        },
      ],
      prisonContactBlocks: [],
    },
  });
  const cases: CaseRecord[] = [
    ...CASES,
    // NOW is 720 hours after creation: due before it is overdue, after it not yet due.
    onTheArrestTrack([{ dueH: 100, doneH: 90 }, { dueH: 200, doneH: 260 }, { dueH: 700 }, { dueH: 800 }], true),
    onTheArrestTrack([{ dueH: 750 }], false),
    onTheArrestTrack([{ dueH: 600 }, { dueH: 650, doneH: 640 }], true),
  ];

  test('the figures from the counters are the figures from reading every case', () => {
    const counted = figuresFromCounts(sumCounts(cases.map(caseCounts)), NOW);
    expect(counted).toEqual(caseFigures(cases, NOW));
    // The cases exercise every kind of figure, so the equality is not between zeros.
    expect(counted.victimUpdates.overdue).toEqual({ value: 2, cases: 2 });
    expect(counted.victimUpdates.notYetDue).toEqual({ value: 2, cases: 2 });
    expect(counted.protectionOrders.made.value).toBe(2);
    expect(counted.delaysByGround.prejudice_investigation).toEqual({ value: 2, cases: 2 });
    expect(counted.timeToDisclosure.count).toBe(6);
  });

  test('what is overdue is worked out at the time of asking, from the same counters', () => {
    const counts = sumCounts(cases.map(caseCounts));
    const later = '2027-06-01T00:00:00.000Z';
    expect(figuresFromCounts(counts, later)).toEqual(caseFigures(cases, later));
    expect(figuresFromCounts(counts, later).victimUpdates.overdue).toEqual({ value: 4, cases: 3 });
  });

  test('the deltas of a case’s writes add up to what the case adds, whatever path it took', () => {
    const path = [
      given.aCase('DATA_REQUEST_APPROVAL'),
      given.aCase('IDENTIFICATION', { identifiedAfterHours: 20, identification: 'proposed' }),
      given.aCase('DISCLOSURE_DECISION', { identifiedAfterHours: 20 }),
      given.aCase('DELAYED', { identifiedAfterHours: 20, delays: ['prejudice_investigation'] }),
      onTheArrestTrack([{ dueH: 700 }], false),
      onTheArrestTrack([{ dueH: 700, doneH: 710 }], true),
    ];
    const deltas = path.map((c, i) => countsDelta(path[i - 1], c));
    expect(sumCounts(deltas)).toEqual(caseCounts(path.at(-1)!));
    // A write that changes nothing the figures count adds nothing.
    expect(countsDelta(path[2], { ...path[2]!, version: 9, updatedAt: NOW })).toEqual({});
    // Moving a stage takes one from the old stage and adds one to the new.
    expect(countsDelta(path[0], { ...path[0]!, stage: 'PLATFORM_REQUESTS' })).toEqual({
      'stage#DATA_REQUEST_APPROVAL': -1,
      'stage#PLATFORM_REQUESTS': 1,
    });
  });
});
