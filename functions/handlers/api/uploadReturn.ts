import { enforce, mayUploadReturn } from '../../domain/access.js';
import { caseIdentifiers } from '../../domain/correlation.js';
import { conflict, invalid, notFound } from '../../domain/errors.js';
import { csvToReturnBody, normaliseReturn, parseIpLogCsv } from '../../domain/returns.js';
import { ReturnInput } from '../../schemas/api.js';
import { indexIdentifiers, updateRequest } from '../../adapters/cases.js';
import { putDocument } from '../../adapters/documents.js';
import { apiHandler, json, parseJsonBody } from '../../http/api.js';
import { audit, completeStep, visibleCase } from '../shared.js';

function parseUpload(text: string, contentType: string) {
  if (contentType === 'text/csv') {
    const { rows, errors } = parseIpLogCsv(text);
    if (errors.length) throw invalid('the CSV could not be read', errors);
    return parseJsonBody(ReturnInput, JSON.stringify(csvToReturnBody(rows, new Date().toISOString())));
  }
  return parseJsonBody(ReturnInput, text);
}

export const handler = apiHandler(
  'uploadReturn',
  async ({ user, params, body, rawBody, contentType, now }) => {
    enforce(mayUploadReturn(user));
    const { kase, requests } = await visibleCase(params.caseId, user);
    const request = requests.find((r) => r.requestId === params.requestId);
    if (!request) throw notFound('no such request on this case');
    if (request.kind === 'platform_preservation') throw conflict('a preservation request has no return to upload');
    if (request.kind === 'isp_resolution' && contentType === 'text/csv') throw invalid('ISP returns are sent as JSON');
    const normalised = normaliseReturn(body as ReturnInput, rawBody, now);
    // The same upload sent again (the first answer lost on the way back) finishes what the first began.
    const replay = request.status === 'returned' && request.returned?.rawSha256 === normalised.rawSha256;
    if (request.status !== 'awaiting_return' && !replay) throw conflict(`this request is ${request.status}`);
    // The upload exactly as received, kept (encrypted at rest) under its own hash: what the trail's digest refers to.
    const rawKey = `returns/${params.caseId}/${request.requestId}/${normalised.rawSha256}.${contentType === 'text/csv' ? 'csv' : 'json'}`;
    await putDocument(rawKey, new TextEncoder().encode(rawBody), contentType, normalised.rawSha256);
    const returned = replay ? request.returned! : { ...normalised, rawKey };
    if (
      !replay &&
      !(await updateRequest(request, 'awaiting_return', { status: 'returned', returnedAt: now, returned }))
    )
      throw conflict('this request was returned or given up meanwhile');
    // What the return names joins the duplicate-target index; then the trail, keyed on the upload; then the workflow.
    await indexIdentifiers(kase, caseIdentifiers([{ ...request, status: 'returned', returned }], []));
    await audit(
      params.caseId,
      user,
      'request.returned',
      { requestId: request.requestId, rawSha256: returned.rawSha256 },
      returned,
      now,
      `request.returned|${request.requestId}`,
    );
    await completeStep(
      params.caseId,
      `REQUEST_RETURN#${request.requestId}`,
      { requestId: request.requestId, status: 'returned' },
      now,
    );
    return json(202, { status: 'accepted', requestId: request.requestId, flags: returned.flags });
  },
  { parseBody: parseUpload },
);
