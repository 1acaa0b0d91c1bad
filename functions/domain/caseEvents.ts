import type { EventDetail } from '../schemas/events.js';
import type { CaseRecord, PrisonContactBlockRecord } from './records.js';
import { FlowInvariantBroken } from './errors.js';

/** What the events to force systems say (schemas/events.ts, docs/events.md), from the case record. */

function identityOf(kase: CaseRecord) {
  const suspect = kase.identification?.suspect;
  if (!suspect || kase.identification?.status !== 'approved')
    throw new FlowInvariantBroken('an event naming the suspect needs an approved identification');
  return {
    name: suspect.name,
    aliases: suspect.aliases,
    ...(suspect.dateOfBirth ? { dateOfBirth: suspect.dateOfBirth } : {}),
  };
}

const header = (kase: CaseRecord, eventId: string) => ({
  eventId,
  caseId: kase.caseId,
  crimeReference: kase.crimeReference,
  force: kase.force,
});

export const arrestTaskingId = (caseId: string) => `${caseId}:arrest-tasking`;

export function arrestTaskingEvent(kase: CaseRecord, raisedAt: string): EventDetail<'ArrestTasking'> {
  return {
    schemaVersion: '1',
    ...header(kase, arrestTaskingId(kase.caseId)),
    suspect: identityOf(kase),
    risk: { four: kase.risk.four, sdashYes: kase.risk.sdashYes, enhancedRights: kase.victim.enhancedRights },
    raisedAt,
  };
}

/**
 * The prison contact block for a remand in custody or a custodial sentence:
 * version 2, and for a custodial sentence version 1 as well while consumers
 * move over (same eventId: a consumer reading both drops the second).
 */
export function prisonContactBlockEvents(
  kase: CaseRecord,
  block: PrisonContactBlockRecord,
): EventDetail<'PrisonContactBlock'>[] {
  const custody = kase.arrests[block.arrestIndex];
  if (custody?.outcome !== 'custodial_sentence' && custody?.outcome !== 'remanded_in_custody')
    throw new FlowInvariantBroken('a prison contact block follows a remand in custody or a custodial sentence');
  const c = kase.victim.contact;
  const common = {
    ...header(kase, block.eventId),
    offender: identityOf(kase),
    victim: {
      name: kase.victim.name,
      ...(c.phone ? { phone: c.phone } : {}),
      ...(c.postalAddress ? { postalAddress: c.postalAddress } : {}),
    },
    requestedAt: block.requestedAt,
  };
  const v2 = { schemaVersion: '2' as const, ...common, custody: { outcome: custody.outcome, at: custody.at } };
  return custody.outcome === 'custodial_sentence'
    ? [v2, { schemaVersion: '1', ...common, sentence: { outcome: 'custodial_sentence', at: custody.at } }]
    : [v2];
}
