import * as z from 'zod/mini';
import { routesWithInputs } from '../routeInputs.js';

/** A list's query parameters (page size, cursor, scope, status), each with its schema as the route parses it. */
function queryParameters(query: z.ZodMiniType | undefined) {
  if (!query) return [];
  const schema = z.toJSONSchema(query, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: s,
  }));
}

/** OpenAPI 3.1 from the route table and its zod schemas: nothing written twice. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of routesWithInputs().filter(([, r]) => !r.localOnly)) {
    const params = route.path.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? [];
    const op: Record<string, unknown> = {
      operationId: name,
      summary: route.summary,
      ...(route.access === 'public' ? { security: [] } : { 'x-roles': route.access }),
      parameters: [
        ...params.map((p) => ({ name: p, in: 'path', required: true, schema: { type: 'string' } })),
        ...queryParameters(route.query),
      ],
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
