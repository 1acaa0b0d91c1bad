import type { Authorisation } from '../schemas/api.js';
import type { Verdict } from './access.js';
import { policy } from './policy.js';
import { atLeast, type Rank } from './ranks.js';
import type { CaseRecord } from './records.js';
import type { User } from './users.js';

/**
 * Communications data may be acquired only within an authorisation
 * (Investigatory Powers Act 2016 Part 3): who may grant an urgent one, what
 * data a request may ask for, and a return that came in once it had expired.
 */

/** The rank a designated senior officer needs to grant an urgent authorisation for this type of data. */
export const urgentDsoRank = (dataType: Authorisation['dataType']): Rank => policy.urgentDsoMinimumRank[dataType];

/**
 * An urgent authorisation (s.61A) is granted by a designated senior officer:
 * in a police force an inspector for entity data, a superintendent for events
 * data. An OCDA authorisation is granted by the Office and only recorded here.
 */
export function mayRecordAuthorisation(user: User, a: Authorisation): Verdict {
  if (a.route !== 'urgent_dso') return { allowed: true };
  const needed = urgentDsoRank(a.dataType);
  return atLeast(user.rank, needed)
    ? { allowed: true }
    : {
        allowed: false,
        code: 'rank',
        reason: `an urgent authorisation for ${a.dataType} data is granted by a designated senior officer of the rank ${needed} or above (Investigatory Powers Act 2016, Schedule 4)`,
      };
}

/** A return received after the authorisation in force had expired: kept, flagged, and shown to supervisors as a possible reportable error. */
export function receivedAfterExpiry(kase: CaseRecord, receivedAt: string): boolean {
  return !!kase.authorisation && Date.parse(receivedAt) > Date.parse(kase.authorisation.expiresAt);
}
