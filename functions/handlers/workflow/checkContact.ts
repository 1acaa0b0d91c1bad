import { contactSafe } from '../../domain/cases.js';
import { CaseEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase } from '../../adapters/cases.js';
import { workflowHandler } from '../../http/workflow.js';
import { audit } from '../shared.js';

/** Disclosure approved: delivery starts, and nothing goes out until the victim's contact details are verified safe. */
export const handler = workflowHandler('checkContact', CaseEvent, async ({ caseId }, now) => {
  const { kase } = await mustLoadCase(caseId);
  if (kase.stage !== 'DISCLOSURE_DELIVERY' || !kase.disclosure) {
    await mutateCase(
      caseId,
      (k) => ({
        ...k,
        stage: 'DISCLOSURE_DELIVERY',
        disclosure: k.disclosure ?? { version: 1, approvedAt: now, channel: k.victim.contact.preferredChannel },
      }),
      now,
    );
  }
  await audit(caseId, 'workflow', 'disclosure.delivery_started', {}, undefined, now, true);
  return { verified: contactSafe(kase) };
});
