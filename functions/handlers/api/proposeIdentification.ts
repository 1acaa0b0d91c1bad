import { enforce, mayPropose } from '../../domain/access.js';
import { checkIdentification } from '../../domain/identification.js';
import { requireStage } from '../../domain/stages.js';
import { person } from '../../domain/users.js';
import { canonical } from '../../domain/audit.js';
import { closureUnderWay } from '../../domain/closureProposal.js';
import { caseIdentifiers, suspectNames } from '../../domain/correlation.js';
import { AlreadyDecided, OutOfOrder } from '../../domain/errors.js';
import { requirePrintableNames } from '../../domain/printing.js';
import { indexIdentifiers, mutateCase } from '../../adapters/case.js';
import { answeringHandler } from '../../http/answering.js';
import { json } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { newId } from '../../adapters/ids.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

export const handler = answeringHandler(inputs.proposeIdentification, async ({ user, body, params, now }) => {
  enforce(mayPropose(user));
  const { kase, requests } = await visibleCase(params.caseId, user);
  // Every name the letter will print is printable: checked now, not when the letter is sent after every approval.
  requirePrintableNames(body.suspect);
  const accountIds = checkIdentification(body, requests);
  // The same person proposing the same suspect on the same points again (the first answer lost on the way back)
  // finishes what the first began; anything else meets the rules.
  const earlier = kase.identification;
  const sentBefore =
    earlier &&
    (({ proposalId: _id, proposedBy: _by, proposedAt: _at, status: _status, accountIds: _accounts, ...sent }) => sent)(
      earlier,
    );
  const replay =
    earlier?.status === 'proposed' && earlier.proposedBy.sub === user.sub && canonical(sentBefore) === canonical(body);
  const proposalId = replay ? earlier.proposalId : newId();
  if (!replay)
    await mutateCase(
      params.caseId,
      (k) => {
        // docs/api.md: as soon as two points stand, while other requests still run (the earliest opportunity).
        requireStage(k, 'PLATFORM_REQUESTS', 'ISP_RESOLUTION', 'IDENTIFICATION');
        if (k.identification?.status === 'proposed')
          throw new AlreadyDecided('a suspect is already proposed and awaiting approval');
        if (closureUnderWay(k)) throw new OutOfOrder('a closure of the case is proposed: its gate decides first');
        // A rejected proposal is kept, with gate 2's reasons beside it, for whoever decides the next one.
        if (k.identification?.status === 'rejected')
          k.earlierIdentifications = [...(k.earlierIdentifications ?? []), k.identification];
        k.identification = {
          ...body,
          proposalId,
          proposedBy: person(user),
          proposedAt: now,
          status: 'proposed',
          accountIds,
        };
        return k;
      },
      now,
    );
  // The suspect's names join the duplicate-target index.
  await indexIdentifiers(kase, caseIdentifiers([], suspectNames({ identification: { suspect: body.suspect } })));
  await auditData(
    params.caseId,
    user,
    'identification.proposed',
    { proposalId, points: String(body.points.length) },
    body,
    now,
    `identification.proposed|${proposalId}`,
  );
  return json(202, { status: 'accepted', proposalId });
});
