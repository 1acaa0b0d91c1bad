import type { EventDetail } from '../schemas/events.js';
import type { CaseRecord, PrisonContactBlockRecord } from './records.js';

/** What the events to force systems say (schemas/events.ts, docs/events.md), from the case record. */

function identityOf(kase: CaseRecord) {
  const suspect = kase.identification?.suspect;
  if (!suspect || kase.identification?.status !== 'approved')
    throw new Error('an event naming the suspect needs an approved identification');
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

export function prisonContactBlockEvent(
  kase: CaseRecord,
  block: PrisonContactBlockRecord,
): EventDetail<'PrisonContactBlock'> {
  const sentence = kase.arrests[block.arrestIndex];
  if (sentence?.outcome !== 'custodial_sentence')
    throw new Error('a prison contact block follows a custodial sentence');
  const c = kase.victim.contact;
  return {
    schemaVersion: '1',
    ...header(kase, block.eventId),
    offender: identityOf(kase),
    victim: {
      name: kase.victim.name,
      ...(c.phone ? { phone: c.phone } : {}),
      ...(c.postalAddress ? { postalAddress: c.postalAddress } : {}),
    },
    sentence: { outcome: 'custodial_sentence', at: sentence.at },
    requestedAt: block.requestedAt,
  };
}
