import { CaseEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase } from '../../adapters/cases.js';
import { publish } from '../../adapters/events.js';
import { workflowHandler } from '../../http/workflow.js';
import { audit } from '../shared.js';

export const ARREST_TASKING = { detailType: 'ArrestTasking', version: '1' } as const;

/**
 * The arrest tasking goes to force systems once per case. Published before it
 * is recorded: a retry may publish again, with the same eventId, which
 * consumers use to drop the duplicate.
 */
export const handler = workflowHandler('raiseArrestTasking', CaseEvent, async ({ caseId }, now) => {
  const { kase } = await mustLoadCase(caseId);
  if (kase.arrestTasking) return { eventId: kase.arrestTasking.eventId };
  const suspect = kase.identification?.suspect;
  if (!suspect) throw new Error('arrest tasking needs an approved identification');
  const eventId = `${caseId}:arrest-tasking`;
  await publish(ARREST_TASKING.detailType, {
    schemaVersion: ARREST_TASKING.version,
    eventId,
    caseId,
    crimeReference: kase.crimeReference,
    force: kase.force,
    suspect: { name: suspect.name, aliases: suspect.aliases, ...(suspect.dateOfBirth ? { dateOfBirth: suspect.dateOfBirth } : {}) },
    risk: { four: kase.risk.four, sdashYes: kase.risk.sdashYes, enhancedRights: kase.victim.enhancedRights },
    raisedAt: now,
  });
  await mutateCase(caseId, (k) => ({ ...k, arrestTasking: { raisedAt: now, eventId } }), now);
  await audit(caseId, 'workflow', 'arrest.tasking_raised', { eventId }, undefined, now);
  return { eventId };
});
