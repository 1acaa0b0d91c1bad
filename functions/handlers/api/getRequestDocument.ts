import { sha256 } from '../../domain/audit.js';
import { authorisationCurrent } from '../../domain/authorisation.js';
import { AuthorisationExpired, notFound } from '../../domain/errors.js';
import { requestDocument } from '../../domain/requestDocument.js';
import { renderDocumentPdf } from '../../adapters/documentOnUse.js';
import { apiHandler } from '../../http/api.js';
import { audit } from '../../services/audit.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

/** The request document a SPoC submits through the provider's portal, made from the case as it stands; 409 once the authorisation has expired. */
export const handler = apiHandler(inputs.getRequestDocument, async ({ user, params, now }) => {
  const { kase, requests } = await visibleCase(params.caseId, user);
  const request = requests.find((r) => r.requestId === params.requestId);
  if (!request) throw notFound('no such request on this case');
  // A document printed after the authorisation ran out would be sent without one: refused until it is renewed.
  if (!authorisationCurrent(kase, now))
    throw new AuthorisationExpired(
      'the communications data authorisation has expired: no request document is produced until it is renewed at gate 1',
    );
  const doc = requestDocument(kase, request, request.createdAt);
  const pdf = await renderDocumentPdf({
    title: doc.title,
    subtitle: `Our reference: ${doc.reference}`,
    blocks: doc.blocks,
    date: request.createdAt,
  });
  await audit(
    kase.caseId,
    user,
    'request.document.downloaded',
    { requestId: request.requestId, sha256: sha256(pdf) },
    undefined,
    now,
  );
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="request-${request.requestId}.pdf"`,
      'cache-control': 'no-store',
    },
    body: Buffer.from(pdf).toString('base64'),
    isBase64Encoded: true,
  };
});
