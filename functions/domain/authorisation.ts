import type { Authorisation } from '../schemas/api.js';
import type { Verdict } from './access.js';
import { addSeconds } from './clock.js';
import { invalid } from './errors.js';
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

/** Requests go out only under an authorisation in force (Investigatory Powers Act 2016 Part 3). */
export function authorisationCurrent(kase: CaseRecord, now: string): boolean {
  return !!kase.authorisation && Date.parse(kase.authorisation.expiresAt) > Date.parse(now);
}

/** Investigatory Powers Act 2016: urgent authorisations last 3 days, normal ones a month. */
export function authorisationCeiling(route: Authorisation['route'], now: string): string {
  if (route === 'urgent_dso') return addSeconds(now, policy.urgentAuthorisationDays * policy.daySeconds);
  // A month on, held to the end of a shorter month: 31 January runs to 28 (or 29) February, never into March.
  const d = new Date(now);
  const targetMonth = d.getUTCMonth() + policy.normalAuthorisationMonths;
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), targetMonth + 1, 0)).getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(targetMonth);
  d.setUTCDate(Math.min(new Date(now).getUTCDate(), lastDay));
  return d.toISOString();
}

export function checkAuthorisation(a: Authorisation, now: string): void {
  const expires = Date.parse(a.expiresAt);
  if (expires <= Date.parse(now))
    throw invalid('the authorisation has already expired', [
      { path: 'authorisation.expiresAt', message: 'must be in the future' },
    ]);
  const ceiling = authorisationCeiling(a.route, now);
  if (expires > Date.parse(ceiling))
    throw invalid('the authorisation outlasts what the Act allows', [
      {
        path: 'authorisation.expiresAt',
        message:
          a.route === 'urgent_dso'
            ? 'an urgent authorisation lasts at most 3 days'
            : 'an authorisation lasts at most 1 month',
      },
    ]);
}
