import { person } from '../../domain/users.js';
import { currentChoice, recordVictimChoice } from '../../domain/victimChoice.js';
import { mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';
import { withdrawForDecline } from '../../services/withdrawals.js';

/**
 * docs/api.md, the victim's contact and choices: the investigator records whether the victim wants to know, by which
 * channel and with a support worker or not. The wait the choice settles is told at once (domain/victimChoice.ts
 * choiceAnswers): a decline ends the right-to-know branch in DISCLOSURE_DECLINED, a change of mind takes a declined
 * case back to the decision.
 */
export const handler = answeringHandler(inputs.recordVictimChoice, async ({ user, body, params, now }) => {
  await visibleCase(params.caseId, user);
  const kase = await mutateCase(params.caseId, (k) => recordVictimChoice(k, body, person(user), now), now);
  // Once per choice recorded: the same request sent again (its answer lost) appends nothing, and completes an
  // append that a failure between the two writes cut short.
  const recorded = currentChoice(kase)?.at ?? now;
  await auditData(
    params.caseId,
    user,
    `victim.choice.${body.choice}`,
    {},
    body,
    now,
    `victim.choice.${body.choice}|${recorded}`,
  );
  // A decline takes the question from a disclosure or delay gate waiting on a supervisor: it leaves their queue.
  if (body.choice === 'declines') await withdrawForDecline(params.caseId, now);
  return json(200, { caseId: params.caseId, choice: body.choice });
});
