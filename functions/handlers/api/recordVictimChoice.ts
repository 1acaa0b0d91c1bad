import { person, taskSatisfied } from '../../domain/cases.js';
import { recordVictimChoice } from '../../domain/victimChoice.js';
import type { TaskName } from '../../domain/stages.js';
import { mustLoadCase, mutateCase } from '../../adapters/cases.js';
import { apiHandler, json } from '../../http/api.js';
import { auditData } from '../auditData.js';
import { completeStep, visibleCase } from '../shared.js';

/** The waits a victim's choice may end (domain/victimChoice.ts choiceAnswers says with what). */
const ANSWERED_BY_CHOICE: readonly TaskName[] = [
  'DISCLOSURE_PROPOSAL',
  'DELAY_REVIEW',
  'CONTACT_VERIFICATION',
  'HANDOVER',
  'DELIVERY_FAILED',
  'VICTIM_CHOICE',
  'CASE_CLOSURE',
];

/**
 * docs/api.md, the victim's contact and choices: the investigator records whether the victim wants to know, by which
 * channel and with a support worker or not. The wait the choice settles is told at once: a decline ends the
 * right-to-know branch in DISCLOSURE_DECLINED, a change of mind takes a declined case back to the decision.
 */
export const handler = apiHandler('recordVictimChoice', async ({ user, body, params, now }) => {
  await visibleCase(params.caseId, user);
  await mutateCase(params.caseId, (k) => recordVictimChoice(k, body, person(user), now), now);
  await auditData(params.caseId, user, `victim.choice.${body.choice}`, {}, body, now);
  const after = await mustLoadCase(params.caseId);
  for (const t of after.tasks)
    if (t.status === 'open' && ANSWERED_BY_CHOICE.includes(t.task)) {
      const answer = taskSatisfied(after, t.task);
      if (answer) await completeStep(params.caseId, t.key, answer, now);
    }
  return json(200, { caseId: params.caseId, choice: body.choice });
});
