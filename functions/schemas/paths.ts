import * as z from 'zod/mini';
import { policy } from '../domain/policy.js';
import { id, integer } from './keys.js';

/** What a route reads from its path, and the query string of a list: every GET route parses only these. */
export const PathCaseId = z.strictObject({ caseId: id });
export const PathApproval = z.strictObject({ approvalId: id });
export const PathRequest = z.strictObject({ caseId: id, requestId: id });
export const PathFault = z.strictObject({ caseId: id, faultId: id });

// Read here, not inside a schema: esbuild keeps a definition that reads a property (it might run a getter), and with
// it every schema it uses, in each bundle that imports this module (infra/constructs/bundling.ts, markSchemaCallsPure).
const { max: PAGE_MAX, default: PAGE_DEFAULT } = policy.pageLimit;

/** Every list is a page (docs/api.md, "Lists are pages"): `limit` 1..200, default 50, and the opaque cursor of the page before. */
const pageLimit = z
  ._default(
    z.pipe(
      z.pipe(
        z.string().check(z.maxLength(4), z.regex(/^\d+$/, `must be a whole number from 1 to ${PAGE_MAX}`)),
        z.transform(Number),
      ),
      integer(1, PAGE_MAX),
    ),
    PAGE_DEFAULT,
  )
  .check(z.describe(`items a page: 1 to ${PAGE_MAX}, ${PAGE_DEFAULT} unless given`));
export const PageQuery = z.strictObject({
  limit: pageLimit,
  cursor: z.optional(
    z.string().check(z.maxLength(2000), z.regex(/^[A-Za-z0-9._-]+$/, 'is not a cursor this API gave')),
  ),
});
export const CasesQuery = z.extend(PageQuery, {
  scope: z._default(z.enum(['force', 'mine']), 'force'),
  status: z._default(z.enum(['all', 'open', 'closed']), 'all'),
});
export const RequestsQuery = z.extend(PageQuery, {
  status: z._default(z.enum(['awaiting_return', 'all']), 'awaiting_return'),
});
