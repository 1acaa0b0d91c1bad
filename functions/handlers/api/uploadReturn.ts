import { enforce, mayUploadReturn } from '../../domain/access.js';
import { sha256 } from '../../domain/audit.js';
import { receivedAfterExpiry } from '../../domain/authorisation.js';
import { caseIdentifiers } from '../../domain/correlation.js';
import { NothingAwaited, ChangedMeanwhile, invalid, notFound } from '../../domain/errors.js';
import { policy } from '../../domain/policy.js';
import type { NormalisedReturn, RequestRecord } from '../../domain/records.js';
import { selectIspEvents } from '../../domain/ispSelection.js';
import { boundedFlags, csvToReturnBody, normaliseReturn, parseIpLogCsv } from '../../domain/returns.js';
import { ReturnInput } from '../../schemas/api.js';
import { indexIdentifiers } from '../../adapters/case.js';
import { updateRequest } from '../../adapters/request.js';
import { putDocument } from '../../adapters/documents.js';
import { packIpLog, returnForDigest } from '../../adapters/ipLog.js';
import { answeringHandler } from '../../http/answering.js';
import { json, parseJsonBody } from '../../http/api.js';
import { auditData } from '../../services/auditData.js';
import { audit } from '../../services/audit.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/** The line numbers of a CSV upload's rows, kept beside the parsed body so a refusal names the line the SPoC sees. */
const csvLines = new WeakMap<object, number[]>();

function parseUpload(text: string, contentType: string) {
  if (contentType === 'text/csv') {
    const { rows, lineNumbers, errors } = parseIpLogCsv(text);
    if (errors.length) throw invalid('the CSV could not be read', errors);
    const body = parseJsonBody(ReturnInput, JSON.stringify(csvToReturnBody(rows, new Date().toISOString())));
    csvLines.set(body, lineNumbers);
    return body;
  }
  return parseJsonBody(ReturnInput, text);
}

/** A platform disclosure or ISP request takes its return while it is sent or awaiting it. */
const OPEN_FOR_RETURN: readonly RequestRecord['status'][] = ['sent', 'awaiting_return'];

export const handler = answeringHandler(
  inputs.uploadReturn,
  async ({ user, params, body, rawBody, contentType, now }) => {
    enforce(mayUploadReturn(user));
    const { kase, requests } = await visibleCase(params.caseId, user);
    const request = requests.find((r) => r.requestId === params.requestId);
    if (!request) throw notFound('no such request on this case');
    if (request.kind === 'platform_preservation')
      throw new NothingAwaited('a preservation request has no return to upload');
    if (request.kind === 'isp_resolution' && contentType === 'text/csv') throw invalid('ISP returns are sent as JSON');
    // The request's status first: an upload to a request that cannot take it costs no parsing of its times.
    // The same upload sent again (the first answer lost on the way back) finishes what the first began.
    const rawSha256 = sha256(rawBody);
    const replay = request.status === 'returned' && request.returned?.rawSha256 === rawSha256;
    if (!OPEN_FOR_RETURN.includes(request.status) && !replay)
      throw new NothingAwaited(`this request is ${request.status}`);
    const lines = csvLines.get(body as object);
    const returned = replay
      ? request.returned!
      : await keep(
          params.caseId,
          request,
          normaliseReturn(body as ReturnInput, rawBody, now, lines ? (i) => `csv.row${lines[i]}` : undefined),
          rawBody,
          contentType,
        );
    // Data acquired once the authorisation had expired is kept, flagged, and shown to supervisors.
    const afterExpiry = receivedAfterExpiry(kase, returned.receivedAt);
    if (
      !replay &&
      !(await updateRequest(request, request.status, {
        status: 'returned',
        returnedAt: now,
        returned,
        ...(afterExpiry ? { afterAuthorisationExpiry: true } : {}),
      }))
    )
      throw new ChangedMeanwhile('this request was returned or given up meanwhile');
    // What the return names joins the duplicate-target index; then the trail, keyed on the upload; then the workflow.
    await indexIdentifiers(kase, caseIdentifiers([{ ...request, status: 'returned', returned }], []));
    await auditData(
      params.caseId,
      user,
      'request.returned',
      { requestId: request.requestId, rawSha256: returned.rawSha256 },
      returnForDigest(returned),
      now,
      `request.returned|${request.requestId}`,
    );
    if (afterExpiry)
      await audit(
        params.caseId,
        user,
        'request.returned_after_authorisation_expiry',
        { requestId: request.requestId, authorisation: kase.authorisation?.reference ?? 'none' },
        undefined,
        now,
        true,
      );
    return json(202, {
      status: 'accepted',
      requestId: request.requestId,
      flags: returned.flags,
      ...(afterExpiry ? { afterAuthorisationExpiry: true } : {}),
    });
  },
  { parseBody: parseUpload },
);

/**
 * The upload exactly as received, kept (encrypted at rest) under its own hash: what the trail's digest refers to.
 * The record holds the IP events ISP look-ups are made for on their own (policy.ispRequestsPerAccount); a longer
 * log is kept whole beside them, compressed, for the SPoC to choose from, so a 5,000-row log stays within a record.
 */
async function keep(
  caseId: string,
  request: RequestRecord,
  normalised: NormalisedReturn,
  rawBody: string,
  contentType: string,
): Promise<NormalisedReturn> {
  const rawKey = `returns/${caseId}/${request.requestId}/${normalised.rawSha256}.${contentType === 'text/csv' ? 'csv' : 'json'}`;
  await putDocument(rawKey, new TextEncoder().encode(rawBody), contentType, normalised.rawSha256);
  const all = normalised.ipEvents;
  const chosen = selectIspEvents(all, policy.ispRequestsPerAccount).sort((a, b) => a - b);
  const stored = { ...normalised, flags: boundedFlags(normalised.flags), rawKey };
  return chosen.length === all.length
    ? stored
    : { ...stored, ipEvents: chosen.map((i) => all[i]!), ipEventCount: all.length, ipLog: packIpLog(all) };
}
