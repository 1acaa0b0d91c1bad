import type { CaseInput } from '../schemas/api.js';
import { checkCrimeReference, forceProfile } from './forces.js';
import type { CaseRecord } from './records.js';
import { person, type User } from './users.js';

/** A case as it is opened (docs/api.md, opening a case): at the data request's gate, owned by the investigator who opened it. */
export function newCase(input: CaseInput, user: User, caseId: string, now: string, accountIds: string[]): CaseRecord {
  checkCrimeReference(input.crimeReference, forceProfile(user.force));
  return {
    caseId,
    force: user.force,
    crimeReference: input.crimeReference,
    offence: input.offence,
    summary: input.summary,
    victim: input.victim,
    risk: input.risk,
    accounts: input.accounts.map((a, i) => ({ ...a, accountId: accountIds[i]! })),
    stage: 'DATA_REQUEST_APPROVAL',
    createdBy: person(user),
    owner: user.sub,
    createdAt: now,
    updatedAt: now,
    version: 1,
    delays: [],
    arrests: [],
    contactVerified: {},
    notifications: [],
  };
}
