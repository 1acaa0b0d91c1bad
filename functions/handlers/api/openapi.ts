import { openApiDocument } from '../../http/openapi.js';
import { apiHandler, json } from '../../http/api.js';

let document: unknown;
export const handler = apiHandler('openapi', async () => json(200, (document ??= openApiDocument())));
