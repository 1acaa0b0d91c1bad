import { enforce, mayTransferCase } from '../../domain/access.js';
import { caseOwner, checkNewOwner, repeatedTransfer, transferOwner } from '../../domain/ownership.js';
import { person } from '../../domain/users.js';
import type { OwnerTransferRecord } from '../../domain/records.js';
import { mutateCase } from '../../adapters/case.js';
import { findPerson } from '../../adapters/people.js';
import { apiHandler, json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { newId } from '../../adapters/ids.js';
import { seeableCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/**
 * docs/api.md, the case owner: the owner, or a sergeant or above of the
 * force, hands the case to another investigator of the force (the directory of
 * people says who is one). The same transfer sent again (its first answer lost)
 * finishes what the first began and answers as it did; it is recorded once.
 */
export const handler = apiHandler(inputs.transferOwner, async ({ user, body, params, now }) => {
  const kase = await seeableCase(params.caseId, user);
  let transfer: OwnerTransferRecord | undefined = repeatedTransfer(kase, user.sub, body);
  if (!transfer) {
    enforce(mayTransferCase(user, { caseForce: kase.force, owner: caseOwner(kase) }));
    const to = checkNewOwner(await findPerson(body.owner), kase.force);
    const transferId = newId();
    await mutateCase(
      params.caseId,
      (k) => {
        // Judged again on the case as it is now: the same request sent twice at once lands once, and answers the same.
        const landed = repeatedTransfer(k, user.sub, body);
        if (landed) {
          transfer = landed;
          return k;
        }
        enforce(mayTransferCase(user, { caseForce: k.force, owner: caseOwner(k) }));
        const next = transferOwner(k, { transferId, to, by: person(user), at: now, reason: body.reason });
        transfer = next.ownerTransfers!.at(-1)!;
        return next;
      },
      now,
    );
  }
  const done = transfer!;
  // Ids only; the reason reaches the trail as a keyed digest. Keyed on the transfer: a replay appends nothing new.
  await auditData(
    params.caseId,
    user,
    'case.owner_transferred',
    { transferId: done.transferId, from: done.from.sub, to: done.to.sub },
    { reason: done.reason },
    now,
    `case.owner_transferred|${done.transferId}`,
  );
  return json(200, { caseId: params.caseId, owner: done.to.sub });
});
