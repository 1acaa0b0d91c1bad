import { openApiDocument } from '../../http/openapi.js';
import { json, publicHandler } from '../../http/route.js';

let document: unknown;
export const handler = publicHandler('openapi', async () => {
  document ??= openApiDocument();
  return json(200, document);
});
