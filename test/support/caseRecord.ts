import type { CaseRecord } from '../../functions/domain/records.js';

/** A case record after disclosure, as the domain's unit tests start from: Wednesday 18 November 2026, 10:00. */
export const CASE_NOW = '2026-11-18T10:00:00.000Z';

export function aCaseRecord(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseId: 'case-000007',
    force: 'LOCAL',
    crimeReference: 'LOCAL/26/000777',
    offence: 'stalking_s2a',
    summary: 'Messages from an anonymous account.',
    victim: {
      name: 'Jane Doe',
      enhancedRights: false,
      contact: { preferredChannel: 'letter', phone: '+447700900123' },
    },
    risk: { four: { fixated: true, obsessive: true, unwanted: true, repeated: true }, sdashYes: 6 },
    accounts: [{ platform: 'instagram', handle: '@anon', accountId: 'acct-1' }],
    stage: 'AFTER_DISCLOSURE',
    createdBy: { sub: 'local-inv.alice', name: 'DC Alice Hughes' },
    createdAt: '2026-11-01T09:00:00.000Z',
    updatedAt: CASE_NOW,
    version: 3,
    delays: [],
    arrests: [],
    contactVerified: {},
    notifications: [],
    ...overrides,
  };
}
