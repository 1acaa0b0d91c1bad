import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { DomainError, FieldError } from '../domain/errors.js';

/** RFC 9457 problem details: the one place a domain error becomes an HTTP answer. */
const STATUS: Record<DomainError['kind'], { status: number; title: string }> = {
  Invalid: { status: 400, title: 'Invalid input' },
  NotAuthenticated: { status: 401, title: 'Not authenticated' },
  NotAllowed: { status: 403, title: 'Not allowed' },
  NotFound: { status: 404, title: 'Not found' },
  Conflict: { status: 409, title: 'Conflict' },
  Gone: { status: 410, title: 'Gone' },
  TooLarge: { status: 413, title: 'Body too large' },
  UnsupportedMediaType: { status: 415, title: 'Unsupported media type' },
};

export function problem(
  status: number,
  title: string,
  detail: string,
  errors?: FieldError[],
): APIGatewayProxyStructuredResultV2 {
  const slug = title.toLowerCase().replace(/[^a-z]+/g, '-');
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: JSON.stringify({
      type: `https://right-to-know.police.uk/problems/${slug}`,
      title,
      status,
      detail,
      ...(errors ? { errors } : {}),
    }),
  };
}

export function fromDomainError(e: DomainError): APIGatewayProxyStructuredResultV2 {
  const { status, title } = STATUS[e.kind];
  return problem(status, title, e.message, e.kind === 'Invalid' ? e.errors : undefined);
}

export function fieldErrors(error: z.core.$ZodError, prefix: string[] = []): FieldError[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path.map(String)].join('.') || '(body)',
    message: i.message,
  }));
}
