import { openApiDocument } from '../../http/openapi.js';
import { json, publicHandler } from '../../http/route.js';
import * as inputs from '../../routeInputs.js';

let document: unknown;
export const handler = publicHandler(inputs.openapi, async () => {
  document ??= openApiDocument();
  return json(200, document);
});
