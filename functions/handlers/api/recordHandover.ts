import { closureNoticeFailedTask, deliveryFailedTask } from '../../domain/delivery.js';
import { NothingAwaited } from '../../domain/errors.js';
import type { TaskName } from '../../domain/tasks.js';
import { mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

const IN_PERSON_TASKS: readonly TaskName[] = ['HANDOVER', 'IN_PERSON_DISCLOSURE', 'DELIVERY_FAILED'];

export const handler = answeringHandler(inputs.recordHandover, async ({ user, body, params, now }) => {
  const { kase, tasks } = await visibleCase(params.caseId, user);
  // A closure without a suspect approved, with no safe written channel, or its message failed: the victim was told
  // in person.
  const closing = tasks.find((t) => t.task === 'CLOSURE_IN_PERSON' && t.status === 'open');
  if (closing || closureNoticeFailedTask(kase, now)) {
    const at = new Date(body.at).toISOString();
    await mutateCase(
      params.caseId,
      (k) =>
        k.closure && (!k.closure.victimTold || k.closure.receiptFailure) && k.closure.victimTold?.how !== 'in_person'
          ? { ...k, closure: { ...k.closure, victimTold: { how: 'in_person', at } } }
          : k,
      now,
    );
    await auditData(params.caseId, user, 'closure.victim_told_in_person', {}, body, now);
    return json(202, { status: 'accepted' });
  }
  // Awaited when in person is the channel, when no safe written channel is left, when Notify refused the send for
  // good, or when a receipt said it failed.
  const waiting = tasks.find((t) => IN_PERSON_TASKS.includes(t.task) && t.status === 'open');
  if (!waiting && !deliveryFailedTask(kase, now))
    throw new NothingAwaited('no in-person handover is awaited on this case');
  await mutateCase(
    params.caseId,
    (k) => {
      if (!k.disclosure) throw new NothingAwaited('there is no approved disclosure to hand over');
      k.disclosure.handedOverAt = new Date(body.at).toISOString();
      return k;
    },
    now,
  );
  await auditData(params.caseId, user, 'disclosure.handed_over', {}, body, now);
  return json(202, { status: 'accepted' });
});
