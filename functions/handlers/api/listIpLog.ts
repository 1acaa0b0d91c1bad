import { ipLogOf } from '../../adapters/ipLog.js';
import { NothingAwaited, notFound } from '../../domain/errors.js';
import { ipEventKey, ispRequestKey } from '../../domain/ispSelection.js';
import { apiHandler, json } from '../../http/api.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/** A platform's whole IP log, row by row, newest first, each row with the ISP look-up made for it (if any). */
export const handler = apiHandler(inputs.listIpLog, async ({ user, params }) => {
  const { requests } = await visibleCase(params.caseId, user);
  const source = requests.find((r) => r.requestId === params.requestId);
  if (!source) throw notFound('no such request on this case');
  if (source.kind !== 'platform_disclosure' || !source.returned)
    throw new NothingAwaited('only a returned platform disclosure has an IP log');
  const asked = new Map(
    requests.filter((r) => r.kind === 'isp_resolution').map((r) => [ispRequestKey(r), r.requestId] as const),
  );
  const items = ipLogOf(source.returned)
    .map((e, row) => ({
      row,
      ip: e.ip,
      ...(e.port !== undefined ? { port: e.port } : {}),
      at: e.at.utc,
      ...(e.at.candidates ? { atCandidates: e.at.candidates } : {}),
      original: e.at.original,
      ...(e.at.timeZone ? { timeZone: e.at.timeZone } : {}),
      kind: e.kind,
      ...(asked.has(ipEventKey(e)) ? { ispRequestId: asked.get(ipEventKey(e)) } : {}),
    }))
    .sort((a, b) => b.at.localeCompare(a.at) || a.row - b.row);
  return json(200, { requestId: source.requestId, count: items.length, items });
});
