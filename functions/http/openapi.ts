import * as z from 'zod';
import { deployedRoutes } from '../routes.js';

/** OpenAPI 3.1 from the route table and its zod schemas: nothing written twice. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of deployedRoutes) {
    const params = route.path.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? [];
    const op: Record<string, unknown> = {
      operationId: name,
      summary: route.summary,
      ...(route.access === 'public' ? { security: [] } : { 'x-roles': route.access }),
      parameters: params.map((p) => ({ name: p, in: 'path', required: true, schema: { type: 'string' } })),
      responses: { default: { description: 'RFC 9457 problem details', content: { 'application/problem+json': {} } } },
    };
    if (route.body) {
      op.requestBody = {
        required: true,
        content: Object.fromEntries(
          (route.accepts ?? ['application/json']).map((ct) => [
            ct,
            ct === 'application/json'
              ? { schema: z.toJSONSchema(route.body!, { io: 'input', unrepresentable: 'any' }) }
              : {},
          ]),
        ),
      };
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Stalking right-to-know disclosure API', version: '1.0.0' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
