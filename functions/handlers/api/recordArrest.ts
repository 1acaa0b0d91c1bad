import { person } from '../../domain/cases.js';
import { conflict } from '../../domain/errors.js';
import { ArrestInput, PathCaseId } from '../../schemas/api.js';
import { mutateCase } from '../../adapters/cases.js';
import { apiHandler, json } from '../../http/api.js';
import { audit, completeStep, visibleCase } from '../shared.js';

export const handler = apiHandler('recordArrest', async ({ user, body, params, now }) => {
  const { tasks } = await visibleCase(params.caseId, user);
  if (!tasks.some((t) => t.task === 'ARREST_OUTCOME' && t.status === 'open')) throw conflict('no arrest outcome is awaited on this case');
  if (Date.parse(body.at) > Date.parse(now) + 5 * 60_000) throw conflict('an arrest outcome cannot be in the future');
  const kase = await mutateCase(
    params.caseId,
    (k) => {
      k.arrests.push({ outcome: body.outcome, at: new Date(body.at).toISOString(), recordedBy: person(user), recordedAt: now });
      return k;
    },
    now,
  );
  const index = kase.arrests.length - 1;
  await audit(params.caseId, user, `arrest.${body.outcome}`, { index: String(index) }, body, now);
  await completeStep(params.caseId, 'ARREST_OUTCOME', { outcome: body.outcome, index }, now);
  return json(202, { status: 'accepted', outcome: body.outcome });
});
