import { notFound } from '../../domain/errors.js';
import { getDocument } from '../../adapters/documents.js';
import { apiHandler } from '../../http/api.js';
import { audit } from '../../services/audit.js';
import { visibleCase } from '../../services/caseAccess.js';
import * as inputs from '../../routeInputs.js';

export const handler = apiHandler(inputs.getLetter, async ({ user, params, now }) => {
  const { kase } = await visibleCase(params.caseId, user);
  if (!kase.disclosure?.letterKey) throw notFound('no letter has been made for this case');
  const pdf = await getDocument(kase.disclosure.letterKey);
  if (!pdf) throw notFound('the letter could not be found');
  await audit(kase.caseId, user, 'letter.downloaded', { sha256: kase.disclosure.letterSha256 ?? '' }, undefined, now);
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="letter-${kase.caseId}.pdf"`,
      'cache-control': 'no-store',
    },
    body: Buffer.from(pdf).toString('base64'),
    isBase64Encoded: true,
  };
});
