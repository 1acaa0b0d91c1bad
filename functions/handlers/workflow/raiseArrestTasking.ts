import { arrestTaskingEvent } from '../../domain/caseEvents.js';
import { CaseEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase } from '../../adapters/cases.js';
import { publish } from '../../adapters/events.js';
import { workflowHandler } from '../../http/workflow.js';
import { audit } from '../shared.js';

/**
 * The arrest tasking goes to force systems once per case. Published before it
 * is recorded: a retry may publish again, with the same eventId, which
 * consumers use to drop the duplicate.
 */
export const handler = workflowHandler('raiseArrestTasking', CaseEvent, async ({ caseId }, now) => {
  const { kase } = await mustLoadCase(caseId);
  if (kase.arrestTasking) {
    await audit(
      caseId,
      'workflow',
      'arrest.tasking_raised',
      { eventId: kase.arrestTasking.eventId },
      undefined,
      now,
      true,
    );
    return { eventId: kase.arrestTasking.eventId };
  }
  const detail = arrestTaskingEvent(kase, now);
  await publish('ArrestTasking', detail);
  await mutateCase(caseId, (k) => ({ ...k, arrestTasking: { raisedAt: now, eventId: detail.eventId } }), now);
  await audit(caseId, 'workflow', 'arrest.tasking_raised', { eventId: detail.eventId }, undefined, now, true);
  return { eventId: detail.eventId };
});
